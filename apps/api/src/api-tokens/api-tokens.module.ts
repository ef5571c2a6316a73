import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NotificationsModule } from '../notifications/notifications.module';
import { AllowlistCache } from './allowlist-cache';
import { ApiTokenEntity } from './api-token.entity';
import { ApiTokensController } from './api-tokens.controller';
import { ApiTokensRepository } from './api-tokens.repository';
import { ApiTokensService } from './api-tokens.service';
import { LastUsedTracker } from './last-used.tracker';
import { TokenPolicyController } from './token-policy.controller';
import { TokenPolicyService } from './token-policy';
import { TokenRemindersJob } from './token-reminders.job';
import { TokenRemindersRepository } from './token-reminders.repository';

@Module({
  imports: [TypeOrmModule.forFeature([ApiTokenEntity]), NotificationsModule],
  controllers: [ApiTokensController, TokenPolicyController],
  providers: [
    ApiTokensService, ApiTokensRepository, AllowlistCache, LastUsedTracker,
    TokenPolicyService, TokenRemindersRepository, TokenRemindersJob,
  ],
  exports: [AllowlistCache, LastUsedTracker, TokenPolicyService],
})
export class ApiTokensModule {}
