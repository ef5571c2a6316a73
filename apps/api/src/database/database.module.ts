import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { dataSourceOptions, runMigrationsLocked, waitForMigrations } from './data-source';
import { PgStatements } from './pg-statements';

const MIGRATIONS_AT_START = Symbol('migrationsAtStart');
interface MigrationsAtStart {
  run: boolean;
  lockUrl: string;
}

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        if (!config.databaseUrl) throw new Error('DATABASE_URL is not resolved');
        const migrations: MigrationsAtStart = { run: config.migrationsRun, lockUrl: config.databaseDirectUrl ?? config.databaseUrl };
        return { ...dataSourceOptions(config.databaseUrl, config.databasePoolSize), retryAttempts: 3, retryDelay: 500, [MIGRATIONS_AT_START]: migrations };
      },
      // Pending migrations are applied before anything uses the schema, under an advisory lock.
      dataSourceFactory: async (options) => {
        const { [MIGRATIONS_AT_START]: migrations, ...rest } = options as DataSourceOptions & { [MIGRATIONS_AT_START]?: MigrationsAtStart };
        const dataSource = await new DataSource(rest).initialize();
        try {
          if (migrations?.run) await runMigrationsLocked(dataSource, migrations.lockUrl);
          else await waitForMigrations(dataSource);
        } catch (error) {
          await dataSource.destroy().catch(() => undefined);
          throw error;
        }
        return dataSource;
      },
    }),
  ],
  providers: [PgStatements],
  exports: [PgStatements],
})
export class DatabaseModule {}
