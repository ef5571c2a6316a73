import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ClientIpResponse } from '@conduit/contracts';
import { DataSource } from 'typeorm';
import { Access } from '../access/access.decorator';
import { ClientIpResolver } from '../common/client-ip';
import { ClientIpResponseDto, HealthResponseDto } from './dto/health.dto';

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
  @ApiOkResponse({ type: HealthResponseDto })
  @ApiServiceUnavailableResponse({ type: HealthResponseDto, description: 'The database does not answer' })
  async health(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthResponseDto> {
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
  @ApiOkResponse({ type: ClientIpResponseDto })
  ip(@Req() req: FastifyRequest): ClientIpResponse {
    return { ip: this.clientIp.resolve(req.raw) };
  }
}
