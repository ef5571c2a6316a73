import type { ApiTokenPermissions } from '@conduit/contracts';

/** The authenticated caller of a request (request.user). */
export interface AuthUser {
  id: string;
  username: string;
  email: string;
  bio: string | null;
  image: string | null;
  timezone: string;
}

export interface SessionPrincipal {
  kind: 'session';
  user: AuthUser;
  sessionId: string;
  /** The access JWT presented with this request. */
  accessToken: string;
}

/** What authentication reads of a token (the rest is loaded by the endpoints that show it). */
export interface AuthenticatedToken {
  id: string;
  expiresAt: Date | null;
  /** A shared frozen object (decoded from the stored mask by table lookup). */
  permissions: ApiTokenPermissions;
}

export interface TokenPrincipal {
  kind: 'api-token';
  user: AuthUser;
  token: AuthenticatedToken;
  clientIp: string;
}

export type Principal = SessionPrincipal | TokenPrincipal;

export const JWT_STRATEGY = 'jwt';
export const API_TOKEN_STRATEGY = 'api-token';
