import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';

/**
 * Throttles failed authentications per client address (AUTH_FAILURE_LIMIT per
 * AUTH_FAILURE_WINDOW). The counts live in PostgreSQL so that every API instance shares them;
 * once an address is over the limit, further failures are answered from memory until the window
 * ends. Only failures are counted: valid sessions and tokens are never slowed down.
 */
@Injectable()
export class AuthThrottle implements OnModuleInit {
  private limiter: RateLimiterPostgres;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.limiter = new RateLimiterPostgres({
      storeClient: (this.dataSource.driver as unknown as { master: Pool }).master,
      storeType: 'pool',
      tableName: 'auth_failures',
      tableCreated: true,
      clearExpiredByTimeout: false,
      keyPrefix: 'auth',
      points: this.config.authFailureLimit,
      duration: this.config.authFailureWindowSeconds,
      inMemoryBlockOnConsumed: this.config.authFailureLimit + 1,
      inMemoryBlockDuration: this.config.authFailureWindowSeconds,
    });
  }

  /**
   * Counts one failure for `ip`. Returns the seconds to wait when the address is over the limit,
   * or null when it may go on (and get its 401).
   */
  async fail(ip: string): Promise<number | null> {
    try {
      await this.limiter.consume(ip, 1);
      return null;
    } catch (result) {
      if (result instanceof RateLimiterRes) return Math.max(1, Math.ceil(result.msBeforeNext / 1000));
      throw result;
    }
  }
}
