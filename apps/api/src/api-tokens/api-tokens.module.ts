import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotificationsModule } from '../notifications/notifications.module';
import { AllowlistCache } from './allowlist-cache';
import { TokenUserCache } from './token-user-cache';
import { ApiTokenEntity } from './api-token.entity';
import { ApiTokensController } from './api-tokens.controller';
import { ApiTokensRepository } from './api-tokens.repository';
import { ApiTokensService } from './api-tokens.service';
import { CredentialsController } from './credentials.controller';
import { LeakReportThrottle } from './leak-report.throttle';
import { LastUsedTracker } from './last-used.tracker';
import { TokenPolicyController } from './token-policy.controller';
import { TokenPolicyService } from './token-policy';
import { TokenRemindersJob } from './token-reminders.job';
import { TokenAuthenticator } from './token-authenticator';

@Module({
  imports: [TypeOrmModule.forFeature([ApiTokenEntity]), NotificationsModule],
  controllers: [ApiTokensController, TokenPolicyController, CredentialsController],
  providers: [
    ApiTokensService, ApiTokensRepository, AllowlistCache, TokenUserCache, LastUsedTracker,
    TokenPolicyService, TokenRemindersJob, LeakReportThrottle, TokenAuthenticator,
  ],
  exports: [TokenAuthenticator, TokenPolicyService, ApiTokensService, ApiTokensRepository],
})
export class ApiTokensModule {}
