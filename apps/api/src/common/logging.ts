import type { LoggerService } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import pino, { Logger } from 'pino';
import type { AppConfig } from '../config/config';
import type { ClientIpResolver } from './client-ip';

/** Credentials never reach the logs, whatever a log line carries. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
];

/** The one logger: JSON lines (pino), shared by Fastify (requests) and Nest (everything else). */
export function createLogger(config: Pick<AppConfig, 'logLevel'>, stream?: NodeJS.WritableStream): Logger {
  const options = { level: config.logLevel, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { pid: process.pid } };
  return stream ? pino(options, stream as pino.DestinationStream) : pino(options);
}

/**
 * One structured line per request, written when the response is sent: method, URL, status,
 * duration and the client address (from the one client-IP helper). Headers are logged with
 * Authorization and cookies redacted. Nothing is built when the line's level is disabled.
 */
export function logRequests(fastify: FastifyInstance, logger: Logger, clientIp: ClientIpResolver): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const status = reply.statusCode;
    const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
    if (logger.isLevelEnabled(level)) {
      logger[level](
        {
          reqId: request.id,
          req: { method: request.method, url: request.url, headers: request.headers },
          clientIp: clientIp.resolve(request.raw),
          res: { statusCode: status },
          responseTime: Math.round(reply.elapsedTime * 10) / 10,
        },
        'request completed',
      );
    }
    done();
  });
}

/** Nest's own messages (boot, errors) through the same pino logger. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
}
