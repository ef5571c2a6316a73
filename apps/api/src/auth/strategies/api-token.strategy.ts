import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-custom';
import { AuthenticationRefusal, INVALID } from '../../access/authentication-refusal';
import type { TokenPrincipal } from '../../access/principal';
import { TokenAuthenticator } from '../../api-tokens/token-authenticator';
import { ClientIpResolver } from '../../common/client-ip';
import { credentialOf } from '../credential';

export const API_TOKEN_STRATEGY = 'api-token';

/**
 * `Authorization: Bearer conduit_…`, picked by the guard for an `api-token` credential: hands the
 * token, the client address and the user agent to the api-tokens feature's authenticator. Only
 * the header counts (never a query string or body: tokens in URLs end up in logs and histories).
 */
@Injectable()
export class ApiTokenStrategy extends PassportStrategy(Strategy, API_TOKEN_STRATEGY) {
  constructor(
    private readonly authenticator: TokenAuthenticator,
    private readonly clientIp: ClientIpResolver,
  ) {
    super();
  }

  async validate(request: FastifyRequest): Promise<TokenPrincipal | [false, AuthenticationRefusal]> {
    const credential = credentialOf(request);
    if (credential.kind !== 'api-token') return [false, INVALID];
    const result = await this.authenticator.authenticate(credential.token, this.clientIp.resolve(request.raw), request.headers['user-agent']);
    return result.kind === 'refused' ? [false, result] : result;
  }
}
