import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { TOKEN_RECENT_IPS, type ApiTokenRevocationReason } from '@conduit/contracts';
import type { AuthUser } from '../access/principal';
import { Db, type Queryable } from '../database/db';
import { ApiTokenEntity } from './api-token.entity';

export interface TokenSnapshot {
  id: string;
  name: string;
  hint: string;
}

/** What authentication reads of a token on every request: one row of one table, one query. */
export interface TokenAuthRow {
  token_id: string;
  user_id: string;
  version: number;
  /** Moves whenever the user's AuthUser columns change (a trigger on users): keys the cached user. */
  user_version: number;
  /** The allowlist, only when its version differs from the one the caller holds. */
  allowed_ips: string[] | null;
  /** Epoch milliseconds: cheaper to read than timestamps on every request. */
  expires_ms: number | null;
  revoked_ms: number | null;
  /** Rotated tokens: the end of the overlap window. */
  retires_ms: number | null;
  last_used_ms: number | null;
  /** The token's recent addresses as JSON text: only searched, parsed by nobody on this path. */
  recent_ips: string;
  /** Two bits per resource (see encodePermissions): a smallint, no parsing. */
  permissions: number;
  /** Minted by a trust policy's exchange. */
  minted: boolean;
}

/** The same, with its user's row (AuthUser's columns but the id: user_id), read in the same statement. */
export type TokenAuthRowWithUser = TokenAuthRow & Omit<AuthUser, 'id'>;

/** A token a reminder is about, with what its owner's message needs. */
export interface ReminderCandidate {
  id: string;
  userId: string;
  name: string;
  hint: string;
  /** The instant the reminder is about: the expiry, or the planned inactivity revocation. */
  at: Date;
  /** Inactivity: the last use (or creation) the revocation is counted from. */
  since: Date;
  timezone: string;
}

export type ExpiryThreshold = '7d' | '1d' | 'expired';

/** How many reminders one run of the job handles per kind. */
const REMINDER_BATCH = 500;

/**
 * The one "usable" condition (tokenState's `active` or `retiring`, in SQL): neither revoked,
 * expired nor retired at `now` (a SQL expression: a parameter such as `$2`).
 */
const usable = (t: string, now: string) =>
  `${t}.revoked_at IS NULL AND (${t}.expires_at IS NULL OR ${t}.expires_at > ${now}) AND (${t}.retires_at IS NULL OR ${t}.retires_at > ${now})`;

/**
 * The one statement shape that changes what authentication reads of a token: every such change
 * increments `version`, which keys the per-process caches (AllowlistCache), so that the very next
 * request on every instance sees it.
 */
const change = (set: string, where: string, returning = 't.id', from?: string) =>
  `UPDATE api_tokens t SET ${set}, version = t.version + 1${from ? ` FROM ${from}` : ''} WHERE ${where} RETURNING ${returning}`;

// Only what authentication needs. The allowlist is transferred only when the process does not
// hold the token's current version of it ($2: the version it holds, 0 for none), so that an
// edit is seen by the very next request without a second query.
// date_part (float8), not extract (numeric): cheaper for PostgreSQL, and no Date to parse.
const AUTHENTICATION_COLUMNS = `
  t.id AS token_id, t.user_id, t.version, t.user_version,
  CASE WHEN t.version = $2 THEN NULL ELSE t.allowed_ips END AS allowed_ips,
  date_part('epoch', t.expires_at) * 1000 AS expires_ms,
  date_part('epoch', t.revoked_at) * 1000 AS revoked_ms,
  date_part('epoch', t.retires_at) * 1000 AS retires_ms,
  date_part('epoch', t.last_used_at) * 1000 AS last_used_ms, t.permissions, t.recent_ips::text AS recent_ips,
  t.trust_policy_id IS NOT NULL AS minted`;

