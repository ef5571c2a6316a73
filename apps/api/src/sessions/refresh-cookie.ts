import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ClientIpResolver } from '../common/client-ip';
import { APP_CONFIG, AppConfig } from '../config/config';
import type { IssuedSession } from './sessions.service';

export const REFRESH_COOKIE = 'conduit_refresh';
const COOKIE_PATH = '/api/users';

/** The refresh token travels only in this httpOnly, SameSite=Strict cookie, scoped to the session endpoints. */
@Injectable()
export class RefreshCookie {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clientIp: ClientIpResolver,
  ) {}

  read(request: FastifyRequest): string | undefined {
    return request.cookies?.[REFRESH_COOKIE] || undefined;
  }

  set(request: FastifyRequest, reply: FastifyReply, session: IssuedSession): void {
    reply.setCookie(REFRESH_COOKIE, session.refreshToken, {
      httpOnly: true,
      sameSite: 'strict',
      secure: this.secure(request),
      path: COOKIE_PATH,
      expires: session.refreshExpiresAt,
    });
  }

  clear(request: FastifyRequest, reply: FastifyReply): void {
    reply.clearCookie(REFRESH_COOKIE, { httpOnly: true, sameSite: 'strict', secure: this.secure(request), path: COOKIE_PATH });
  }

  private secure(request: FastifyRequest): boolean {
    // auto: Secure when the request came over HTTPS, directly or through a trusted proxy.
    return this.config.cookieSecure === 'auto' ? this.clientIp.isHttps(request.raw) : this.config.cookieSecure;
  }
}
