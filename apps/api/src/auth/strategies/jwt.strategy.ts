import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { SecretsService } from '../../config/secrets.service';
import { PgStatements } from '../../database/pg-statements';
import { looksLikeApiToken } from '../../api-tokens/token-codec';
import type { AccessTokenClaims } from '../access-tokens';
import { recordAuthFailure } from '../auth-failure';
import { AuthUser, JWT_STRATEGY, SessionPrincipal } from '../principal';

/** `Authorization: Bearer <jwt>` or `Token <jwt>` (RealWorld clients); API tokens are left to the next strategy. */
const schemes = [ExtractJwt.fromAuthHeaderWithScheme('bearer'), ExtractJwt.fromAuthHeaderWithScheme('token')];
function extractJwt(request: FastifyRequest): string | null {
  for (const extract of schemes) {
    const token = extract(request as never);
    if (token) return looksLikeApiToken(token) ? null : token;
  }
  return null;
}

const NO_JWT = Object.freeze({ message: 'no session token in the Authorization header' });

/** The user, and when the session last proved its password (for sensitive actions). */
interface SessionUserRow extends AuthUser {
  reauth_ms: number | null;
}

const SESSION_USER_SQL = `
  SELECT u.id, u.username, u.email, u.bio, u.image, u.timezone,
         date_part('epoch', s.reauthenticated_at) * 1000 AS reauth_ms
    FROM sessions s JOIN users u ON u.id = s.user_id
   WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL`;

/** First in the chain: a session access token. One indexed query (the user's row, through a live session). */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) {
  constructor(
    secrets: SecretsService,
    private readonly statements: PgStatements,
  ) {
    super({
      jwtFromRequest: extractJwt,
      // A KeyObject (not a string): jsonwebtoken then skips a failed public-key parse per verify.
      secretOrKeyProvider: (_req, _raw, done) => done(null, secrets.jwtKey as never),
      algorithms: ['HS256'],
      passReqToCallback: true,
    });
  }

  /**
   * Without a JWT in the header (an API token, or nothing), fail at once: passport-jwt would
   * build an Error with a stack trace for every API-token request just to say so.
   */
  override authenticate(request: Parameters<Strategy['authenticate']>[0], options?: object): void {
    if (!extractJwt(request as unknown as FastifyRequest)) {
      return (this as unknown as { fail(info: unknown, status: number): void }).fail(NO_JWT, 401);
    }
    return super.authenticate(request, options);
  }

  async validate(request: FastifyRequest, claims: AccessTokenClaims): Promise<SessionPrincipal | null> {
    if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string') {
      recordAuthFailure(request, 'is invalid');
      return null;
    }
    let rows: SessionUserRow[];
    try {
      rows = await this.statements.query<SessionUserRow>('auth_session_user', SESSION_USER_SQL, [claims.sid, claims.sub]);
    } catch (error) {
      // A database error goes to the guard, which answers 503 (never a pass, never a 401).
      if ((error as { code?: string }).code === '22P02') rows = []; // not a uuid: a forged token
      else throw error;
    }
    if (rows.length === 0) {
      recordAuthFailure(request, 'has been revoked');
      return null;
    }
    const accessToken = extractJwt(request) as string;
    const row = rows[0];
    return {
      kind: 'session',
      user: { id: row.id, username: row.username, email: row.email, bio: row.bio, image: row.image, timezone: row.timezone },
      sessionId: claims.sid,
      accessToken,
      reauthenticatedAt: row.reauth_ms,
    };
  }
}
