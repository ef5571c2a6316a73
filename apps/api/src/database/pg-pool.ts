import { Logger } from '@nestjs/common';
import { Client, ClientConfig } from 'pg';

const logger = new Logger('Database');

/**
 * A pg client that always has an 'error' listener. pg-pool listens for errors only while a
 * client is idle, and TypeORM only once it has the client in hand: in between (a client handed
 * to a waiting query) a FATAL from the server ("terminating connection due to administrator
 * command", 57P01, on a restart or pg_terminate_backend) or a reset socket was emitted with no
 * listener, and Node ended the process. With this listener the error is logged; the query that
 * was running fails (a 503 for its request), and the pool drops the dead client when it comes back
 * (pg-pool checks `_queryable`), so the service recovers with the database.
 */
export class ResilientPgClient extends Client {
  constructor(config?: string | ClientConfig) {
    super(config);
    this.on('error', (error: Error & { code?: string }) => {
      logger.warn(`database connection lost: ${error.code ? `${error.code} ` : ''}${error.message}`);
    });
  }
}

/** The pool options (TypeORM's `extra`) every Conduit pool uses. */
export function poolOptions(poolSize: number): Record<string, unknown> {
  return {
    max: poolSize,
    application_name: 'conduit-api',
    Client: ResilientPgClient,
    // A database that does not answer (network cut, server starting) fails a request in 5 s with
    // a 503 rather than holding it until TCP gives up; dead idle connections are found by keepalive.
    connectionTimeoutMillis: 5000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  };
}
