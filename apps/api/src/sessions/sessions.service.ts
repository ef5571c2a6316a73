import { createHash, createHmac, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AccessTokens } from './access-tokens';
import { Clock } from '../common/clock';
import { unauthorized } from '../common/http/errors';
import { APP_CONFIG, AppConfig } from '../config/config';
import { SecretsService } from '../config/secrets.service';
import { EventOrigin, SecurityEvents } from '../security-log/security-events.service';
import { SessionEntity } from './session.entity';
import { SessionsRepository } from './sessions.repository';

export interface IssuedSession {
  sessionId: string;
  userId: string;
  accessToken: string;
  /** Raw refresh token, for the httpOnly cookie only. */
  refreshToken: string;
  refreshExpiresAt: Date;
}

const hashRefresh = (raw: string) => createHash('sha256').update(raw).digest();

/**
 * How long a just-replaced refresh token is still accepted, answered with the same successor:
 * two tabs (or a retried request) refreshing with the same cookie at once are not a theft.
 */
export const REFRESH_GRACE_MS = 20_000;

/**
 * Sessions: a short-lived access JWT plus a refresh token that rotates on every use. Presenting a
 * refresh token that was already used revokes the whole session (it was copied), except within
 * REFRESH_GRACE_MS of its use: then the answer carries the same successor as the first use did.
 * The successor is derived from the old token with a server key (HMAC), so it can be given again
 * without ever storing a raw token.
 */
@Injectable()
export class SessionsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly sessions: SessionsRepository,
    private readonly accessTokens: AccessTokens,
    private readonly clock: Clock,
    private readonly secrets: SecretsService,
    private readonly events: SecurityEvents,
  ) {}

  /**
   * A new session after a password sign-in (or sign-up): its password proof is fresh. `via`: how
   * the person proved who they are (recorded in the security log).
   */
  async start(userId: string, origin: EventOrigin, via: 'password' | 'registration'): Promise<IssuedSession> {
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.config.refreshTokenTtlSeconds * 1000);
    const session = await this.sessions.create(userId, expiresAt, now);
    const issued = await this.issue(session, now, null, randomBytes(32).toString('base64url'));
    this.events.record({ userId, type: 'session.signed_in', at: now, origin, detail: { via } });
    return issued;
  }

  /** Rotates a refresh token: the old one is spent, a new one and a new access token are issued. */
  async refresh(rawRefresh: string | undefined, origin: EventOrigin): Promise<IssuedSession> {
    if (!rawRefresh) throw unauthorized('session', 'is missing; sign in');
    return this.sessions.transaction(async (em) => {
      const token = await this.sessions.findRefreshForUpdate(em, hashRefresh(rawRefresh));
      if (!token) throw unauthorized('session', 'is invalid; sign in');
      const session = await this.sessions.findSession(em, token.sessionId);
      const now = this.clock.now();
      if (!session || session.revokedAt || session.expiresAt.getTime() <= now.getTime()) {
        throw unauthorized('session', 'has ended; sign in');
      }
      const successor = this.successorOf(rawRefresh);
      if (token.usedAt) {
        if (now.getTime() - token.usedAt.getTime() <= REFRESH_GRACE_MS) {
          const next = await this.sessions.findRefreshOf(em, hashRefresh(successor), session.id);
          if (next) return this.reissue(session, successor);
        }
        await this.sessions.revokeForReuse(em, session.id, now);
        return { reused: session.userId, at: now };
      }
      await this.sessions.markRefreshUsed(em, token.tokenHash, now);
      return this.issue(session, now, em, successor);
    }).then((result) => {
      if ('reused' in result) {
        this.events.record({ userId: result.reused, type: 'session.reuse_detected', at: result.at, origin });
        throw unauthorized('session', 'has been revoked because a refresh token was reused; sign in');
      }
      return result;
    });
  }

  /** The session's password was just confirmed: sensitive actions are allowed for REAUTH_WINDOW. */
  async markReauthenticated(sessionId: string): Promise<void> {
    await this.sessions.markReauthenticated(sessionId, this.clock.now());
  }

  async end(sessionId: string, origin: EventOrigin): Promise<void> {
    const now = this.clock.now();
    const userId = await this.sessions.endSignedOut(sessionId, now);
    if (userId) this.events.record({ userId, type: 'session.signed_out', at: now, origin });
  }

  /** Ends a session found by its refresh token (sign out with only the cookie). */
  async endByRefresh(rawRefresh: string, origin: EventOrigin): Promise<void> {
    const token = await this.sessions.findRefresh(hashRefresh(rawRefresh));
    if (token) await this.end(token.sessionId, origin);
  }

  async endAllExcept(userId: string, keepSessionId: string | undefined): Promise<void> {
    await this.sessions.endAllAfterPasswordChange(userId, keepSessionId, this.clock.now());
  }

  /** The refresh token that replaces `raw`: unguessable without the server key, the same every time. */
  private successorOf(raw: string): string {
    return createHmac('sha256', this.secrets.jwtKey).update(`refresh-successor:${raw}`).digest('base64url');
  }

  private async issue(
    session: SessionEntity,
    now: Date,
    em: EntityManager | null,
    refreshToken: string,
  ): Promise<IssuedSession> {
    await this.sessions.insertRefresh(em, hashRefresh(refreshToken), session.id, now);
    return this.reissue(session, refreshToken);
  }

  /** A fresh access token next to a refresh token that is already stored. */
  private reissue(session: SessionEntity, refreshToken: string): IssuedSession {
    return {
      sessionId: session.id,
      userId: session.userId,
      accessToken: this.accessTokens.sign(session.userId, session.id),
      refreshToken,
      refreshExpiresAt: session.expiresAt,
    };
  }
}