// Every request of a token whose user this process holds: api_tokens alone. Without prepared
// statements (a transaction-mode pooler) PostgreSQL parses and plans each call, and a join with
// users cost about three times the planning of this one-table statement (measured with EXPLAIN
// (ANALYZE, SUMMARY)); user_version tells whether the user held is still current.
const AUTHENTICATION_SQL = `SELECT ${AUTHENTICATION_COLUMNS} FROM api_tokens t WHERE t.token_hash = $1`;

// The first request of a token in this process, and the one after its user changed: the same
// row and the user's, in one statement (one snapshot: user_version goes with the user it describes).
const AUTHENTICATION_WITH_USER_SQL = `
  SELECT ${AUTHENTICATION_COLUMNS}, u.username, u.email, u.bio, u.image, u.timezone
    FROM api_tokens t JOIN users u ON u.id = t.user_id
   WHERE t.token_hash = $1`;

// Last use, and the token's recent addresses merged with those seen by the caller: one entry per
// address with its latest time, most recent first, at most TOKEN_RECENT_IPS. ISO strings of one
// format sort as their instants do. Not a change of what authentication caches: no version.
const RECORD_USE_SQL = `
  UPDATE api_tokens
     SET last_used_at = GREATEST(last_used_at, $2),
         last_used_ip = CASE WHEN last_used_at IS NULL OR last_used_at < $2 THEN $3 ELSE last_used_ip END,
         recent_ips = (
           SELECT COALESCE(jsonb_agg(jsonb_build_object('ip', r.ip, 'lastSeenAt', r.seen) ORDER BY r.seen DESC), '[]'::jsonb)
             FROM (SELECT ip, max(seen) AS seen
                     FROM (SELECT e->>'ip' AS ip, e->>'lastSeenAt' AS seen FROM jsonb_array_elements(recent_ips) e
                           UNION ALL
                           SELECT * FROM unnest($4::text[], $5::text[])) m
                    GROUP BY ip
                    ORDER BY max(seen) DESC
                    LIMIT ${TOKEN_RECENT_IPS}) r)
   WHERE id = $1`;

interface ReminderRow { id: string; user_id: string; name: string; hint: string; at: Date; since: Date; timezone: string }
const toCandidate = (r: ReminderRow): ReminderCandidate => ({ id: r.id, userId: r.user_id, name: r.name, hint: r.hint, at: r.at, since: r.since, timezone: r.timezone });

/**
 * The one place that knows how API tokens are stored and queried: every `api_tokens` statement
 * (authentication's per-request one, the last-used writes and the reminder jobs' included).
 * Ownership is always part of the query.
 */
@Injectable()
export class ApiTokensRepository {
  constructor(
    @InjectRepository(ApiTokenEntity) private readonly repo: Repository<ApiTokenEntity>,
    private readonly db: Db,
  ) {}

  /**
   * Authentication's one query per request, a named prepared statement (planned once per
   * connection) where prepared statements are on: the token with this keyed hash, api_tokens
   * alone. `heldVersion`: the version of the allowlist the caller holds (0: none); the allowlist
   * comes back only when it differs.
   */
  async findForAuthentication(hash: Buffer, heldVersion: number): Promise<TokenAuthRow | undefined> {
    const rows = await this.db.query<TokenAuthRow>(AUTHENTICATION_SQL, [hash, heldVersion], 'auth_api_token');
    return rows[0];
  }

  /**
   * The same row and its user's, in one statement: instead of findForAuthentication when the
   * caller holds no user for this token, or holds an older user_version than the token row's.
   */
  async findForAuthenticationWithUser(hash: Buffer, heldVersion: number): Promise<TokenAuthRowWithUser | undefined> {
    const rows = await this.db.query<TokenAuthRowWithUser>(AUTHENTICATION_WITH_USER_SQL, [hash, heldVersion], 'auth_api_token_user');
    return rows[0];
  }

  /** The last-used tracker's write: when and from where, and the recent addresses seen meanwhile. */
  async recordUse(id: string, at: Date, ip: string, addresses: string[], seenAt: string[]): Promise<void> {
    await this.db.query(RECORD_USE_SQL, [id, at, ip, addresses, seenAt], 'api_token_last_used');
  }

