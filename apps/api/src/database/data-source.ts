import { Client } from 'pg';
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
import { TrustPolicies1765720000000 } from './migrations/1765720000000-trust-policies';
import { PasswordResets1765760000000 } from './migrations/1765760000000-password-resets';
import { TokenRetirementLog1765770000000 } from './migrations/1765770000000-token-retirement-log';
import { OneAddressBudgetTable1765770000100 } from './migrations/1765770000100-one-address-budget-table';
import { TokenUserVersion1765798000000 } from './migrations/1765798000000-token-user-version';
import { poolOptions } from './pg-pool';

/**
 * Every migration, in order. Migrations run at start (MIGRATIONS_RUN, under an advisory lock) or
 * with the `migrate` command; the schema is never synchronised.
 */
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
  TrustPolicies1765720000000,
  PasswordResets1765760000000,
  TokenRetirementLog1765770000000,
  OneAddressBudgetTable1765770000100,
  TokenUserVersion1765798000000,
];

export function dataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    migrations: MIGRATIONS,
    // Run by runMigrationsLocked, not by initialize(): several instances may start at once.
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: poolOptions(poolSize),
  };
}

/** The advisory lock key under which migrations run ("conduit.migrations", any fixed bigint). */
export const MIGRATIONS_LOCK_KEY = '7180339887498948482';

/**
 * Runs the pending migrations of `dataSource` while holding a session-level advisory lock, taken
 * on a connection of its own to `lockUrl`. Instances starting together queue on the lock: the
 * first applies the migrations, the others find none pending. The lock needs a real session, so
 * `lockUrl` must reach PostgreSQL directly, not through a transaction-mode pooler (where a
 * session lock would stay on whichever server connection ran it): DATABASE_DIRECT_URL.
 * Returns the names of the migrations this call applied.
 */
export async function runMigrationsLocked(dataSource: DataSource, lockUrl: string): Promise<string[]> {
  const lock = new Client({ connectionString: lockUrl, application_name: 'conduit-migrations-lock' });
  lock.on('error', () => undefined); // a lost lock connection fails the query below, or ends the lock
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1::bigint)', [MIGRATIONS_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    // Ending the session releases the lock.
    await lock.end().catch(() => undefined);
  }
}

/**
 * MIGRATIONS_RUN=false: the schema is another step's business (the `migrate` command); the instance
 * waits at start until every migration it knows is applied, rather than failing on missing tables.
 */
export async function waitForMigrations(dataSource: DataSource, log: (message: string) => void = (m) => process.stdout.write(`${m}\n`)): Promise<void> {
  for (let attempt = 0; await dataSource.showMigrations(); attempt++) {
    if (attempt % 30 === 0) log('MIGRATIONS_RUN=false: waiting for pending migrations to be applied (node apps/api/dist/migrate.js)');
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** Runs pending migrations against `url` (the `migrate` command, test setup, tooling). */
export async function migrate(url: string, lockUrl = url): Promise<string[]> {
  const ds = new DataSource(dataSourceOptions(url, 2));
  await ds.initialize();
  try {
    return await runMigrationsLocked(ds, lockUrl);
  } finally {
    await ds.destroy();
  }
}
