import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyRequest } from 'fastify';
import { API_TOKEN_PREFIX } from '@conduit/contracts';

/**
 * What a request's `Authorization` header carries, read once per request (credentialOf) by the
 * early-refusal hook, the authentication guard and the strategy the guard picks by `kind`:
 *
 *   none         no header (or an empty one)
 *   malformed    sent several times, or more than "<scheme> <credential>": 400 invalid_request
 *   unsupported  a scheme or credential no strategy reads (Basic …, a bare word, `Token conduit_…`): 401
 *   jwt          `Bearer <jwt>` or `Token <jwt>` (RealWorld clients): a session access token
 *   api-token    `Bearer conduit_…`: an API token (well-formed or not: the authenticator says)
 *
 * The scheme is case-insensitive and one or more spaces or tabs separate it from the credential
 * (RFC 7235 §2.1, RFC 6750 §2.1), the same for both kinds.
 */
export type Credential =
  | { readonly kind: 'none' }
  | { readonly kind: 'malformed'; readonly problem: string }
  | { readonly kind: 'unsupported' }
  | { readonly kind: 'jwt'; readonly token: string }
  | { readonly kind: 'api-token'; readonly token: string };

const NONE: Credential = Object.freeze({ kind: 'none' });
const UNSUPPORTED: Credential = Object.freeze({ kind: 'unsupported' });
const SENT_TWICE: Credential = Object.freeze({ kind: 'malformed', problem: 'must be sent once (the request has several Authorization headers)' });
const TRAILING: Credential = Object.freeze({ kind: 'malformed', problem: 'must be "Bearer <token>" with nothing after the token' });

/** Spaces and tabs between the scheme and the credential (RFC 7230's BWS / RFC 7235's 1*SP). */
const SEPARATOR = /[ \t]+/;

/**
 * Parses the header. `rawHeaders` (Node's name/value list) is read only when there is an
 * Authorization header at all, to tell a header sent twice (Node keeps only the first, so which
 * one counts would be an accident).
 */
export function parseAuthorization(headers: IncomingHttpHeaders, rawHeaders: readonly string[]): Credential {
  const value = headers.authorization;
  if (value === undefined) return NONE;
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i].length === 13 && rawHeaders[i].toLowerCase() === 'authorization') count++;
  }
  if (count > 1) return SENT_TWICE;
  // Node trims the value's leading and trailing whitespace; other callers may not.
  const trimmed = value.trim();
  if (trimmed === '') return NONE;
  const parts = trimmed.split(SEPARATOR);
  if (parts.length > 2) return TRAILING;
  if (parts.length < 2) return UNSUPPORTED;
  const scheme = parts[0].toLowerCase();
  const token = parts[1];
  if (token.startsWith(API_TOKEN_PREFIX)) return scheme === 'bearer' ? { kind: 'api-token', token } : UNSUPPORTED;
  return scheme === 'bearer' || scheme === 'token' ? { kind: 'jwt', token } : UNSUPPORTED;
}

const CREDENTIAL = Symbol('conduit.credential');
type WithCredential = FastifyRequest & { [CREDENTIAL]?: Credential };

/** The request's credential, parsed on first use and kept on the request for the rest of it. */
export function credentialOf(request: FastifyRequest): Credential {
  const holder = request as WithCredential;
  return (holder[CREDENTIAL] ??= parseAuthorization(request.headers, request.raw.rawHeaders));
}