  insert(
    token: Pick<ApiTokenEntity, 'userId' | 'name' | 'tokenHash' | 'hint' | 'allowedIps' | 'expiresAt' | 'createdAt' | 'permissions'> &
      Partial<Pick<ApiTokenEntity, 'trustPolicyId'>>,
  ): Promise<ApiTokenEntity> {
    return this.repo.save(
      this.repo.create({
        trustPolicyId: null, ...token,
        revokedAt: null, revokedReason: null, retiresAt: null, replacedById: null, rotatedBy: null, version: 1, lastUsedAt: null, lastUsedIp: null, recentIps: [],
      }),
    );
  }

  /**
   * Revokes every still-usable token a trust policy minted (inside the transaction that deletes the
   * policy). The version goes up as for any revocation; authentication reads revoked_at with the
   * token on every request, so every instance refuses them from the next request on.
   */
  revokeMintedBy(tx: Queryable, policyId: string, at: Date): Promise<Array<TokenSnapshot & { userId: string }>> {
    return tx.query(
      `WITH revoked AS (${change(
        "revoked_at = $2, revoked_reason = 'policy_deleted'",
        `t.trust_policy_id = $1 AND ${usable('t', '$2')}`,
        't.id, t.user_id, t.name, t.hint',
      )})
       SELECT id, user_id AS "userId", name, hint FROM revoked`,
      [policyId, at],
    );
  }

  /** Usable (neither revoked, expired nor retired; retiring ones included), newest first. */
  findActive(userId: string, now: Date): Promise<ApiTokenEntity[]> {
    return this.repo
      .createQueryBuilder('t')
      .where('t.userId = :userId', { userId })
      .andWhere(usable('t', ':now'), { now })
      .orderBy('t.createdAt', 'DESC')
      .addOrderBy('t.id', 'DESC')
      .getMany();
  }

  /**
   * Tokens that may have ended since `since`: revoked, expired or retired after it (the caller
   * decides with tokenState which of them are inactive, and when they ended).
   */
  findEndedSince(userId: string, since: Date, now: Date): Promise<ApiTokenEntity[]> {
    return this.repo
      .createQueryBuilder('t')
      .where('t.userId = :userId', { userId })
      .andWhere(
        '(t.revokedAt >= :since OR (t.expiresAt >= :since AND t.expiresAt <= :now) OR (t.retiresAt >= :since AND t.retiresAt <= :now))',
        { since, now },
      )
      .getMany();
  }

  findOwned(userId: string, id: string): Promise<ApiTokenEntity | null> {
    return this.repo.findOneBy({ id, userId });
  }

  /**
   * Changes name, allowlist and/or permissions if the token is still at `version` (nobody changed
   * it since it was read).
   */
  async updateSettings(userId: string, id: string, version: number, changes: Partial<Pick<ApiTokenEntity, 'name' | 'allowedIps' | 'permissions'>>): Promise<boolean> {
    const values: unknown[] = [id, userId, version];
    const set: string[] = [];
    const column = { name: 'name', allowedIps: 'allowed_ips', permissions: 'permissions' } as const;
    for (const key of Object.keys(column) as (keyof typeof column)[]) {
      if (changes[key] === undefined) continue;
      values.push(changes[key]);
      set.push(`${column[key]} = $${values.length}`);
    }
    const rows: unknown[] = await this.repo.query(
      `WITH changed AS (${change(set.join(', '), 't.id = $1 AND t.user_id = $2 AND t.version = $3')}) SELECT id FROM changed`,
      values,
    );
    return rows.length > 0;
  }

