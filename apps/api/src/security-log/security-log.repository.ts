import { Injectable } from '@nestjs/common';
import type { SecurityEventType } from '@conduit/contracts';
import { DataSource } from 'typeorm';
import { Db } from '../database/db';
import type { RecordedSecurityEvent } from './security-events.service';

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

/** An event to write: the token's name and hint null when the caller did not have them. */
export interface NewSecurityEvent {
  userId: string;
  type: SecurityEventType;
  at: Date;
  ip: string | null;
  userAgent: string | null;
  tokenId: string | null;
  tokenName: string | null;
  tokenHint: string | null;
  detail: string;
}

// One statement for a whole batch. Order is kept (ids follow the order of record()), the token's
// name and hint are read from its row when the caller did not have them, and events of an
// account deleted in the meantime are dropped instead of failing the batch.
const INSERT_SQL = `
  INSERT INTO security_events (user_id, type, created_at, ip, user_agent, token_id, token_name, token_hint, detail)
  SELECT v.user_id, v.type, v.created_at, v.ip, v.user_agent, v.token_id,
         COALESCE(v.token_name, t.name), COALESCE(v.token_hint, t.hint), v.detail
    FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::uuid[], $7::text[], $8::text[], $9::jsonb[])
         WITH ORDINALITY AS v(user_id, type, created_at, ip, user_agent, token_id, token_name, token_hint, detail, n)
    JOIN users u ON u.id = v.user_id
    LEFT JOIN api_tokens t ON t.id = v.token_id
   ORDER BY v.n
  RETURNING id::text, user_id, type, created_at, ip, user_agent, token_id, token_name, token_hint, detail`;

/** The one place that knows how the security log is stored and queried (every write goes through SecurityEvents). */
@Injectable()
export class SecurityLogRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly db: Db,
  ) {}

  /** Writes a batch with one statement; the events as written, in order (those of deleted accounts dropped). */
  async insertBatch(batch: NewSecurityEvent[]): Promise<RecordedSecurityEvent[]> {
    return (await this.db.query<InsertedRow>(INSERT_SQL, columns(batch), 'security_events_insert')).map(fromRow);
  }

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

/** A stored event as the log pages it, with its account (the insert returns both). */
interface InsertedRow extends SecurityEventRow {
  user_id: string;
}

function columns(batch: NewSecurityEvent[]): unknown[] {
  return [
    batch.map((e) => e.userId),
    batch.map((e) => e.type),
    batch.map((e) => e.at),
    batch.map((e) => e.ip),
    batch.map((e) => e.userAgent),
    batch.map((e) => e.tokenId),
    batch.map((e) => e.tokenName),
    batch.map((e) => e.tokenHint),
    batch.map((e) => e.detail),
  ];
}

function fromRow(r: InsertedRow): RecordedSecurityEvent {
  return {
    id: r.id,
    userId: r.user_id,
    type: r.type,
    createdAt: r.created_at,
    ip: r.ip,
    userAgent: r.user_agent,
    tokenId: r.token_id,
    tokenName: r.token_name,
    tokenHint: r.token_hint,
    detail: r.detail,
  } as RecordedSecurityEvent; // the detail written for this type
}
