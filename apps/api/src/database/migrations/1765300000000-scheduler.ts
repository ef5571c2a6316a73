import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row per scheduled job, shared by every API instance: claiming a run moves `next_run_at`
 * on in the same statement (rows locked with SKIP LOCKED), so each period runs on one instance.
 */
export class Scheduler1765300000000 implements MigrationInterface {
  name = 'Scheduler1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE scheduled_jobs (
        name text PRIMARY KEY,
        interval_seconds integer NOT NULL CHECK (interval_seconds > 0),
        next_run_at timestamptz NOT NULL DEFAULT now(),
        running_until timestamptz,
        last_started_at timestamptz,
        last_finished_at timestamptz,
        last_error text
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE scheduled_jobs');
  }
}
