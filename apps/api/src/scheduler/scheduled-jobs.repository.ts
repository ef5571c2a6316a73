import { Injectable } from '@nestjs/common';
import { Db } from '../database/db';

/** The one place that knows how the scheduler's jobs are stored: every `scheduled_jobs` statement. */
@Injectable()
export class ScheduledJobsRepository {
  constructor(private readonly db: Db) {}

  /** A new job is due at once; an existing one keeps its schedule (its interval may change). */
  async register(jobs: ReadonlyArray<{ name: string; intervalSeconds: number }>): Promise<void> {
    await this.db.query(
      `INSERT INTO scheduled_jobs (name, interval_seconds)
         SELECT * FROM unnest($1::text[], $2::int[])
         ON CONFLICT (name) DO UPDATE SET interval_seconds = excluded.interval_seconds`,
      [jobs.map((j) => j.name), jobs.map((j) => j.intervalSeconds)],
      'scheduler_register',
    );
  }

  /**
   * Claims the due jobs among `names` that no other instance is running, for `leaseSeconds`, and
   * moves each one's next run a period ahead. The names claimed.
   */
  async claimDue(names: string[], leaseSeconds: number): Promise<string[]> {
    const rows = await this.db.query<{ name: string }>(
      `UPDATE scheduled_jobs j
          SET next_run_at = now() + make_interval(secs => j.interval_seconds),
              running_until = now() + make_interval(secs => $2),
              last_started_at = now()
        WHERE j.name IN (SELECT name FROM scheduled_jobs
                          WHERE name = ANY($1::text[]) AND next_run_at <= now()
                            AND (running_until IS NULL OR running_until <= now())
                          FOR UPDATE SKIP LOCKED)
        RETURNING j.name`,
      [names, leaseSeconds],
      'scheduler_claim',
    );
    return rows.map((r) => r.name);
  }

  /** Ends a run: the lease is released, with the error (null: it succeeded). */
  async finish(name: string, error: string | null): Promise<void> {
    await this.db.query(
      `UPDATE scheduled_jobs SET running_until = NULL, last_finished_at = now(), last_error = $2 WHERE name = $1`,
      [name, error],
      'scheduler_finish',
    );
  }
}
