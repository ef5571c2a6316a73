import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Password reset links: only an HMAC of each link's token is kept (never the token), with when it
 * expires and when it was used (once). Rows of an account older than a day are deleted when it
 * asks for a new link; the rows of the last hour count towards its limit of reset mails.
 */
export class PasswordResets1765760000000 implements MigrationInterface {
  name = 'PasswordResets1765760000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE password_resets (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        token_hash bytea NOT NULL UNIQUE,
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz
      )`);
    await q.query('CREATE INDEX password_resets_user_idx ON password_resets (user_id, created_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE password_resets');
  }
}
