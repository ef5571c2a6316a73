import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Options as PinoHttpOptions } from 'pino-http';
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
import { ProfilesModule } from './profiles/profiles.module';
import { TagsModule } from './tags/tags.module';
import { UsersModule } from './users/users.module';

/** Feature modules; the RealWorld resources register here too. */
const FEATURES = [HealthModule, UsersModule, ApiTokensModule, ProfilesModule, ArticlesModule, FavoritesModule, CommentsModule, TagsModule];

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, logStream?: NodeJS.WritableStream): DynamicModule {
    const clientIp = new ClientIpResolver(config);
    const pinoOptions: PinoHttpOptions = {
      level: config.logLevel,
      // Credentials never reach the logs.
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
        censor: '[redacted]',
      },
      customProps: (req) => ({ clientIp: clientIp.resolve(req) }),
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    };
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        CommonModule.forRoot(clientIp),
        LoggerModule.forRoot({ pinoHttp: logStream ? [pinoOptions, logStream] : pinoOptions }),
        DatabaseModule,
        AuthModule,
        ...FEATURES,
      ],
    };
  }
}
