import { DataSource, DataSourceOptions } from 'typeorm';
import { Accounts1764300000000 } from './migrations/1764300000000-accounts';
import { RealWorld1764400000000 } from './migrations/1764400000000-realworld';
import { ApiTokenPermissions1765100000000 } from './migrations/1765100000000-api-token-permissions';
import { TokenStates1765200000000 } from './migrations/1765200000000-token-states';
import { Scheduler1765300000000 } from './migrations/1765300000000-scheduler';
import { MailOutbox1765300000100 } from './migrations/1765300000100-mail-outbox';
import { Notifications1765300000200 } from './migrations/1765300000200-notifications';
import { SecurityLog1765400000000 } from './migrations/1765400000000-security-log';
import { Reauthentication1765500000000 } from './migrations/1765500000000-reauthentication';
import { UsernamesCaseInsensitive1765600000000 } from './migrations/1765600000000-usernames-case-insensitive';
import { RotationLineage1765710000000 } from './migrations/1765710000000-rotation-lineage';
import { ENTITIES } from './entities';

/** Every migration, in order. Migrations run at start; the schema is never synchronised. */
export const MIGRATIONS = [
  Accounts1764300000000,
  RealWorld1764400000000,
  ApiTokenPermissions1765100000000,
  TokenStates1765200000000,
  Scheduler1765300000000,
  MailOutbox1765300000100,
  Notifications1765300000200,
  SecurityLog1765400000000,
  Reauthentication1765500000000,
  UsernamesCaseInsensitive1765600000000,
  RotationLineage1765710000000,
];

export function dataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: true,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: { max: poolSize, application_name: 'conduit-api' },
  };
}

/** Runs pending migrations against `url` (used by test setup and tooling). */
export async function migrate(url: string): Promise<void> {
  const ds = new DataSource({ ...dataSourceOptions(url, 2), migrationsRun: false });
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
}
