import { Inject, Injectable } from '@nestjs/common';
import { ClientIpResolver } from '../common/client-ip';
import { Clock } from '../common/clock';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Db } from '../database/db';
import { AddressThrottleGuard } from '../throttle/address-throttle.guard';

/**
 * Leak reports per client address (IPv6: per /64, as every limit kept per address):
 * LEAK_REPORT_LIMIT per LEAK_REPORT_WINDOW (default 60 an hour), shared by every instance the way
 * the failed-authentication budget is; beyond it 429 with Retry-After. A guard, so that malformed
 * reports count too.
 */
@Injectable()
export class LeakReportThrottle extends AddressThrottleGuard {
  constructor(@Inject(APP_CONFIG) config: AppConfig, db: Db, clock: Clock, clientIp: ClientIpResolver) {
    super(
      { name: 'leak-report', prefix: 'leak:', limit: config.leakReportLimit, windowMs: config.leakReportWindowSeconds * 1000 },
      'are too many from this address',
      db,
      clock,
      clientIp,
    );
  }
}
