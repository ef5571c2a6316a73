import { Injectable } from '@nestjs/common';
import * as jwt from 'jsonwebtoken';
import { AuthenticationRefusal, INVALID, refused } from '../access/authentication-refusal';
import type { SessionPrincipal } from '../access/principal';
import { SecretsService } from '../config/secrets.service';
import { isInvalidTextRepresentation } from '../database/pg-errors';
import type { AccessTokenClaims } from './access-tokens';
import { SessionsRepository, type SessionUserRow } from './sessions.repository';

const EXPIRED = Object.freeze(refused('has expired'));
const REVOKED = Object.freeze(refused('has been revoked'));
/** HS256 only: a token signed otherwise (`none`, a public-key algorithm) is refused. */
export const JWT_VERIFY_OPTIONS: jwt.VerifyOptions = { algorithms: ['HS256'] };

/** What a failed verification means for the caller: an expired token, or an invalid one. */
export const verificationRefusal = (error: unknown): AuthenticationRefusal =>
  error instanceof jwt.TokenExpiredError ? EXPIRED : INVALID;

/**
 * Authenticates a session access token (an HS256 JWT signed by AccessTokens): its signature and
 * expiry, then one indexed query for the user's row through a live session. A database error is
 * thrown (the guard answers 503: never a pass, never a 401).
 */
@Injectable()
export class SessionAuthenticator {
  constructor(
    private readonly secrets: SecretsService,
    private readonly sessions: SessionsRepository,
  ) {}

  /** Verifies a session access token (signature, expiry), then authenticates its claims. */
  async authenticate(accessToken: string): Promise<SessionPrincipal | AuthenticationRefusal> {
    let claims: unknown;
    try {
      claims = jwt.verify(accessToken, this.secrets.jwtKey, JWT_VERIFY_OPTIONS);
    } catch (error) {
      return verificationRefusal(error);
    }
    return this.authenticateClaims(claims, accessToken);
  }

  /**
   * The claims of an access token whose signature and expiry were verified (here, or by the JWT
   * strategy): the live session and its user, in one indexed query.
   */
  async authenticateClaims(verified: unknown, accessToken: string): Promise<SessionPrincipal | AuthenticationRefusal> {
    const claims = verified as Partial<AccessTokenClaims> & { exp?: unknown; iat?: unknown };
    if (typeof claims !== 'object' || claims === null || typeof claims.sub !== 'string' || typeof claims.sid !== 'string') return INVALID;
    // Every token this server signs has exp and iat: one without them was not issued as a session's.
    if (typeof claims.exp !== 'number' || typeof claims.iat !== 'number') return INVALID;
    let row: SessionUserRow | undefined;
    try {
      row = await this.sessions.findLiveSessionUser(claims.sid, claims.sub);
    } catch (error) {
      if (isInvalidTextRepresentation(error)) return REVOKED; // not a uuid: no such session
      throw error;
    }
    if (!row) return REVOKED;
    return {
      kind: 'session',
      user: { id: row.id, username: row.username, email: row.email, bio: row.bio, image: row.image, timezone: row.timezone },
      sessionId: claims.sid,
      accessToken,
      reauthenticatedAt: row.reauth_ms,
    };
  }
}
