import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The security log (one row per event of an account: sign-ins, token changes, first use, new
 * addresses, refusals), the last distinct client addresses of each token, and the per-address
 * counts of the leaked-credential report endpoint.
 */
export class SecurityLog1765400000000 implements MigrationInterface {
  name = 'SecurityLog1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE security_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        type varchar(40) NOT NULL,
        created_at timestamptz NOT NULL,
        ip varchar(45),
        user_agent varchar(200),
        token_id uuid,
        token_name varchar(100),
        token_hint varchar(4),
        detail jsonb NOT NULL DEFAULT '{}'
      )`);
    // Keyset pagination, newest first: per user, and per user and token (the "Activity" view).
    await q.query(`CREATE INDEX security_events_user_created_idx ON security_events (user_id, created_at DESC, id DESC)`);
    await q.query(
      `CREATE INDEX security_events_user_token_created_idx ON security_events (user_id, token_id, created_at DESC, id DESC) WHERE token_id IS NOT NULL`,
    );
    // The retention purge deletes the oldest rows of everyone.
    await q.query(`CREATE INDEX security_events_created_idx ON security_events (created_at)`);
    // [{"ip": "203.0.113.7", "lastSeenAt": "2026-…Z"}, …] most recent first, at most 5 distinct.
    await q.query(`ALTER TABLE api_tokens ADD COLUMN recent_ips jsonb NOT NULL DEFAULT '[]'`);
    // Leak reports per client address, shared by every API instance (rate-limiter-flexible's layout).
    await q.query(`
      CREATE TABLE credential_report_limits (
        key varchar(255) PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        expire bigint
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE credential_report_limits');
    await q.query('ALTER TABLE api_tokens DROP COLUMN recent_ips');
    await q.query('DROP TABLE security_events');
  }
}
