import { Module } from '@nestjs/common';
import { AuthThrottle } from './auth-throttle';

/** Failed-authentication budgets per client address: read by the auth pipeline and by password checks. */
@Module({
  providers: [AuthThrottle],
  exports: [AuthThrottle],
})
export class ThrottleModule {}
