import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorResponse } from '@conduit/contracts';
import { isDatabaseUnavailable } from '../../database/pg-errors';
import { ApiError, BEARER_CHALLENGE, serviceUnavailable } from './errors';
import { lingerForOversizedBody } from './oversized-body';

/** Hook for answering client routes (non-/api GET) with the SPA instead of a 404. */
export type SpaFallback = (request: FastifyRequest, reply: FastifyReply) => boolean;

const STATUS_SUBJECT: Record<number, [string, string]> = {
  400: ['body', 'is malformed'],
  401: ['token', 'is missing'],
  403: ['authorization', 'is not sufficient for this action'],
  404: ['route', 'not found'],
  405: ['method', 'is not allowed'],
  406: ['accept', 'is not acceptable'],
  413: ['body', 'is too large'],
  415: ['body', 'must be JSON (Content-Type: application/json)'],
  429: ['requests', 'are too many; slow down'],
};

/** Turns every error into the one error format; never lets a stack trace or a 500 body leak details. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  constructor(private readonly spaFallback?: SpaFallback) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const reply = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<FastifyRequest>();
    let status: number;
    let body: ErrorResponse;
    let headers: Record<string, string> = {};

    if (exception instanceof HttpException) {
      status = exception.getStatus();
      if (status === 404 && this.spaFallback?.(request, reply)) return;
      const response = exception.getResponse();
      if (exception instanceof ApiError) headers = exception.headers;
      body = isErrorBody(response) ? response : fallbackBody(status, response);
    } else if (isDatabaseUnavailable(exception)) {
      const unavailable = serviceUnavailable();
      status = unavailable.getStatus();
      body = unavailable.getResponse() as ErrorResponse;
      headers = unavailable.headers;
      this.logger.error(`database unavailable: ${(exception as Error).message}`);
    } else if (isClientError(exception)) {
      status = exception.statusCode;
      body = fallbackBody(status, exception.message);
    } else {
      status = HttpStatus.INTERNAL_SERVER_ERROR;
      body = { errors: { server: ['an unexpected error occurred'] } };
      this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    }
    for (const [name, value] of Object.entries(headers)) reply.header(name, value);
    // RFC 9110 §15.5.2: every 401 says how to authenticate (a wrong password at sign-in, a bad refresh cookie too).
    if (status === HttpStatus.UNAUTHORIZED && !reply.hasHeader('www-authenticate')) reply.header('WWW-Authenticate', BEARER_CHALLENGE);
    if (status === HttpStatus.PAYLOAD_TOO_LARGE) lingerForOversizedBody(request, reply);
    reply.status(status).send(body);
  }
}

function isErrorBody(value: unknown): value is ErrorResponse {
  return typeof value === 'object' && value !== null && 'errors' in value && typeof (value as ErrorResponse).errors === 'object';
}

/** Fastify's own errors (body parsing, content type, size) carry a 4xx statusCode. */
function isClientError(e: unknown): e is { statusCode: number; message: string } {
  const s = (e as { statusCode?: unknown })?.statusCode;
  return typeof s === 'number' && s >= 400 && s < 500;
}

export function fallbackBody(status: number, response: unknown): ErrorResponse {
  const [subject, message] = STATUS_SUBJECT[status] ?? ['request', 'could not be processed'];
  if (status === 400 && typeof response === 'object' && response !== null) {
    const msg = (response as { message?: unknown }).message;
    if (typeof msg === 'string' && /JSON/i.test(msg)) return { errors: { body: ['is not valid JSON'] } };
  }
  if (status === 400 && typeof response === 'string' && /JSON/i.test(response)) return { errors: { body: ['is not valid JSON'] } };
  return { errors: { [subject]: [message] } };
}
