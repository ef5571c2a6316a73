import { Injectable } from '@nestjs/common';
import type { SecurityEventType } from '@conduit/contracts';
import { DataSource } from 'typeorm';

export interface SecurityEventRow {
  id: string;
  type: SecurityEventType;
  created_at: Date;
  ip: string | null;
  user_agent: string | null;
  token_id: string | null;
  token_name: string | null;
  token_hint: string | null;
  detail: Record<string, unknown>;
}

export interface SecurityLogPageQuery {
  userId: string;
  limit: number;
  before: { at: Date; id: string } | null;
  tokenId: string | null;
  type: SecurityEventType | null;
}

const PURGE_BATCH = 5000;

/** The one place that knows how the security log is queried (writes go through SecurityEvents). */
@Injectable()
export class SecurityLogRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Newest first, keyset-paginated on (created_at, id) along the per-user indexes; one extra row tells whether more follow. */
  page(q: SecurityLogPageQuery): Promise<SecurityEventRow[]> {
    const where = ['user_id = $1'];
    const params: unknown[] = [q.userId];
    if (q.tokenId) {
      params.push(q.tokenId);
      where.push(`token_id = $${params.length}`);
    }
    if (q.type) {
      params.push(q.type);
      where.push(`type = $${params.length}`);
    }
    if (q.before) {
      params.push(q.before.at, q.before.id);
      where.push(`(created_at, id) < ($${params.length - 1}, $${params.length})`);
    }
    params.push(q.limit + 1);
    return this.dataSource.query(
      // ORDER BY names the table's columns: a bare "id" would be the selected id::text, and text
      // order ('9' > '10') is neither the cursor's order nor the index's.
      `SELECT e.id::text, e.type, e.created_at, e.ip, e.user_agent, e.token_id, e.token_name, e.token_hint, e.detail
         FROM security_events e WHERE ${where.join(' AND ')}
        ORDER BY e.created_at DESC, e.id DESC LIMIT $${params.length}`,
      params,
    );
  }

  /**
   * The distinct addresses a token was first seen from (`token.new_ip`) since `since`, oldest
   * first, with the user agent of each one's first event (at most `limit`), and how many in all.
   */
  async newAddressesSince(userId: string, tokenId: string, since: Date, limit: number): Promise<{ addresses: Array<{ ip: string; userAgent: string | null }>; total: number }> {
    const rows: Array<{ ip: string; user_agent: string | null; total: number }> = await this.dataSource.query(
      `SELECT ip, user_agent, count(*) OVER ()::int AS total
         FROM (SELECT DISTINCT ON (ip) ip, user_agent, created_at, id FROM security_events
                WHERE user_id = $1 AND token_id = $2 AND type = 'token.new_ip' AND created_at >= $3 AND ip IS NOT NULL
                ORDER BY ip, created_at, id) d
        ORDER BY created_at, id LIMIT $4`,
      [userId, tokenId, since, limit],
    );
    return { addresses: rows.map((r) => ({ ip: r.ip, userAgent: r.user_agent })), total: rows[0]?.total ?? 0 };
  }

  /** Deletes events older than `cutoff`, in batches so that no statement holds many locks; returns how many. */
  async purgeBefore(cutoff: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const [{ n: deleted }]: Array<{ n: number }> = await this.dataSource.query(
        `WITH d AS (DELETE FROM security_events WHERE id IN (SELECT id FROM security_events WHERE created_at < $1 LIMIT ${PURGE_BATCH}) RETURNING 1)
         SELECT count(*)::int AS n FROM d`,
        [cutoff],
      );
      total += deleted;
      if (deleted < PURGE_BATCH) return total;
    }
  }
}
