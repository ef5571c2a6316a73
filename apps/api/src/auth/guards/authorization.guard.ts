import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { Clock } from '../../common/clock';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { authorize, Refusal, refusalError } from '../../access/authorization';
import { routeAccessOf } from '../../access/access.decorator';
import type { Principal } from '../../access/principal';
import { TokenRefusals } from '../../security-log/token-refusals';

/**
 * The second global guard, after authentication: reads the route's one declaration (@Access)
 * and refuses what the caller may not do with a 403. Services never check what kind of
 * principal they serve.
 */
@Injectable()
export class AuthorizationGuard implements CanActivate {
  constructor(
    private readonly refusals: TokenRefusals,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const handler = context.getHandler();
    const routeAccess = routeAccessOf(handler);
    // Fail closed; a test walks every route so that this never happens in a build.
    if (!routeAccess) throw new Error(`${context.getClass().name}.${handler.name} declares no access (@Access)`);
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: Principal }>();
    const recentSince = this.clock.now().getTime() - this.config.reauthWindowSeconds * 1000;
    const refusal = authorize(routeAccess, request.user ?? undefined, { params: request.params, body: request.body, recentSince });
    if (refusal) this.refuse(refusal, request);
    return true;
  }

  /** The one place where authorization refuses a request. */
  private refuse(refusal: Refusal, request: FastifyRequest & { user?: Principal }): never {
    const principal = request.user;
    if (refusal.reason === 'insufficient_permission' && principal?.kind === 'api-token') {
      this.refusals.count(principal.user.id, principal.token.id, 'insufficient_permission', principal.clientIp, request.headers['user-agent']);
    }
    throw refusalError(refusal);
  }
}
