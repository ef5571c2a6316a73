import { Inject, Injectable } from '@nestjs/common';
import { ClientIpResolver } from '../common/client-ip';
import { Clock } from '../common/clock';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Db } from '../database/db';
import { AddressThrottleGuard } from '../throttle/address-throttle.guard';

/**
 * Sign-up attempts per client address (IPv6: per /64): SIGNUP_LIMIT per SIGNUP_WINDOW, every
 * attempt counted (taken emails and invalid bodies too), shared by every instance the way the
 * failed-authentication budget is. A guard, so that over the limit the 429 comes before any
 * lookup or password hash.
 */
@Injectable()
export class SignupThrottle extends AddressThrottleGuard {
  constructor(@Inject(APP_CONFIG) config: AppConfig, db: Db, clock: Clock, clientIp: ClientIpResolver) {
    super(
      { name: 'sign-up', prefix: 'signup:', limit: config.signupLimit, windowMs: config.signupWindowSeconds * 1000 },
      'too many sign-ups from this address',
      db,
      clock,
      clientIp,
    );
  }
}
