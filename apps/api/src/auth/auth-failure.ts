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

type WithFailure = { [AUTH_FAILURE]?: AuthFailureReason };

export function recordAuthFailure(request: object, reason: AuthFailureReason): void {
  (request as WithFailure)[AUTH_FAILURE] = reason;
}

export function authFailureOf(request: object): AuthFailureReason | undefined {
  return (request as WithFailure)[AUTH_FAILURE];
}
