import { createParamDecorator, ExecutionContext, Injectable, PipeTransform } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ClientIpResolver } from '../common/client-ip';
import { EventOrigin, trimUserAgent } from './security-events.service';

@Injectable()
export class OriginPipe implements PipeTransform<FastifyRequest, EventOrigin> {
  constructor(private readonly clientIp: ClientIpResolver) {}

  transform(request: FastifyRequest): EventOrigin {
    return { ip: this.clientIp.resolve(request.raw), userAgent: trimUserAgent(request.headers['user-agent']) };
  }
}

const RequestParam = createParamDecorator((_data: unknown, ctx: ExecutionContext) => ctx.switchToHttp().getRequest<FastifyRequest>());

/** Where the request came from (client address from the one client-IP helper, user agent), for the security log. */
export const Origin = () => RequestParam(OriginPipe);
