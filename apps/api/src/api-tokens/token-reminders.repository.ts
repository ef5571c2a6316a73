import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

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

const BATCH = 500;

/** Notification dedupe keys: one notification per token and threshold, ever. */
export const reminderKeys = {
  expiry: (tokenId: string, threshold: ExpiryThreshold) => `${threshold === 'expired' ? 'token_expired' : 'token_expiring'}:${tokenId}:${threshold}`,
  /** Per last use: a token used again after a warning gets a new warning when it idles again. */
  inactive: (tokenId: string, since: Date) => `token_inactive:${tokenId}:${since.getTime()}`,
  revoked: (tokenId: string) => `token_revoked:${tokenId}`,
};

interface Row { id: string; user_id: string; name: string; hint: string; at: Date; since: Date; timezone: string }
const toCandidate = (r: Row): ReminderCandidate => ({ id: r.id, userId: r.user_id, name: r.name, hint: r.hint, at: r.at, since: r.since, timezone: r.timezone });

/**
 * The api_tokens queries of the reminder and inactivity jobs. Only tokens still in use count:
 * not revoked and not rotated (a rotated token's replacement gets its own reminders). Tokens
 * already reminded for a threshold are left out (by the notification's unique dedupe key).
 */
@Injectable()
export class TokenRemindersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Tokens that crossed `threshold` and have not been told: 7 days or 1 day before expiry (only
   * when the token was created before that point: a 7-day token hears nothing at birth), or at
   * expiry (within the last 7 days: tokens that expired long ago are not announced).
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
    const rows: Row[] = await this.dataSource.query(
      `SELECT t.id, t.user_id, t.name, t.hint, t.expires_at AS at, t.created_at AS since, u.timezone
         FROM api_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.revoked_at IS NULL AND t.retires_at IS NULL AND t.expires_at IS NOT NULL
          AND ${window}
          AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.dedupe_key = $2 || t.id || ':${threshold}')
        ORDER BY t.expires_at LIMIT ${BATCH}`,
      [now, threshold === 'expired' ? 'token_expired:' : 'token_expiring:', ...bounds],
    );
    return rows.map(toCandidate);
  }

  /**
   * Usable tokens whose inactivity revocation (last use, or creation, + `inactivitySeconds`) is
   * at most 7 days away, which will not expire before it, and whose owner has not been warned
   * since that last use.
   */
  async dueForInactivityWarning(inactivitySeconds: number, now: Date): Promise<ReminderCandidate[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT t.id, t.user_id, t.name, t.hint, s.since + make_interval(secs => $2) AS at, s.since, u.timezone
         FROM api_tokens t JOIN users u ON u.id = t.user_id
         CROSS JOIN LATERAL (SELECT COALESCE(t.last_used_at, t.created_at) AS since) s
        WHERE t.revoked_at IS NULL AND t.retires_at IS NULL
          AND s.since + make_interval(secs => $2) <= $1::timestamptz + interval '7 days'
          AND s.since + make_interval(secs => $2) > $1
          AND (t.expires_at IS NULL OR t.expires_at > s.since + make_interval(secs => $2))
          AND NOT EXISTS (SELECT 1 FROM notifications n
                           WHERE n.dedupe_key = 'token_inactive:' || t.id || ':' || floor(extract(epoch FROM s.since) * 1000)::bigint)
        ORDER BY s.since LIMIT ${BATCH}`,
      [now, inactivitySeconds],
    );
    return rows.map(toCandidate);
  }

  /** Usable tokens unused for `inactivitySeconds` (since the last use, or creation if never used). */
  async inactiveIds(inactivitySeconds: number, now: Date): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT t.id FROM api_tokens t
        WHERE t.revoked_at IS NULL AND t.retires_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $1)
          AND COALESCE(t.last_used_at, t.created_at) <= $1::timestamptz - make_interval(secs => $2)
        ORDER BY COALESCE(t.last_used_at, t.created_at) LIMIT ${BATCH}`,
      [now, inactivitySeconds],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Revokes one token for inactivity if it still qualifies (not used, revoked or rotated
   * meanwhile), in `manager`'s transaction. Returns it when this call revoked it.
   */
  async revokeIfInactive(manager: EntityManager, id: string, inactivitySeconds: number, now: Date): Promise<ReminderCandidate | null> {
    const [rows]: [Row[], number] = await manager.query(
      `UPDATE api_tokens t SET revoked_at = $2, revoked_reason = 'inactivity', version = t.version + 1
         FROM users u
        WHERE t.id = $1 AND u.id = t.user_id
          AND t.revoked_at IS NULL AND t.retires_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $2)
          AND COALESCE(t.last_used_at, t.created_at) <= $2::timestamptz - make_interval(secs => $3)
       RETURNING t.id, t.user_id, t.name, t.hint, t.revoked_at AS at, COALESCE(t.last_used_at, t.created_at) AS since, u.timezone`,
      [id, now, inactivitySeconds],
    );
    return rows[0] ? toCandidate(rows[0]) : null;
  }
}
