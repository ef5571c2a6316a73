import type { LoggerService } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import pino, { Logger } from 'pino';
import type { AppConfig } from '../config/config';
import type { ClientIpResolver } from './client-ip';

/** Credentials never reach the logs, whatever a log line carries. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers["proxy-authorization"]',
  'headers.cookie',
];

/** What replaces a credential in a logged URL. */
export const URL_REDACTED = '[REDACTED]';

/** Query parameters that carry a credential: `token`, `access_token`, `refresh_token`, … in any case. */
const CREDENTIAL_PARAM = /^(?:.*[_-])?token$/i;

/**
 * The URL as it may be written to a log: the value of every credential-bearing query parameter
 * (`?access_token=…`, `?token=…`, any case, percent-encoded names too) replaced by [REDACTED].
 * The API never accepts credentials in the URL, but clients send them anyway.
 */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q === -1) return url;
  let changed = false;
  const params = url
    .slice(q + 1)
    .split('&')
    .map((param) => {
      const eq = param.indexOf('=');
      const rawName = eq === -1 ? param : param.slice(0, eq);
      if (!CREDENTIAL_PARAM.test(decodeName(rawName))) return param;
      changed = true;
      return `${rawName}=${URL_REDACTED}`;
    });
  return changed ? `${url.slice(0, q)}?${params.join('&')}` : url;
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' ')).trim();
  } catch {
    return name;
  }
}

/** The one logger: JSON lines (pino), shared by Fastify (requests) and Nest (everything else). */
export function createLogger(config: Pick<AppConfig, 'logLevel'>, stream?: NodeJS.WritableStream): Logger {
  const options = { level: config.logLevel, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { pid: process.pid } };
  return stream ? pino(options, stream as pino.DestinationStream) : pino(options);
}

/**
 * One structured line per request, written when the response is sent: method, URL, status,
 * duration and the client address (from the one client-IP helper). Headers are logged with
 * Authorization, Proxy-Authorization and cookies redacted, the URL without credentials in its
 * query. Nothing is built when the line's level is disabled.
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
          req: { method: request.method, url: redactUrl(request.url), headers: request.headers },
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
