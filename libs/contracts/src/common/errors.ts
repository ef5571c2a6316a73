/**
 * Every error the API returns has this shape (the RealWorld error format):
 * `{"errors": {"<field or subject>": ["<message>", ...]}}`.
 */
export interface ErrorResponse {
  errors: Record<string, string[]>;
}

export function isErrorResponse(value: unknown): value is ErrorResponse {
  if (typeof value !== 'object' || value === null) return false;
  const errors = (value as { errors?: unknown }).errors;
  return typeof errors === 'object' && errors !== null && !Array.isArray(errors);
}

/** Header names that the API sets and exposes to browsers (CORS). */
export const TOKEN_EXPIRES_AT_HEADER = 'Conduit-Token-Expires-At';

/** `GET /api/ip`: the client address as the server sees it (what allowlists are matched against). */
export interface ClientIpResponse {
  ip: string;
}