  /**
   * Issues `replacement` in place of `old` in one transaction: the old token retires at
   * `retiresAt`. Null (and nothing written) when the old token changed since it was read
   * (rotated, revoked or edited meanwhile).
   */
  async rotate(
    old: ApiTokenEntity,
    replacement: Pick<ApiTokenEntity, 'userId' | 'name' | 'tokenHash' | 'hint' | 'allowedIps' | 'expiresAt' | 'createdAt' | 'permissions'>,
    retiresAt: Date,
    rotatedBy: 'session' | 'token',
  ): Promise<ApiTokenEntity | null> {
    return this.repo.manager.transaction(async (em) => {
      const repo = em.getRepository(ApiTokenEntity);
      const created = await repo.save(
        repo.create({ ...replacement, revokedAt: null, revokedReason: null, retiresAt: null, replacedById: null, rotatedBy: null, version: 1, lastUsedAt: null, lastUsedIp: null }),
      );
      const rows: unknown[] = await em.query(
        `WITH changed AS (${change(
          'retires_at = $4, replaced_by_id = $5, rotated_by = $6',
          't.id = $1 AND t.user_id = $2 AND t.version = $3 AND t.replaced_by_id IS NULL AND t.revoked_at IS NULL',
        )}) SELECT id FROM changed`,
        [old.id, old.userId, old.version, retiresAt, created.id, rotatedBy],
      );
      if (rows.length === 0) throw new RotationLost();
      return created;
    }).catch((error: unknown) => {
      if (error instanceof RotationLost) return null;
      throw error;
    });
  }

  /**
   * Idempotent: an already revoked token keeps its first revocation time and reason. Null when
   * the user has no such token; `now` tells whether this call revoked it.
   */
  async markRevoked(userId: string, id: string, at: Date, reason: ApiTokenRevocationReason): Promise<{ now: boolean; token: TokenSnapshot } | null> {
    const rows: Array<TokenSnapshot & { now: boolean }> = await this.repo.query(
      `WITH revoked AS (${change(
        'revoked_at = $3, revoked_reason = $4',
        't.id = $1 AND t.user_id = $2 AND t.revoked_at IS NULL',
        't.id, t.name, t.hint',
      )})
       SELECT id, name, hint, true AS now FROM revoked
       UNION ALL
       SELECT id, name, hint, false AS now FROM api_tokens
        WHERE id = $1 AND user_id = $2 AND NOT EXISTS (SELECT 1 FROM revoked)`,
      [id, userId, at, reason],
    );
    const row = rows[0];
    return row ? { now: row.now, token: { id: row.id, name: row.name, hint: row.hint } } : null;
  }

  /** The tokens (in any state) whose hash is one of these: one statement for the whole list. */
  findByHashes(hashes: Buffer[]): Promise<Array<{ id: string; userId: string; tokenHash: Buffer }>> {
    if (hashes.length === 0) return Promise.resolve([]);
    return this.repo.query('SELECT id, user_id AS "userId", token_hash AS "tokenHash" FROM api_tokens WHERE token_hash = ANY($1::bytea[])', [hashes]);
  }

  /**
   * Revokes, at once, whichever of these hashes belong to a token that is neither revoked nor
   * expired (retiring and retired ones included: a retired token's self-rotated replacement must
   * still be found from it); returns those tokens. One statement whatever the list holds, so that
   * its duration says nothing.
   */
  revokeReportedByHashes(hashes: Buffer[], at: Date): Promise<Array<TokenSnapshot & { userId: string }>> {
    return this.repo.query(
      // As a CTE: TypeORM answers a bare UPDATE … RETURNING with [rows, count].
      `WITH revoked AS (${change(
        "revoked_at = $2, revoked_reason = 'leak_report'",
        't.token_hash = ANY($1::bytea[]) AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $2)',
        't.id, t.user_id, t.name, t.hint',
      )})
       SELECT id, user_id AS "userId", name, hint FROM revoked`,
      [hashes, at],
    );
  }

