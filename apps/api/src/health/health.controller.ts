import { Controller, Get, Req, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { HealthCheckResult } from '@nestjs/terminus';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ClientIpResponse } from '@conduit/contracts';
import { DataSource } from 'typeorm';
import { Access } from '../access/access.decorator';
import { ClientIpResolver } from '../common/client-ip';
import { ClientIpResponseDto, HealthResponseDto, ReadinessResponseDto } from './dto/health.dto';
import { ShutdownState } from './shutdown-state';

/** What each failed readiness check reads as in `errors`. */
const DOWN_MESSAGES: Record<string, string> = {
  database: 'is unavailable',
  migrations: 'are not all applied',
  server: 'is shutting down',
};

/**
 * Health, split the standard way:
 * - /api/health/live: the process is up and its event loop turns (never touches the database).
 *   For an orchestrator's liveness probe and the image's HEALTHCHECK: failing it means restart.
 * - /api/health/ready: the database answers, the migrations this build knows are applied, and
 *   the server is not shutting down. For load balancers and readiness probes: failing it means
 *   "send no traffic here for now".
 * - /api/health: as before (200 when the database answers), and 503 while shutting down too, so
 *   that a load balancer already polling it drains the instance on a deploy.
 */
@ApiTags('meta')
@Controller()
export class HealthController {
  /** Once every migration is seen applied it stays so (a migration is never taken back). */
  private migrationsApplied = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clientIp: ClientIpResolver,
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly typeorm: TypeOrmHealthIndicator,
    private readonly shutdown: ShutdownState,
  ) {}

  @Access.public()
  @Get('health')
  @ApiOperation({ summary: '200 when the database answers; 503 when it does not, or while the server shuts down' })
  @ApiOkResponse({ type: HealthResponseDto })
  @ApiServiceUnavailableResponse({ type: HealthResponseDto, description: 'The database does not answer, or the server is shutting down' })
  async legacy(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthResponseDto> {
    const result = await this.check(['database', 'server']);
    if (result.status === 'ok') return { status: 'ok' };
    reply.status(503);
    return { status: 'unavailable', errors: result.errors };
  }

  @Access.public()
  @Get('health/live')
  @ApiOperation({ summary: 'Liveness: 200 while the process runs (never touches the database)' })
  @ApiOkResponse({ type: ReadinessResponseDto })
  live(): Promise<ReadinessResponseDto> {
    return this.check([]);
  }

  @Access.public()
  @Get('health/ready')
  @ApiOperation({ summary: 'Readiness: 200 when the database answers, migrations are applied and the server is not shutting down' })
  @ApiOkResponse({ type: ReadinessResponseDto })
  @ApiServiceUnavailableResponse({ type: ReadinessResponseDto, description: 'Not ready: `errors` says why' })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadinessResponseDto> {
    const result = await this.check(['server', 'database', 'migrations']);
    if (result.status !== 'ok') reply.status(503);
    return result;
  }

  @Access.public()
  @Get('ip')
  @ApiOperation({ summary: 'The client address as the server sees it (what an allowlist is matched against)' })
  @ApiOkResponse({ type: ClientIpResponseDto })
  ip(@Req() req: FastifyRequest): ClientIpResponse {
    return { ip: this.clientIp.resolve(req.raw) };
  }

  private async check(names: Array<'server' | 'database' | 'migrations'>): Promise<ReadinessResponseDto> {
    const checks = {
      server: () => {
        const session = this.indicators.check('server');
        return this.shutdown.shuttingDown ? session.down('is shutting down') : session.up();
      },
      // One ping per second at most, however many checkers poll (health checks from every
      // load balancer and probe would otherwise each cost a query).
      database: () => this.typeorm.pingCheck('database', { connection: this.dataSource, timeout: 2000 }).cacheFor(1000),
      migrations: () =>
        this.indicators
          .check('migrations')
          .attempt(async () => {
            if (!this.migrationsApplied && (await this.dataSource.showMigrations())) throw new Error('pending');
            this.migrationsApplied = true;
          })
          .withTimeout(2000)
          .cacheFor(1000),
    };
    try {
      const result = await this.health.check(names.map((name) => checks[name]));
      return { status: 'ok', details: result.details };
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const body = error.getResponse() as HealthCheckResult;
      const errors: Record<string, string[]> = {};
      for (const name of Object.keys(body.error ?? {})) errors[name] = [DOWN_MESSAGES[name] ?? 'is unavailable'];
      return { status: 'unavailable', errors, details: body.details };
    }
  }
}
