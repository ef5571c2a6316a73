import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Leak reports are counted like failed authentications and sign-ups: an AddressBudget whose
 * `leak:` rows live in `auth_failures`. Their table of their own goes.
 */
export class OneAddressBudgetTable1765770000100 implements MigrationInterface {
  name = 'OneAddressBudgetTable1765770000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE credential_report_limits');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE credential_report_limits (
        key varchar(255) PRIMARY KEY,
        points integer NOT NULL DEFAULT 0,
        expire bigint
      )`);
  }
}
