import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a session last proved its password (sign-up, sign-in, or re-authentication): sensitive
 * actions need it to be recent. Existing sessions have none, so they re-authenticate once.
 */
export class Reauthentication1765500000000 implements MigrationInterface {
  name = 'Reauthentication1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE sessions ADD COLUMN reauthenticated_at timestamptz');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE sessions DROP COLUMN reauthenticated_at');
  }
}
