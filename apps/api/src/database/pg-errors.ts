/**
 * PostgreSQL error codes the API acts on, in one place. Errors come from pg directly (`code`) or
 * wrapped by TypeORM (`driverError.code`); both are read.
 */
export const PG_ERROR = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  /** e.g. a string that is not a uuid compared with a uuid column. */
  invalidTextRepresentation: '22P02',
  deadlockDetected: '40P01',
  serializationFailure: '40001',
} as const;

interface PgLikeError {
  code?: unknown;
  constraint?: unknown;
  message?: unknown;
  driverError?: PgLikeError;
}

/** The PostgreSQL (SQLSTATE) or Node (e.g. ECONNREFUSED) code of an error, if any. */
export function pgCode(error: unknown): string | undefined {
  const e = error as PgLikeError | null;
  const code = e?.code ?? e?.driverError?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A unique violation (23505), of `constraint` when one is named. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (pgCode(error) !== PG_ERROR.uniqueViolation) return false;
  if (constraint === undefined) return true;
  const e = error as PgLikeError;
  return (e.constraint ?? e.driverError?.constraint) === constraint;
}

/**
 * A foreign key violation (23503): a row referred to went away between the lookup and the write,
 * e.g. an article deleted while someone favorites it. The caller answers 404, not 500.
 */
export const isForeignKeyViolation = (error: unknown): boolean => pgCode(error) === PG_ERROR.foreignKeyViolation;

export const isInvalidTextRepresentation = (error: unknown): boolean => pgCode(error) === PG_ERROR.invalidTextRepresentation;

/** A transaction PostgreSQL rolled back to break a deadlock or a serialization conflict: worth running again. */
export function isRetryableTransactionFailure(error: unknown): boolean {
  const code = pgCode(error);
  return code === PG_ERROR.deadlockDetected || code === PG_ERROR.serializationFailure;
}

const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', '57P01', '57P02', '57P03', '53300']);

/** True for errors meaning "the database could not be reached" (answered 503), as opposed to a bad query. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as PgLikeError;
  if (typeof e.code === 'string' && (UNAVAILABLE_CODES.has(e.code) || e.code.startsWith('08'))) return true;
  const message = typeof e.message === 'string' ? e.message : '';
  if (/Connection terminated|timeout exceeded when trying to connect|Driver not Connected|Cannot use a pool after calling end|connect ECONNREFUSED/i.test(message)) {
    return true;
  }
  return e.driverError ? isDatabaseUnavailable(e.driverError) : false;
}
