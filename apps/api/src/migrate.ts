import { ConfigError, loadConfig } from './config/config';
import { migrate } from './database/data-source';

/**
 * `node dist/migrate.js`: applies the pending migrations to DATABASE_URL and exits, for
 * deployments that migrate in a step of their own before starting instances (then started with
 * MIGRATIONS_RUN=false). Takes the same advisory lock as an instance does at start, on
 * DATABASE_DIRECT_URL when set, so running it beside starting instances is safe too.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.databaseUrl) throw new ConfigError('Invalid configuration:\n  DATABASE_URL: is required to run migrations');
  const applied = await migrate(config.databaseUrl, config.databaseDirectUrl);
  process.stdout.write(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}\n` : 'No pending migrations\n');
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(error instanceof ConfigError ? `${error.message}\n` : `Migrations failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(1);
  },
);
