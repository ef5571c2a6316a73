import type { TokenRefusalReason } from '@conduit/contracts';

/**
 * Why authentication failed, recorded on the request by the strategies so that the guard can say
 * it (`{"errors":{"token":[reason]}}`). Strategies return "no user" for bad credentials (the
 * chain goes on) and throw only when something broke.
 */
export type AuthFailureReason =
  | 'is missing'
  | 'is invalid'
  | 'has expired'
  | 'has been revoked'
  | 'has been rotated'
  | `is not allowed from ${string}`;

const AUTH_FAILURE = Symbol('conduit.authFailure');
const REFUSED_TOKEN = Symbol('conduit.refusedToken');

/** A token that exists but was refused: whose it is and why (for the security log). */
export interface RefusedToken {
  id: string;
  userId: string;
  reason: TokenRefusalReason;
}

type WithFailure = { [AUTH_FAILURE]?: AuthFailureReason; [REFUSED_TOKEN]?: RefusedToken };

export function recordAuthFailure(request: object, reason: AuthFailureReason, token?: RefusedToken): void {
  (request as WithFailure)[AUTH_FAILURE] = reason;
  if (token) (request as WithFailure)[REFUSED_TOKEN] = token;
}

export function refusedTokenOf(request: object): RefusedToken | undefined {
  return (request as WithFailure)[REFUSED_TOKEN];
}

export function authFailureOf(request: object): AuthFailureReason | undefined {
  return (request as WithFailure)[AUTH_FAILURE];
}
