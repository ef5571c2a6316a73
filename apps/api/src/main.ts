import * as path from 'node:path';
import { createApp } from './app.factory';
import { ConfigError, loadConfig, printedAddress } from './config/config';
import { EmbeddedPostgres } from './database/embedded-postgres';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }

  let embedded: EmbeddedPostgres | undefined;
  if (!config.databaseUrl) {
    embedded = new EmbeddedPostgres({ dataDir: path.join(config.dataDir, 'postgres') });
    process.stdout.write(`DATABASE_URL is not set: starting the embedded PostgreSQL (data in ${embedded.actualDataDir})\n`);
    await embedded.start();
    config = { ...config, databaseUrl: embedded.url };
  }

  let app: Awaited<ReturnType<typeof createApp>> | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: shutting down\n`);
    try {
      await app?.close();
    } finally {
      await embedded?.stop();
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  try {
    app = await createApp(config);
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const base = printedAddress(config.host, port);
  process.stdout.write(
    `\nConduit is running: open ${base}/\n` +
      `  API: ${base}/api   OpenAPI docs: ${base}/api/docs\n` +
      (embedded ? `  Database: embedded PostgreSQL, data in ${embedded.actualDataDir}\n` : '') +
      `  Stop with Ctrl-C.\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`Conduit failed to start: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
