import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-jwt';
import type { AuthenticationRefusal } from '../../access/authentication-refusal';
import type { SessionPrincipal } from '../../access/principal';
import { SecretsService } from '../../config/secrets.service';
import { JWT_VERIFY_OPTIONS, SessionAuthenticator } from '../../sessions/session-authenticator';
import { credentialOf } from '../credential';

export const JWT_STRATEGY = 'jwt';

/**
 * `Authorization: Bearer <jwt>` or `Token <jwt>` (RealWorld clients), picked by the guard for a
 * `jwt` credential. passport-jwt verifies the signature and expiry of the token the request's
 * credential holds (parsed once, see credentialOf); the sessions feature's authenticator turns the
 * claims into a principal or a refusal. A failed verification reaches the guard as passport-jwt's
 * error (see verificationRefusal).
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) {
  constructor(
    private readonly authenticator: SessionAuthenticator,
    secrets: SecretsService,
  ) {
    super({
      jwtFromRequest: (request: FastifyRequest) => {
        const credential = credentialOf(request);
        return credential.kind === 'jwt' ? credential.token : null;
      },
      // A KeyObject, not a string: jsonwebtoken then skips a failed public-key parse per verify.
      // Asked per request: the secrets are loaded after the strategy is built.
      secretOrKeyProvider: (_request: unknown, _token: unknown, done: (error: null, key: string) => void) =>
        done(null, secrets.jwtKey as unknown as string),
      jsonWebTokenOptions: JWT_VERIFY_OPTIONS,
      passReqToCallback: true,
    });
  }

  /** A refusal is handed on as the result: the guard tells principals and refusals apart. */
  validate(request: FastifyRequest, claims: unknown): Promise<SessionPrincipal | AuthenticationRefusal> {
    const credential = credentialOf(request);
    return this.authenticator.authenticateClaims(claims, credential.kind === 'jwt' ? credential.token : '');
  }
}
