import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Permissions per API token, two bits per resource in one smallint (see encodePermissions in the
 * contract): the authentication query returns it with no parsing. Existing tokens, and rows
 * inserted without a value, get 170: write on everything, what every token could do before, so
 * nothing that works today breaks. The check refuses values no encoding produces (a field of 3).
 */
export class ApiTokenPermissions1765100000000 implements MigrationInterface {
  name = 'ApiTokenPermissions1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE api_tokens
        ADD COLUMN permissions smallint NOT NULL DEFAULT 170,
        ADD CONSTRAINT api_tokens_permissions_valid
          CHECK (permissions BETWEEN 0 AND 255 AND (permissions & (permissions >> 1) & 85) = 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_permissions_valid, DROP COLUMN permissions`);
  }
}
