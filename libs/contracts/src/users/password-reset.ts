/**
 * Forgot password: a reset link sent by email. The link is valid once, for PASSWORD_RESET_TTL
 * (default 30 minutes); the server keeps only a hash of it. Using it sets a new password and ends
 * every session of the account; API tokens keep working.
 */

/** `GET /api/users/password-reset` (public): whether reset links can be sent on this server. */
export interface PasswordResetStatusResponse {
  passwordReset: {
    /** False when the operator has not configured mail (SMTP_URL): no link can be sent. */
    available: boolean;
    /** How long a link stays valid (PASSWORD_RESET_TTL), in seconds. */
    linkValiditySeconds: number;
  };
}

/**
 * `POST /api/users/password-reset` (public) body. The answer is always the same 202
 * (`PasswordResetRequestedResponse`), whether or not the email belongs to an account: it never
 * says which.
 */
export interface PasswordResetRequest {
  user: { email: string };
}

/** The 202 of `POST /api/users/password-reset`: the same for every email. */
export interface PasswordResetRequestedResponse {
  passwordReset: {
    requested: true;
    /** How long the link, if one is sent, stays valid, in seconds. */
    linkValiditySeconds: number;
  };
}

/**
 * `POST /api/users/password-reset/complete` (public) body: the token from the link and the new
 * password. 204 when done; 422 `{"errors": {"token": [...]}}` when the link is unknown, used or
 * expired.
 */
export interface CompletePasswordResetRequest {
  passwordReset: { token: string; password: string };
}

/** The error message of a link that cannot be used (unknown, already used, or expired). */
export const PASSWORD_RESET_TOKEN_INVALID = 'is invalid, used or expired; ask for a new link';

/** Where the web app reads the token: the URL fragment (`/reset-password#token=…`), which browsers never send to a server. */
export const PASSWORD_RESET_PATH = '/reset-password';
