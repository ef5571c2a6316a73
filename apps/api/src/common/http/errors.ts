import { HttpException, HttpStatus } from '@nestjs/common';
import type { ErrorResponse } from '@conduit/contracts';

/** The challenge of every 401 (RFC 6750 §3): the API authenticates with bearer credentials. */
export const BEARER_CHALLENGE = 'Bearer realm="conduit"';

/**
 * The one way the API reports an error: `{"errors": {"<subject>": ["<message>"]}}`.
 *
 * An ApiError is an answer, not a fault: it carries no stack trace (capturing one is most of the
 * cost of refusing a request, and a refusal is what a flood of bad credentials gets).
 */
export class ApiError extends HttpException {
  constructor(status: number, errors: ErrorResponse['errors'], options?: { headers?: Record<string, string> }) {
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super({ errors } satisfies ErrorResponse, status);
    Error.stackTraceLimit = stackTraceLimit;
    this.headers = options?.headers ?? {};
  }
  readonly headers: Record<string, string>;
}

export const unprocessable = (errors: ErrorResponse['errors']) => new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, errors);
export const notFound = (subject: string) => new ApiError(HttpStatus.NOT_FOUND, { [subject]: ['not found'] });
export const forbidden = (subject: string, message: string) => new ApiError(HttpStatus.FORBIDDEN, { [subject]: [message] });
export const conflict = (field: string) => new ApiError(HttpStatus.CONFLICT, { [field]: ['has already been taken'] });
export const unauthorized = (subject: string, message: string, headers?: Record<string, string>) =>
  new ApiError(HttpStatus.UNAUTHORIZED, { [subject]: [message] }, { headers });
export const serviceUnavailable = () =>
  new ApiError(HttpStatus.SERVICE_UNAVAILABLE, { database: ['is unavailable; try again shortly'] }, { headers: { 'Retry-After': '5' } });