  /**
   * Revokes every still usable token that descends from one of `rootIds` through self-rotations
   * (A rotated itself into B, B into C: B and C), following the rotation links forward through
   * tokens of any state; a rotation made by the owner's session ends the walk. One statement;
   * each revoked token comes back with the root it descends from. A rotation committed while
   * this runs can add a token this statement did not see: the caller repeats until nothing is
   * left (see ApiTokensService.revokeWithLineage).
   */
  async revokeSelfRotationDescendants(
    rootIds: string[],
    at: Date,
    reason: ApiTokenRevocationReason,
    manager?: EntityManager,
  ): Promise<Array<TokenSnapshot & { userId: string; rootId: string }>> {
    if (rootIds.length === 0) return [];
    return (manager ?? this.repo.manager).query(
      // Links form chains (a token is replaced at most once), so the walk ends; the depth bound
      // only guards against a cycle nothing should ever write.
      `WITH RECURSIVE lineage (id, root_id, depth) AS (
         SELECT t.replaced_by_id, t.id, 1 FROM api_tokens t
          WHERE t.id = ANY($1::uuid[]) AND t.rotated_by = 'token' AND t.replaced_by_id IS NOT NULL
         UNION ALL
         SELECT t.replaced_by_id, l.root_id, l.depth + 1 FROM api_tokens t JOIN lineage l ON t.id = l.id
          WHERE t.rotated_by = 'token' AND t.replaced_by_id IS NOT NULL AND l.depth < 10000
       ), revoked AS (${change(
         'revoked_at = $2, revoked_reason = $3',
         `t.id = l.id AND ${usable('t', '$2')}`,
         't.id, t.user_id, t.name, t.hint, l.root_id, l.depth',
         '(SELECT DISTINCT ON (id) id, root_id, depth FROM lineage ORDER BY id, depth) l',
       )})
       SELECT id, user_id AS "userId", name, hint, root_id AS "rootId" FROM revoked ORDER BY depth`,
      [rootIds, at, reason],
    );
  }

  /**
   * Reminders: tokens that crossed `threshold` and have not been told, among those still in use
   * (not revoked, not rotated: a rotated token's replacement gets its own reminders): 7 days or
   * 1 day before expiry (only when the token was created before that point: a 7-day token hears
   * nothing at birth), or at expiry (within the last 7 days: tokens that expired long ago are not
   * announced). Tokens already reminded are left out by the notification's dedupe key.
   */
  async dueForExpiry(threshold: ExpiryThreshold, now: Date): Promise<ReminderCandidate[]> {
    // $1 now, $2 the dedupe key prefix, then the window's bounds (seconds before expiry).
    const [window, bounds] =
      threshold === 'expired'
        ? [`t.expires_at <= $1 AND t.expires_at > $1::timestamptz - interval '7 days'`, []]
        : [
            `t.expires_at > $1::timestamptz + make_interval(secs => $4)
             AND t.expires_at <= $1::timestamptz + make_interval(secs => $3)
             AND t.expires_at - make_interval(secs => $3) > t.created_at`,
            threshold === '7d' ? [7 * 86400, 86400] : [86400, 0],
          ];
    const rows: ReminderRow[] = await this.repo.query(
      `SELECT t.id, t.user_id, t.name, t.hint, t.expires_at AS at, t.created_at AS since, u.timezone
         FROM api_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.revoked_at IS NULL AND t.retires_at IS NULL AND t.expires_at IS NOT NULL
          AND ${window}
          AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.dedupe_key = $2 || t.id || ':${threshold}')
        ORDER BY t.expires_at LIMIT ${REMINDER_BATCH}`,
      [now, threshold === 'expired' ? 'token_expired:' : 'token_expiring:', ...bounds],
    );
    return rows.map(toCandidate);
  }

