import { Module } from '@nestjs/common';
import { AllowlistCache } from './allowlist-cache';
import { LastUsedTracker } from './last-used.tracker';

@Module({
  providers: [AllowlistCache, LastUsedTracker],
  exports: [AllowlistCache, LastUsedTracker],
})
export class ApiTokensModule {}
