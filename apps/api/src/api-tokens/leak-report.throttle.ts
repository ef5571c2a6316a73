import { CanActivate, ExecutionContext, HttpStatus, Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { addressBlock } from '@conduit/contracts';
import { DataSource } from 'typeorm';
import { ClientIpResolver } from '../common/client-ip';
import { ApiError } from '../common/http/errors';
import { APP_CONFIG, AppConfig } from '../config/config';

/**
 * Leak reports per client address (IPv6: per /64, as every limit kept per address): LEAK_REPORT_LIMIT per LEAK_REPORT_WINDOW (default 60 an
 * hour), counted in PostgreSQL so that every instance shares them (the same limiter as the
 * failed-authentication throttle, in a table of its own); beyond it 429 with Retry-After. A guard,
 * so that malformed reports count too.
 */
@Injectable()
export class LeakReportThrottle implements CanActivate, OnModuleInit {
  private limiter: RateLimiterPostgres;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly clientIp: ClientIpResolver,
  ) {}

  onModuleInit(): void {
    this.limiter = new RateLimiterPostgres({
      storeClient: (this.dataSource.driver as unknown as { master: Pool }).master,
      storeType: 'pool',
      tableName: 'credential_report_limits',
      tableCreated: true,
      clearExpiredByTimeout: false,
      keyPrefix: 'leak',
      points: this.config.leakReportLimit,
      duration: this.config.leakReportWindowSeconds,
      inMemoryBlockOnConsumed: this.config.leakReportLimit + 1,
      inMemoryBlockDuration: this.config.leakReportWindowSeconds,
    });
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    try {
      const ip = this.clientIp.resolve(request.raw);
      await this.limiter.consume(addressBlock(ip) ?? ip, 1);
      return true;
    } catch (result) {
      if (!(result instanceof RateLimiterRes)) throw result;
      const retryAfter = Math.max(1, Math.ceil(result.msBeforeNext / 1000));
      throw new ApiError(
        HttpStatus.TOO_MANY_REQUESTS,
        { requests: [`are too many from this address; retry in ${retryAfter} seconds`] },
        { headers: { 'Retry-After': String(retryAfter) } },
      );
    }
  }
}
