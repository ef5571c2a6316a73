import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a rotated token's overlap ends, the security log gets a `token.revoked` with
 * `detail.by: "rotation"`. Nothing writes to the token at that moment (its `retires_at` simply
 * passes), so a job finds the ended overlaps and marks each one logged in the same statement:
 * `retirement_logged_at`. The partial index holds only the tokens still waiting for their entry.
 */
export class TokenRetirementLog1765770000000 implements MigrationInterface {
  name = 'TokenRetirementLog1765770000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE api_tokens ADD COLUMN retirement_logged_at timestamptz');
    await q.query(
      `CREATE INDEX api_tokens_retirement_due_idx ON api_tokens (retires_at)
        WHERE retires_at IS NOT NULL AND retirement_logged_at IS NULL AND revoked_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX api_tokens_retirement_due_idx');
    await q.query('ALTER TABLE api_tokens DROP COLUMN retirement_logged_at');
  }
}
