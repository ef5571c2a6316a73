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
  /** When the session last proved its password (epoch ms), read with the session; null: never. */
  reauthenticatedAt: number | null;
}

/** What authentication reads of a token (the rest is loaded by the endpoints that show it). */
export interface AuthenticatedToken {
  id: string;
  expiresAt: Date | null;
  /** A shared frozen object (decoded from the stored mask by table lookup). */
  permissions: ApiTokenPermissions;
  /** Minted by a Trusted CI exchange (a trust policy's token), not created by a person. */
  minted: boolean;
}

export interface TokenPrincipal {
  kind: 'api-token';
  user: AuthUser;
  token: AuthenticatedToken;
  clientIp: string;
}

export type Principal = SessionPrincipal | TokenPrincipal;
