import { ExecutionContext, HttpException, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TOKEN_EXPIRES_AT_HEADER } from '@conduit/contracts';
import { ClientIpResolver } from '../../common/client-ip';
import { BEARER_CHALLENGE, isDatabaseUnavailable, serviceUnavailable, unauthorized } from '../../common/http/errors';
import { looksLikeApiToken } from '../../api-tokens/token-codec';
import { AuthThrottle, tooManyFailures } from '../auth-throttle';
import { authorizationProblem, credentialOf, invalidRequest, invalidToken } from '../authorization-header';
import { TokenRefusals } from '../../security-log/token-refusals';
import { AuthFailureReason, authFailureOf } from '../auth-failure';
import { routeAccessOf } from '../decorators/access.decorator';
import { API_TOKEN_STRATEGY, JWT_STRATEGY, Principal } from '../principal';

/**
 * The first global guard, authentication: passport-jwt first, then the API-token (bearer)
 * strategy, so that the same `Authorization: Bearer …` header carries either. It reads the
 * route's declaration (@Access) only to skip public routes and to let anonymous callers through
 * on optional ones; what the caller may do is decided after it, by the AuthorizationGuard.
 */
@Injectable()
export class ChainedAuthGuard extends AuthGuard([JWT_STRATEGY, API_TOKEN_STRATEGY]) {
  constructor(
    private readonly throttle: AuthThrottle,
    private readonly clientIp: ClientIpResolver,
    private readonly refusals: TokenRefusals,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    // A route without a declaration is authenticated here and refused by authorization.
    const kind = routeAccessOf(context.getHandler())?.kind;
    if (kind === 'public') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const malformed = authorizationProblem(request.raw);
    if (malformed) throw invalidRequest(malformed);
    const authorization = request.headers.authorization;
    if (kind === 'optional' && !authorization) return true;
    return (await super.canActivate(context)) as boolean;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override handleRequest(error: unknown, principal: Principal | false | null, info: unknown, context: ExecutionContext): any {
    if (error) {
      if (error instanceof HttpException) throw error;
      if (isDatabaseUnavailable(error)) throw serviceUnavailable();
      throw error;
    }
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    if (principal) {
      if (principal.kind === 'api-token' && principal.token.expiresAt) {
        reply.header(TOKEN_EXPIRES_AT_HEADER, principal.token.expiresAt.toISOString());
      }
      return principal;
    }

    const authorization = request.headers.authorization;
    if (!authorization) {
      throw unauthorized('token', 'is missing', { 'WWW-Authenticate': BEARER_CHALLENGE });
    }
    const credential = credentialOf(authorization);
    const reason = authFailureOf(request) ?? (looksLikeApiToken(credential) ? 'is invalid' : jwtFailure(info));
    this.refusals.refused(request);
    if (reason !== 'has expired' || looksLikeApiToken(credential)) {
      const retryAfter = this.throttle.fail(this.clientIp.resolve(request.raw));
      if (retryAfter !== null) throw tooManyFailures('token', retryAfter);
    }
    throw invalidToken(reason);
  }
}

/** passport-jwt's failure for a session token: the first of the chain's challenges. */
function jwtFailure(info: unknown): AuthFailureReason {
  const first = Array.isArray(info) ? info[0] : info;
  return (first as { name?: string } | undefined)?.name === 'TokenExpiredError' ? 'has expired' : 'is invalid';
}
