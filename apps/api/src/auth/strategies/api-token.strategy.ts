import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-http-bearer';
import type { AuthenticationRefusal } from '../../access/authentication-refusal';
import type { TokenPrincipal } from '../../access/principal';
import { TokenAuthenticator } from '../../api-tokens/token-authenticator';
import { ClientIpResolver } from '../../common/client-ip';
import { credentialOf } from '../credential';

export const API_TOKEN_STRATEGY = 'api-token';

/** What passport-http-bearer is shown of a request: the one credential, and the request itself. */
interface BearerView {
  headers: { authorization?: string };
  request: FastifyRequest;
}

/**
 * `Authorization: Bearer conduit_…`, picked by the guard for an `api-token` credential:
 * passport-http-bearer takes the token, and the api-tokens feature's authenticator decides, with
 * the client address and the user agent.
 */
@Injectable()
export class ApiTokenStrategy extends PassportStrategy(Strategy, API_TOKEN_STRATEGY) {
  constructor(
    private readonly authenticator: TokenAuthenticator,
    private readonly clientIp: ClientIpResolver,
  ) {
    super({ passReqToCallback: true });
  }

  /**
   * passport-http-bearer reads the header itself (one space only) and would also take an
   * `access_token` from the body or the query string. It is shown only the credential the request
   * was parsed into once (any spacing RFC 7235 allows), never a body or a query string: tokens in
   * URLs end up in logs and histories.
   */
  override authenticate(req: Parameters<Strategy<never>['authenticate']>[0], options?: object): void {
    const request = req as unknown as FastifyRequest; // Nest hands Passport the Fastify request
    const credential = credentialOf(request);
    const view: BearerView = { headers: credential.kind === 'api-token' ? { authorization: `Bearer ${credential.token}` } : {}, request };
    super.authenticate(view as never, options);
  }

  /**
   * A refusal is handed on as the result (passport-http-bearer would flatten a failure's details
   * into a challenge string): the guard tells principals and refusals apart.
   */
  validate(view: BearerView, token: string): Promise<TokenPrincipal | AuthenticationRefusal> {
    const { request } = view;
    return this.authenticator.authenticate(token, this.clientIp.resolve(request.raw), request.headers['user-agent']);
  }
}
