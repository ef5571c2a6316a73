import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../access/principal';
import { Db, type Queryable } from '../database/db';

/** The user of a live session, and when the session last proved its password (epoch ms). */
export interface SessionUserRow extends AuthUser {
  reauth_ms: number | null;
}

const SESSION_USER_SQL = `
  SELECT u.id, u.username, u.email, u.bio, u.image, u.timezone,
         date_part('epoch', s.reauthenticated_at) * 1000 AS reauth_ms
    FROM sessions s JOIN users u ON u.id = s.user_id
   WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL`;

/**
 * The raw statements on `sessions`: authentication's per-request one, and those other features run
 * inside their own transactions. (The sessions service still reads and writes sessions and refresh
 * tokens through TypeORM entities.)
 */
@Injectable()
export class SessionsRepository {
  constructor(private readonly db: Db) {}

  /**
   * Authentication's one query per session request, a named prepared statement (planned once per
   * connection): the user through the live session `sessionId` of `userId`. Throws what PostgreSQL
   * throws (e.g. for an id that is not a uuid).
   */
  async findLiveSessionUser(sessionId: string, userId: string): Promise<SessionUserRow | undefined> {
    const rows = await this.db.query<SessionUserRow>(SESSION_USER_SQL, [sessionId, userId], 'auth_session_user');
    return rows[0];
  }

  /** Ends every live session of the account after a password reset. */
  async revokeAllAfterPasswordReset(tx: Queryable, userId: string, now: Date): Promise<void> {
    await tx.query(
      "UPDATE sessions SET revoked_at = $2, revoked_reason = 'password reset' WHERE user_id = $1 AND revoked_at IS NULL",
      [userId, now],
    );
  }
}
