import type { LoggerService } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import pino, { Logger } from 'pino';
import type { AppConfig } from '../config/config';
import type { ClientIpResolver } from './client-ip';
import { loggableHeaders, redactSecrets } from './redaction';

/**
 * Credentials never reach the logs, whatever a log line carries. The request line logs only an
 * allowlist of headers (see redaction.ts) and every string is redacted by value; these paths are
 * a second line of defence should a credential-bearing header be logged some other way.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers["proxy-authorization"]',
  'headers.cookie',
  'headers["x-api-key"]',
];

/** The one logger: JSON lines (pino), shared by Fastify (requests) and Nest (everything else). */
export function createLogger(config: Pick<AppConfig, 'logLevel'>, stream?: NodeJS.WritableStream): Logger {
  const options = { level: config.logLevel, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { pid: process.pid } };
  return stream ? pino(options, stream as pino.DestinationStream) : pino(options);
}

/**
 * One structured line per request, written when the response is sent: method, URL, status,
 * duration and the client address (from the one client-IP helper). Only allowlisted headers are
 * logged (never Authorization, Cookie, X-Api-Key or a header the API does not know), and the URL
 * and every logged header value are redacted by value (redactSecrets: API tokens, JWTs, secret
 * parameters in the query or the path). Nothing is built when the line's level is disabled.
 *
 * The level is `error` for a 5xx (the server's fault) and `info` for everything else: a 4xx is
 * the API answering as designed, and a flood of refused requests must not become a flood of
 * warnings (nor cost more to answer than the requests it is refused beside).
 */
export function logRequests(fastify: FastifyInstance, logger: Logger, clientIp: ClientIpResolver): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const status = reply.statusCode;
    const level = status >= 500 ? 'error' : 'info';
    if (logger.isLevelEnabled(level)) {
      logger[level](
        {
          reqId: request.id,
          req: { method: request.method, url: redactSecrets(request.url), headers: loggableHeaders(request.headers) },
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

/**
 * Nest's own messages (boot, errors, every service's warnings) through the same pino logger, each
 * message and stack trace redacted by value: an error may quote a URL, a header or a token.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string) {
    if (this.logger.isLevelEnabled('info')) this.logger.info({ context }, redactSecrets(String(message)));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace: typeof trace === 'string' ? redactSecrets(trace) : trace }, redactSecrets(String(message)));
  }
  warn(message: unknown, context?: string) {
    if (this.logger.isLevelEnabled('warn')) this.logger.warn({ context }, redactSecrets(String(message)));
  }
  debug(message: unknown, context?: string) {
    if (this.logger.isLevelEnabled('debug')) this.logger.debug({ context }, redactSecrets(String(message)));
  }
  verbose(message: unknown, context?: string) {
    if (this.logger.isLevelEnabled('trace')) this.logger.trace({ context }, redactSecrets(String(message)));
  }
}
