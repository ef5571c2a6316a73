export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 64;
export const USERNAME_MAX_LENGTH = 40;
export const EMAIL_MAX_LENGTH = 254;
export const BIO_MAX_LENGTH = 2000;
export const IMAGE_URL_MAX_LENGTH = 2048;
export const DEFAULT_TIMEZONE = 'UTC';

/** The WHATWG URL parser that browsers and Node both have (this lib is built without DOM or Node types). */
declare const URL: new (input: string) => { protocol: string; hostname: string };

/**
 * A profile image: an absolute http(s) URL with a host, at most IMAGE_URL_MAX_LENGTH characters,
 * without whitespace or control characters (what readers' browsers will fetch). The API decides;
 * the web form uses the same rule. An empty string or null clears the image instead.
 */
export function isImageUrl(value: string): boolean {
  if (value.length === 0 || value.length > IMAGE_URL_MAX_LENGTH) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(value)) return false;
  let url: { protocol: string; hostname: string };
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.length > 0;
}

/** The signed-in user, as `POST /api/users`, `POST /api/users/login`, `GET|PUT /api/user` return it. */
export interface User {
  email: string;
  username: string;
  bio: string | null;
  image: string | null;
  /** IANA time zone name used to show dates, e.g. "Europe/Paris". */
  timezone: string;
  /**
   * A short-lived session access token (JWT). `null` when the request was authenticated with an
   * API token: a token never yields a session.
   */
  token: string | null;
}

export interface UserResponse {
  user: User;
}

export interface NewUserRequest {
  user: { username: string; email: string; password: string };
}

export interface LoginUserRequest {
  user: { email: string; password: string };
}

export interface UpdateUserRequest {
  user: {
    email?: string;
    username?: string;
    password?: string;
    /** When given, must match the current password (the web app always sends it with `password`). */
    currentPassword?: string;
    bio?: string | null;
    image?: string | null;
    timezone?: string;
  };
}

/** `DELETE /api/user` body: the current password confirms the deletion. */
export interface DeleteUserRequest {
  user: { password: string };
}
