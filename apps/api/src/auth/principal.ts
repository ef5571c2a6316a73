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

export interface ApiTokenRow {
  id: string;
  name: string;
  hint: string;
  allowedIps: string[];
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
}

export interface TokenPrincipal {
  kind: 'api-token';
  user: AuthUser;
  token: ApiTokenRow;
  clientIp: string;
}

export type Principal = SessionPrincipal | TokenPrincipal;

export const JWT_STRATEGY = 'jwt';
export const API_TOKEN_STRATEGY = 'api-token';
