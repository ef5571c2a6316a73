import * as os from 'node:os';
import * as path from 'node:path';
import { createApp } from './app.factory';
import { gracefulClose } from './common/graceful-shutdown';
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
    config = { ...config, databaseUrl: embedded.url, databaseDirectUrl: embedded.url };
  }

  let app: Awaited<ReturnType<typeof createApp>> | undefined;
  let stopping: string | undefined;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) {
      // A second signal: the operator (or the orchestrator's timeout) wants it gone now.
      process.stdout.write(`${signal} again: exiting at once\n`);
      process.exit(128 + (os.constants.signals[signal] ?? 1));
    }
    stopping = signal;
    try {
      // SIGTERM (deployments): readiness answers 503 at once while requests are still served for
      // SHUTDOWN_GRACE, long enough for load balancers to stop sending any. Ctrl-C skips the wait.
      const grace = signal === 'SIGTERM' && app ? config.shutdownGraceSeconds : 0;
      process.stdout.write(`\n${signal}: shutting down${grace ? ` (still serving for ${grace} s, not ready)` : ''}\n`);
      if (app) await gracefulClose(app, grace);
    } catch (error) {
      process.stderr.write(`shutdown: ${error instanceof Error ? error.message : String(error)}\n`);
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
