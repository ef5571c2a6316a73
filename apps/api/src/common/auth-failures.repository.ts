import type { Db } from '../database/db';

/**
 * One statement per sync, for every block with new points: adds them to the shared counts
 * (a window that has ended starts over) and returns each block's total and window end.
 */
const SYNC_SQL = `
  INSERT INTO auth_failures AS f (key, points, expire)
  SELECT * FROM unnest($1::varchar[], $2::int[], $3::bigint[])
  ON CONFLICT (key) DO UPDATE SET
    points = CASE WHEN f.expire <= $4 THEN excluded.points ELSE f.points + excluded.points END,
    expire = CASE WHEN f.expire <= $4 THEN excluded.expire ELSE f.expire END
  RETURNING key, points, expire`;
const PURGE_SQL = 'DELETE FROM auth_failures WHERE expire <= $1';

/** The one place that knows how the per-address budgets are shared: every `auth_failures` statement. */
export class AuthFailuresRepository {
  constructor(private readonly db: Db) {}

  /**
   * Adds each block's new points (`keys[i]` gets `points[i]`, its window ending at `expires[i]` if
   * it starts one) and returns every block's total and window end, all instances' points included.
   */
  addPoints(keys: string[], points: number[], expires: number[], now: number): Promise<Array<{ key: string; points: number; expire: string }>> {
    return this.db.query<{ key: string; points: number; expire: string }>(SYNC_SQL, [keys, points, expires, now], 'auth_failures_sync');
  }

  /** Deletes the counts whose window has ended; how many. */
  async purgeExpired(now: number): Promise<number> {
    const rows = await this.db.query<{ key: string }>(`${PURGE_SQL} RETURNING key`, [now], 'auth_failures_purge');
    return rows.length;
  }
}
