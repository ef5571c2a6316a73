import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { dataSourceOptions } from './data-source';
import { Db } from './db';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        if (!config.databaseUrl) throw new Error('DATABASE_URL is not resolved');
        // Each feature registers its own entities (TypeOrmModule.forFeature): nothing here names a feature.
        return { ...dataSourceOptions(config.databaseUrl, config.databasePoolSize), autoLoadEntities: true, retryAttempts: 3, retryDelay: 500 };
      },
    }),
  ],
  providers: [Db],
  exports: [Db],
})
export class DatabaseModule {}
