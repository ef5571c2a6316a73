import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Trusted CI: trust policies, the exchanges they made, the ID tokens already exchanged (so that
 * each is used once, across instances, until it expires), and the link from a minted API token to
 * its policy (deleting the policy revokes its tokens).
 */
export class TrustPolicies1765720000000 implements MigrationInterface {
  name = 'TrustPolicies1765720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE trust_policies (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        name varchar(100) NOT NULL,
        issuer varchar(500) NOT NULL,
        audience varchar(500) NOT NULL,
        conditions jsonb NOT NULL,
        permissions smallint NOT NULL,
        allowed_ips text[] NOT NULL DEFAULT '{}',
        token_lifetime_seconds integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_exchanged_at timestamptz
      )`);
    await q.query('CREATE INDEX trust_policies_user_idx ON trust_policies (user_id, created_at)');
    await q.query(`
      CREATE TABLE trust_policy_exchanges (
        id bigserial PRIMARY KEY,
        policy_id uuid NOT NULL REFERENCES trust_policies(id) ON DELETE CASCADE,
        token_id uuid NOT NULL,
        created_at timestamptz NOT NULL,
        repository varchar(300),
        ref varchar(300),
        run varchar(100),
        ip varchar(45)
      )`);
    await q.query('CREATE INDEX trust_policy_exchanges_policy_idx ON trust_policy_exchanges (policy_id, created_at DESC)');
    await q.query(`
      CREATE TABLE exchanged_id_tokens (
        issuer varchar(500) NOT NULL,
        key varchar(300) NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (issuer, key)
      )`);
    await q.query('CREATE INDEX exchanged_id_tokens_expiry_idx ON exchanged_id_tokens (expires_at)');
    await q.query('ALTER TABLE api_tokens ADD COLUMN trust_policy_id uuid REFERENCES trust_policies(id) ON DELETE SET NULL');
    await q.query('CREATE INDEX api_tokens_trust_policy_idx ON api_tokens (trust_policy_id) WHERE trust_policy_id IS NOT NULL');
    // A new revocation reason: the token's trust policy was deleted. The list is read from the
    // current constraint, so that reasons other migrations added are kept.
    await q.query(`
      DO $$
      DECLARE reasons text[];
      BEGIN
        SELECT array_agg(DISTINCT m[1]) INTO reasons
          FROM pg_constraint c, regexp_matches(pg_get_constraintdef(c.oid), '''([a-z_]+)''', 'g') AS m
         WHERE c.conname = 'api_tokens_revoked_reason_check';
        ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_revoked_reason_check;
        EXECUTE format('ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_revoked_reason_check CHECK (revoked_reason = ANY (%L::text[]))',
                       array_append(reasons, 'policy_deleted'));
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`UPDATE api_tokens SET revoked_reason = 'session' WHERE revoked_reason = 'policy_deleted'`);
    await q.query(`
      DO $$
      DECLARE reasons text[];
      BEGIN
        SELECT array_agg(DISTINCT m[1]) INTO reasons
          FROM pg_constraint c, regexp_matches(pg_get_constraintdef(c.oid), '''([a-z_]+)''', 'g') AS m
         WHERE c.conname = 'api_tokens_revoked_reason_check';
        ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_revoked_reason_check;
        EXECUTE format('ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_revoked_reason_check CHECK (revoked_reason = ANY (%L::text[]))',
                       array_remove(reasons, 'policy_deleted'));
      END $$`);
    await q.query('ALTER TABLE api_tokens DROP COLUMN trust_policy_id');
    await q.query('DROP TABLE exchanged_id_tokens');
    await q.query('DROP TABLE trust_policy_exchanges');
    await q.query('DROP TABLE trust_policies');
  }
}