  /**
   * Rotated tokens whose overlap has ended and whose end the security log has not been told of:
   * each is marked logged in the same statement (so one instance reports it, once), oldest first,
   * at most REMINDER_BATCH per call. A token revoked during its overlap has its own
   * `token.revoked` and is left out.
   */
  claimEndedOverlaps(now: Date): Promise<Array<TokenSnapshot & { userId: string; retiresAt: Date; replacedById: string | null }>> {
    return this.db.query(
      `UPDATE api_tokens t SET retirement_logged_at = $1
        WHERE t.id IN (SELECT id FROM api_tokens
                        WHERE retires_at <= $1 AND retirement_logged_at IS NULL AND revoked_at IS NULL
                        ORDER BY retires_at LIMIT ${REMINDER_BATCH} FOR UPDATE SKIP LOCKED)
        RETURNING t.id, t.user_id AS "userId", t.name, t.hint, t.retires_at AS "retiresAt", t.replaced_by_id AS "replacedById"`,
      [now],
    );
  }

  /**
   * Usable, unrotated tokens whose inactivity revocation (last use, or creation, +
   * `inactivitySeconds`) is at most 7 days away, which will not expire before it, and whose owner
   * has not been warned since that last use.
   */
  async dueForInactivityWarning(inactivitySeconds: number, now: Date): Promise<ReminderCandidate[]> {
    const rows: ReminderRow[] = await this.repo.query(
      `SELECT t.id, t.user_id, t.name, t.hint, s.since + make_interval(secs => $2) AS at, s.since, u.timezone
         FROM api_tokens t JOIN users u ON u.id = t.user_id
         CROSS JOIN LATERAL (SELECT COALESCE(t.last_used_at, t.created_at) AS since) s
        WHERE ${usable('t', '$1')} AND t.retires_at IS NULL
          AND s.since + make_interval(secs => $2) <= $1::timestamptz + interval '7 days'
          AND s.since + make_interval(secs => $2) > $1
          AND (t.expires_at IS NULL OR t.expires_at > s.since + make_interval(secs => $2))
          AND NOT EXISTS (SELECT 1 FROM notifications n
                           WHERE n.dedupe_key = 'token_inactive:' || t.id || ':' || floor(extract(epoch FROM s.since) * 1000)::bigint)
        ORDER BY s.since LIMIT ${REMINDER_BATCH}`,
      [now, inactivitySeconds],
    );
    return rows.map(toCandidate);
  }

  /** Usable, unrotated tokens unused for `inactivitySeconds` (since the last use, or creation if never used). */
  async inactiveIds(inactivitySeconds: number, now: Date): Promise<string[]> {
    const rows: { id: string }[] = await this.repo.query(
      `SELECT t.id FROM api_tokens t
        WHERE ${usable('t', '$1')} AND t.retires_at IS NULL
          AND COALESCE(t.last_used_at, t.created_at) <= $1::timestamptz - make_interval(secs => $2)
        ORDER BY COALESCE(t.last_used_at, t.created_at) LIMIT ${REMINDER_BATCH}`,
      [now, inactivitySeconds],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Revokes one token for inactivity if it still qualifies (not used, revoked or rotated
   * meanwhile), in `manager`'s transaction. Returns it when this call revoked it.
   */
  async revokeIfInactive(manager: EntityManager, id: string, inactivitySeconds: number, now: Date): Promise<ReminderCandidate | null> {
    const rows: ReminderRow[] = await manager.query(
      `WITH revoked AS (${change(
        "revoked_at = $2, revoked_reason = 'inactivity'",
        `t.id = $1 AND ${usable('t', '$2')} AND t.retires_at IS NULL
         AND COALESCE(t.last_used_at, t.created_at) <= $2::timestamptz - make_interval(secs => $3)`,
        't.id, t.user_id, t.name, t.hint, t.revoked_at AS at, COALESCE(t.last_used_at, t.created_at) AS since',
      )})
       SELECT r.*, u.timezone FROM revoked r JOIN users u ON u.id = r.user_id`,
      [id, now, inactivitySeconds],
    );
    return rows[0] ? toCandidate(rows[0]) : null;
  }
}

/** Rolls a rotation back when the old token changed between reading and writing. */
class RotationLost extends Error {}
