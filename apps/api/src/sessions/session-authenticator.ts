import { Injectable } from '@nestjs/common';
import * as jwt from 'jsonwebtoken';
import { AuthenticationRefusal, INVALID, refused } from '../access/authentication-refusal';
import type { AuthUser, SessionPrincipal } from '../access/principal';
import { SecretsService } from '../config/secrets.service';
import { PgStatements } from '../database/pg-statements';
import type { AccessTokenClaims } from './access-tokens';

/** The user, and when the session last proved its password (for sensitive actions). */
interface SessionUserRow extends AuthUser {
  reauth_ms: number | null;
}

const SESSION_USER_SQL = `
  SELECT u.id, u.username, u.email, u.bio, u.image, u.timezone,
         date_part('epoch', s.reauthenticated_at) * 1000 AS reauth_ms
    FROM sessions s JOIN users u ON u.id = s.user_id
   WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL`;

const EXPIRED = Object.freeze(refused('has expired'));
const REVOKED = Object.freeze(refused('has been revoked'));
const VERIFY_OPTIONS: jwt.VerifyOptions = { algorithms: ['HS256'] };

/**
 * Authenticates a session access token (an HS256 JWT signed by AccessTokens): its signature and
 * expiry, then one indexed query for the user's row through a live session. A database error is
 * thrown (the guard answers 503: never a pass, never a 401).
 */
@Injectable()
export class SessionAuthenticator {
  constructor(
    private readonly secrets: SecretsService,
    private readonly statements: PgStatements,
  ) {}

  async authenticate(accessToken: string): Promise<SessionPrincipal | AuthenticationRefusal> {
    let claims: Partial<AccessTokenClaims>;
    try {
      // A KeyObject (not a string): jsonwebtoken then skips a failed public-key parse per verify.
      claims = jwt.verify(accessToken, this.secrets.jwtKey, VERIFY_OPTIONS) as Partial<AccessTokenClaims>;
    } catch (error) {
      return error instanceof jwt.TokenExpiredError ? EXPIRED : INVALID;
    }
    if (typeof claims !== 'object' || typeof claims.sub !== 'string' || typeof claims.sid !== 'string') return INVALID;
    let rows: SessionUserRow[];
    try {
      rows = await this.statements.query<SessionUserRow>('auth_session_user', SESSION_USER_SQL, [claims.sid, claims.sub]);
    } catch (error) {
      if ((error as { code?: string }).code === '22P02') return REVOKED; // not a uuid: no such session
      throw error;
    }
    const row = rows[0];
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
