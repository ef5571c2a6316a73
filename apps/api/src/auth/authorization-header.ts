import type { IncomingMessage } from 'node:http';
import { HttpStatus } from '@nestjs/common';
import { ApiError, BEARER_CHALLENGE, unauthorized } from '../common/http/errors';

/**
 * What is wrong with the shape of the Authorization header, if anything: sent more than once
 * (Node keeps only the first, so which one counts would be an accident), or more than
 * "<scheme> <credential>". RFC 6750 §3.1 calls both an invalid_request. Reads the raw header
 * list only when there is an Authorization header at all.
 */
export function authorizationProblem(raw: IncomingMessage): string | null {
  const value = raw.headers.authorization;
  if (value === undefined) return null;
  let count = 0;
  const names = raw.rawHeaders;
  for (let i = 0; i < names.length; i += 2) {
    if (names[i].length === 13 && names[i].toLowerCase() === 'authorization') count++;
  }
  if (count > 1) return 'must be sent once (the request has several Authorization headers)';
  if (value.trim().split(/\s+/).length > 2) return 'must be "Bearer <token>" with nothing after the token';
  return null;
}

/** 400 invalid_request (RFC 6750 §3.1) for a malformed Authorization header. */
export const invalidRequest = (problem: string) =>
  new ApiError(HttpStatus.BAD_REQUEST, { authorization: [problem] }, { headers: { 'WWW-Authenticate': `${BEARER_CHALLENGE}, error="invalid_request"` } });

/** The header's credential: what follows the scheme. */
export const credentialOf = (authorization: string) => authorization.replace(/^\s*\S+\s*/, '');

/** 401 invalid_token (RFC 6750 §3.1): a credential was sent and refused, `reason` says why. */
export const invalidToken = (reason: string) => unauthorized('token', reason, { 'WWW-Authenticate': `${BEARER_CHALLENGE}, error="invalid_token"` });
