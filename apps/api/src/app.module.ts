import { DynamicModule, Module } from '@nestjs/common';
import { ApiTokensModule } from './api-tokens/api-tokens.module';
import { ArticlesModule } from './articles/articles.module';
import { AuthModule } from './auth/auth.module';
import { CommentsModule } from './comments/comments.module';
import { ClientIpResolver } from './common/client-ip';
import { CommonModule } from './common/common.module';
import { AppConfig } from './config/config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { FavoritesModule } from './favorites/favorites.module';
import { HealthModule } from './health/health.module';
import { MailModule } from './mail/mail.module';
import { MetricsModule } from './metrics/metrics.module';
import { SchedulerModule } from './scheduler/scheduler.module';
import { SecretScanningModule } from './secret-scanning/secret-scanning.module';
import { NotificationsModule } from './notifications/notifications.module';
import { PasswordResetModule } from './password-reset/password-reset.module';
import { ProfilesModule } from './profiles/profiles.module';
import { SecurityLogModule } from './security-log/security-log.module';
import { TagsModule } from './tags/tags.module';
import { TrustPoliciesModule } from './trust-policies/trust-policies.module';
import { UsersModule } from './users/users.module';

/** Feature modules; the RealWorld resources register here too. */
const FEATURES = [HealthModule, UsersModule, ApiTokensModule, ProfilesModule, ArticlesModule, FavoritesModule, CommentsModule, TagsModule,
  NotificationsModule, TrustPoliciesModule, PasswordResetModule, SecretScanningModule];

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    const clientIp = new ClientIpResolver(config);
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        CommonModule.forRoot(clientIp),
        DatabaseModule,
        MetricsModule,
        SchedulerModule,
        SecurityLogModule,
        MailModule,
        AuthModule,
        ...FEATURES,
      ],
    };
  }
}
