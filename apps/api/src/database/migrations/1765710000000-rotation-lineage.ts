import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who rotated a token: `session` (its owner, signed in) or `token` (the token renewed itself).
 * Revoking a token also revokes what descends from it through self-rotations, so a leaked
 * token cannot hand its secret on to a replacement that outlives it. Rotations made before this
 * column existed are read from the security log (`token.rotated` with `detail.by`); those it has
 * no record of count as the owner's.
 */
export class RotationLineage1765710000000 implements MigrationInterface {
  name = 'RotationLineage1765710000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE api_tokens ADD COLUMN rotated_by varchar(10)');
    await q.query(`
      UPDATE api_tokens t
         SET rotated_by = CASE WHEN EXISTS (
               SELECT 1 FROM security_events e
                WHERE e.token_id = t.id AND e.type = 'token.rotated' AND e.detail->>'by' = 'token')
             THEN 'token' ELSE 'session' END
       WHERE t.replaced_by_id IS NOT NULL`);
    await q.query(`
      ALTER TABLE api_tokens
        ADD CONSTRAINT api_tokens_rotated_by_check CHECK (rotated_by IN ('session', 'token')),
        ADD CONSTRAINT api_tokens_rotated_by_present CHECK ((replaced_by_id IS NULL) OR (rotated_by IS NOT NULL))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE api_tokens DROP COLUMN rotated_by');
  }
}
