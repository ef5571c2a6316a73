import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, IsNull, Not, Repository } from 'typeorm';
import type { AuthUser } from '../access/principal';
import { Db, type Queryable } from '../database/db';
import { RefreshTokenEntity } from './refresh-token.entity';
import { SessionEntity } from './session.entity';

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
 * The one place that knows how sessions and their refresh tokens are stored: authentication's
 * per-request query, the statements other features run inside their own transactions, and the
 * sessions service's reads and writes (through the TypeORM entities; a refresh runs in one
 * transaction, whose EntityManager the methods that take one join).
 */
@Injectable()
export class SessionsRepository {
  constructor(
    private readonly db: Db,
    private readonly dataSource: DataSource,
    @InjectRepository(SessionEntity) private readonly sessions: Repository<SessionEntity>,
  ) {}

  /** Runs `work` in one (TypeORM) transaction: a refresh token's rotation. */
  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** A new session whose password proof is `reauthenticatedAt`. */
  create(userId: string, expiresAt: Date, reauthenticatedAt: Date): Promise<SessionEntity> {
    return this.sessions.save(this.sessions.create({ userId, expiresAt, revokedAt: null, reauthenticatedAt }));
  }

  findSession(em: EntityManager, id: string): Promise<SessionEntity | null> {
    return em.getRepository(SessionEntity).findOneBy({ id });
  }

  /** The refresh token with this hash, locked until the end of the transaction. */
  findRefreshForUpdate(em: EntityManager, tokenHash: Buffer): Promise<RefreshTokenEntity | null> {
    return em.getRepository(RefreshTokenEntity).findOne({ where: { tokenHash }, lock: { mode: 'pessimistic_write' } });
  }

  /** The refresh token with this hash, of this session. */
  findRefreshOf(em: EntityManager, tokenHash: Buffer, sessionId: string): Promise<RefreshTokenEntity | null> {
    return em.getRepository(RefreshTokenEntity).findOneBy({ tokenHash, sessionId });
  }

  /** The refresh token with this hash (outside any transaction). */
  findRefresh(tokenHash: Buffer): Promise<RefreshTokenEntity | null> {
    return this.dataSource.getRepository(RefreshTokenEntity).findOneBy({ tokenHash });
  }

  async markRefreshUsed(em: EntityManager, tokenHash: Buffer, usedAt: Date): Promise<void> {
    await em.getRepository(RefreshTokenEntity).update({ tokenHash }, { usedAt });
  }

  /** Stores a refresh token of the session; `em`: inside that transaction (the pool otherwise). */
  async insertRefresh(em: EntityManager | null, tokenHash: Buffer, sessionId: string, createdAt: Date): Promise<void> {
    await (em ?? this.dataSource.manager).getRepository(RefreshTokenEntity).insert({ tokenHash, sessionId, usedAt: null, createdAt });
  }

  /** Ends the session because a spent refresh token came back. */
  async revokeForReuse(em: EntityManager, id: string, at: Date): Promise<void> {
    await em.getRepository(SessionEntity).update({ id }, { revokedAt: at, revokedReason: 'refresh token reuse' });
  }

  /** The session's password was just confirmed (a live session only). */
  async markReauthenticated(id: string, at: Date): Promise<void> {
    await this.sessions.update({ id, revokedAt: IsNull() }, { reauthenticatedAt: at });
  }

  /** Signs the session out; its account when it was live, null otherwise. */
  async endSignedOut(id: string, at: Date): Promise<string | null> {
    const result = await this.sessions
      .createQueryBuilder()
      .update(SessionEntity)
      .set({ revokedAt: at, revokedReason: 'sign out' })
      .where('id = :id AND revoked_at IS NULL', { id })
      .returning('user_id')
      .execute();
    return (result.raw as Array<{ user_id: string }>)[0]?.user_id ?? null;
  }

  /** Ends every live session of the account but `keepSessionId`, after a password change. */
  async endAllAfterPasswordChange(userId: string, keepSessionId: string | undefined, at: Date): Promise<void> {
    await this.sessions.update(
      { userId, revokedAt: IsNull(), ...(keepSessionId ? { id: Not(keepSessionId) } : {}) },
      { revokedAt: at, revokedReason: 'password changed' },
    );
  }

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
