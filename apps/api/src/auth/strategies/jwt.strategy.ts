import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-custom';
import { AuthenticationRefusal, INVALID } from '../../access/authentication-refusal';
import type { SessionPrincipal } from '../../access/principal';
import { SessionAuthenticator } from '../../sessions/session-authenticator';
import { credentialOf } from '../credential';

export const JWT_STRATEGY = 'jwt';

/**
 * `Authorization: Bearer <jwt>` or `Token <jwt>` (RealWorld clients), picked by the guard for a
 * `jwt` credential: hands the session access token to the sessions feature's authenticator.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) {
  constructor(private readonly authenticator: SessionAuthenticator) {
    super();
  }

  async validate(request: FastifyRequest): Promise<SessionPrincipal | [false, AuthenticationRefusal]> {
    const credential = credentialOf(request);
    if (credential.kind !== 'jwt') return [false, INVALID];
    const result = await this.authenticator.authenticate(credential.token);
    return result.kind === 'refused' ? [false, result] : result;
  }
}
