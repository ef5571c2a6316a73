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

const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', '57P01', '57P02', '57P03', '53300']);

/** True for errors meaning "the database could not be reached", as opposed to a bad query. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as { code?: unknown; message?: unknown; driverError?: unknown };
  if (typeof e.code === 'string' && (UNAVAILABLE_CODES.has(e.code) || e.code.startsWith('08'))) return true;
  const message = typeof e.message === 'string' ? e.message : '';
  if (/Connection terminated|timeout exceeded when trying to connect|Driver not Connected|Cannot use a pool after calling end|connect ECONNREFUSED/i.test(message)) {
    return true;
  }
  return e.driverError ? isDatabaseUnavailable(e.driverError) : false;
}

/**
 * A foreign key violation (23503): a row referred to went away between the lookup and the write,
 * e.g. an article deleted while someone favorites it. The caller answers 404, not 500.
 */
export function isForeignKeyViolation(error: unknown): boolean {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  return e?.code === '23503' || e?.driverError?.code === '23503';
}
