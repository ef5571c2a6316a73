import type { TokenRefusalReason } from '@conduit/contracts';

/** What a refused credential hears: `{"errors":{"token":[message]}}` with a 401. */
export type AuthenticationFailure =
  | 'is missing'
  | 'is invalid'
  | 'has expired'
  | 'has been revoked'
  | 'has been rotated'
  | `is not allowed from ${string}`;

/** A token that exists but was refused: whose it is and why (for the security log). */
export interface RefusedToken {
  readonly id: string;
  readonly userId: string;
  readonly reason: TokenRefusalReason;
}

/**
 * Why an authenticator refused a credential, returned as a value (never thrown, never stored on
 * the request): the authentication guard answers it with a 401, counts it against the address's
 * failed-authentication budget and, for a known token, reports it to the security log.
 */
export interface AuthenticationRefusal {
  readonly kind: 'refused';
  readonly message: AuthenticationFailure;
  readonly token?: RefusedToken;
}

export const refused = (message: AuthenticationFailure, token?: RefusedToken): AuthenticationRefusal =>
  token ? { kind: 'refused', message, token } : { kind: 'refused', message };

/** The refusal of a credential nobody could accept (unknown, forged, malformed): shared, frozen. */
export const INVALID: AuthenticationRefusal = Object.freeze(refused('is invalid'));
