import { CallHandler, ExecutionContext, Injectable, NestInterceptor, UseInterceptors } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { Observable } from 'rxjs';

/** Sets `Cache-Control: no-store` before the handler runs, so that every answer of the route carries it. */
@Injectable()
export class NoStoreInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    void reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache');
    return next.handle();
  }
}

/**
 * For every route whose answer carries a secret (a raw API token, a session's access token, an
 * OAuth access token): no cache, shared or private, may keep it.
 */
export const NoStore = () => UseInterceptors(NoStoreInterceptor);
