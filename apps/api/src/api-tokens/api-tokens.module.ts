import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AllowlistCache } from './allowlist-cache';
import { ApiTokenEntity } from './api-token.entity';
import { ApiTokensController } from './api-tokens.controller';
import { ApiTokensRepository } from './api-tokens.repository';
import { ApiTokensService } from './api-tokens.service';
import { CredentialsController } from './credentials.controller';
import { LeakReportThrottle } from './leak-report.throttle';
import { LastUsedTracker } from './last-used.tracker';

@Module({
  imports: [TypeOrmModule.forFeature([ApiTokenEntity])],
  controllers: [ApiTokensController, CredentialsController],
  providers: [ApiTokensService, ApiTokensRepository, AllowlistCache, LastUsedTracker, LeakReportThrottle],
  exports: [AllowlistCache, LastUsedTracker],
})
export class ApiTokensModule {}
