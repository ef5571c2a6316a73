import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The token lifecycle: why a token was revoked, rotation (the end of the old secret's overlap
 * window and its replacement), and a version that every edit increments, so that whatever a
 * process caches about a token can be keyed by it.
 */
export class TokenStates1765200000000 implements MigrationInterface {
  name = 'TokenStates1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE api_tokens
        ADD COLUMN revoked_reason varchar(20),
        ADD COLUMN retires_at timestamptz,
        ADD COLUMN replaced_by_id uuid REFERENCES api_tokens (id) ON DELETE SET NULL,
        ADD COLUMN version integer NOT NULL DEFAULT 1`);
    // Before this change only the owner (signed in) or the token itself could revoke; which of
    // the two was not recorded, and the owner is by far the more common.
    await q.query(`UPDATE api_tokens SET revoked_reason = 'session' WHERE revoked_at IS NOT NULL`);
    await q.query(`
      ALTER TABLE api_tokens
        ADD CONSTRAINT api_tokens_revoked_reason_check
          CHECK (revoked_reason IN ('session', 'token', 'rotation', 'inactivity', 'leak_report')),
        ADD CONSTRAINT api_tokens_revoked_reason_present
          CHECK ((revoked_at IS NULL) = (revoked_reason IS NULL)),
        ADD CONSTRAINT api_tokens_version_positive CHECK (version > 0)`);
    // Every list of a user's tokens, the inactive ones included (the existing index covers only
    // unrevoked rows).
    await q.query(`CREATE INDEX api_tokens_user_id_idx ON api_tokens (user_id, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX api_tokens_user_id_idx');
    await q.query(`
      ALTER TABLE api_tokens
        DROP CONSTRAINT api_tokens_version_positive,
        DROP CONSTRAINT api_tokens_revoked_reason_present,
        DROP CONSTRAINT api_tokens_revoked_reason_check,
        DROP COLUMN version,
        DROP COLUMN replaced_by_id,
        DROP COLUMN retires_at,
        DROP COLUMN revoked_reason`);
  }
}
