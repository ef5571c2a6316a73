import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ClientIpResponse } from '@conduit/contracts';
import { DataSource } from 'typeorm';
import { Access } from '../auth/decorators/access.decorator';
import { ClientIpResolver } from '../common/client-ip';

@ApiTags('meta')
@Controller()
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clientIp: ClientIpResolver,
  ) {}

  @Access.public()
  @Get('health')
  @ApiOperation({ summary: '200 when the database answers, 503 when it does not' })
  async health(@Res({ passthrough: true }) reply: FastifyReply) {
    try {
      await Promise.race([
        this.dataSource.query('SELECT 1'),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref()),
      ]);
      return { status: 'ok' };
    } catch {
      reply.status(503);
      return { status: 'unavailable', errors: { database: ['is unavailable'] } };
    }
  }

  @Access.public()
  @Get('ip')
  @ApiOperation({ summary: 'The client address as the server sees it (what an allowlist is matched against)' })
  ip(@Req() req: FastifyRequest): ClientIpResponse {
    return { ip: this.clientIp.resolve(req.raw) };
  }
}
