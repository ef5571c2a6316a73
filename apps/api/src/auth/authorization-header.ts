import { HttpStatus } from '@nestjs/common';
import { ApiError, BEARER_CHALLENGE, unauthorized } from '../common/http/errors';

/** 400 invalid_request (RFC 6750 §3.1) for a malformed Authorization header. */
export const invalidRequest = (problem: string) =>
  new ApiError(HttpStatus.BAD_REQUEST, { authorization: [problem] }, { headers: { 'WWW-Authenticate': `${BEARER_CHALLENGE}, error="invalid_request"` } });

/** 401 invalid_token (RFC 6750 §3.1): a credential was sent and refused, `reason` says why. */
export const invalidToken = (reason: string) => unauthorized('token', reason, { 'WWW-Authenticate': `${BEARER_CHALLENGE}, error="invalid_token"` });
