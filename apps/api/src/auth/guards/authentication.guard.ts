import { CanActivate, ExecutionContext, HttpException, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TOKEN_EXPIRES_AT_HEADER } from '@conduit/contracts';
import { routeAccessOf } from '../../access/access.decorator';
import { AuthenticationRefusal, INVALID } from '../../access/authentication-refusal';
import type { Principal } from '../../access/principal';
import { ClientIpResolver } from '../../common/client-ip';
import { BEARER_CHALLENGE, serviceUnavailable, unauthorized } from '../../common/http/errors';
import { isDatabaseUnavailable } from '../../database/pg-errors';
import { CredentialKind, Metrics } from '../../metrics/metrics';
import { TokenRefusals } from '../../security-log/token-refusals';
import { AuthThrottle, tooManyFailures } from '../../throttle/auth-throttle';
import { invalidRequest, invalidToken } from '../authorization-header';
import { Credential, credentialOf } from '../credential';
import { API_TOKEN_STRATEGY } from '../strategies/api-token.strategy';
import { JWT_STRATEGY } from '../strategies/jwt.strategy';
import { verificationRefusal } from '../../sessions/session-authenticator';

/** What a strategy hands on: a principal, a refusal value (the authenticators'), or nothing. */
type Outcome = Principal | AuthenticationRefusal | false | null;
type Settle = (error: unknown, result: Outcome, info: unknown, context: ExecutionContext) => Principal;

/** A Passport guard for one strategy whose outcome `settle` decides. */
function passportGuard(strategy: string, settle: Settle): CanActivate {
  return new (class extends AuthGuard(strategy) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    override handleRequest(error: unknown, result: Outcome, info: unknown, context: ExecutionContext): any {
      return settle(error, result, info, context);
    }
  })();
}

/**
 * The first global guard, authentication. It reads the request's credential (parsed once, see
 * credentialOf) and runs the one strategy for its kind: a session access token (jwt) or an API
 * token. It reads the route's declaration (@Access) only to skip public routes and to let
 * anonymous callers through on optional ones; what the caller may do is decided after it, by the
 * AuthorizationGuard.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  private readonly settle: Settle = (error, result, info, context) => this.outcome(error, result, info, context);
  private readonly strategies: Record<'jwt' | 'api-token', CanActivate> = {
    jwt: passportGuard(JWT_STRATEGY, this.settle),
    'api-token': passportGuard(API_TOKEN_STRATEGY, this.settle),
  };

  constructor(
    private readonly throttle: AuthThrottle,
    private readonly clientIp: ClientIpResolver,
    private readonly refusals: TokenRefusals,
    private readonly metrics: Metrics,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // A route without a declaration is authenticated here and refused by authorization.
    const kind = routeAccessOf(context.getHandler())?.kind;
    if (kind === 'public') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const credential = credentialOf(request);
    switch (credential.kind) {
      case 'malformed':
        this.metrics.authentication('other', 'malformed_header');
        throw invalidRequest(credential.problem);
      case 'none':
        if (kind === 'optional') return true;
        this.metrics.authentication('none', 'missing');
        throw unauthorized('token', 'is missing', { 'WWW-Authenticate': BEARER_CHALLENGE });
      case 'unsupported':
        this.refuse(request, credential, INVALID);
      // eslint-disable-next-line no-fallthrough
      case 'jwt':
      case 'api-token':
        return (await this.strategies[credential.kind].canActivate(context)) as boolean;
    }
  }

  /** What the picked strategy's outcome means: the principal, or an answer. */
  private outcome(error: unknown, result: Outcome, info: unknown, context: ExecutionContext): Principal {
    if (error) {
      if (error instanceof HttpException) throw error;
      if (isDatabaseUnavailable(error)) throw serviceUnavailable();
      throw error;
    }
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    // A refusal comes back as the strategy's result; passport-jwt's own verification failure as its info.
    if (!result || isRefusal(result)) this.refuse(request, credentialOf(request), isRefusal(result) ? result : verificationRefusal(info));
    const principal = result;
    this.metrics.authentication(principal.kind === 'session' ? 'session' : principal.token.minted ? 'minted_token' : 'api_token', 'success');
    if (principal.kind === 'api-token' && principal.token.expiresAt) {
      context.switchToHttp().getResponse<FastifyReply>().header(TOKEN_EXPIRES_AT_HEADER, principal.token.expiresAt.toISOString());
    }
    return principal;
  }

  /**
   * The one place where a credential is refused: a 401 `invalid_token` saying why, or a 429 once
   * the address is over its failed-authentication budget. An expired session token is not
   * counted (browsers hold one until they refresh it); a refusal of a known token goes to the
   * security log.
   */
  private refuse(request: FastifyRequest, credential: Credential, refusal: AuthenticationRefusal): never {
    const ip = this.clientIp.resolve(request.raw);
    if (refusal.token) this.refusals.count(refusal.token.userId, refusal.token.id, refusal.token.reason, ip, request.headers['user-agent']);
    const kind: CredentialKind = credential.kind === 'jwt' ? 'session' : credential.kind === 'api-token' ? 'api_token' : 'other';
    if (refusal.message !== 'has expired' || credential.kind !== 'jwt') {
      const retryAfter = this.throttle.fail(ip);
      if (retryAfter !== null) {
        this.metrics.authentication(kind, 'throttled');
        throw tooManyFailures('token', retryAfter);
      }
    }
    this.metrics.authentication(kind, refusal.token?.reason ?? refusalReason(refusal));
    throw invalidToken(refusal.message);
  }
}

function isRefusal(info: unknown): info is AuthenticationRefusal {
  return typeof info === 'object' && info !== null && (info as { kind?: unknown }).kind === 'refused';
}

/** A label for a refusal of an unknown credential (never its value): invalid, expired, missing. */
function refusalReason(refusal: AuthenticationRefusal): string {
  if (refusal.message === 'has expired') return 'expired';
  if (refusal.message === 'is missing') return 'missing';
  if (refusal.message === 'has been revoked') return 'revoked';
  if (refusal.message === 'has been rotated') return 'rotated';
  if (refusal.message.startsWith('is not allowed')) return 'ip_not_allowed';
  return 'invalid';
}
