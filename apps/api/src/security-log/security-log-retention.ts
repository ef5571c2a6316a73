import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { APP_CONFIG, AppConfig } from '../config/config';
import { SchedulerService } from '../scheduler/scheduler.service';
import { SecurityLogRepository } from './security-log.repository';

export const SECURITY_LOG_PURGE_JOB = 'security-log.purge';

/** Events older than SECURITY_LOG_RETENTION (default 90 days) are deleted, hourly, by the one scheduler. */
@Injectable()
export class SecurityLogRetention {
  private readonly logger = new Logger(SecurityLogRetention.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: SecurityLogRepository,
    private readonly clock: Clock,
    scheduler: SchedulerService,
  ) {
    scheduler.every(SECURITY_LOG_PURGE_JOB, '1h', () => this.purge().then(() => undefined));
  }

  async purge(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - this.config.securityLogRetentionSeconds * 1000);
    const deleted = await this.repository.purgeBefore(cutoff);
    if (deleted > 0) this.logger.log(`purged ${deleted} security events older than ${cutoff.toISOString()}`);
    return deleted;
  }
}
