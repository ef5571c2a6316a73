import type { RecentIp } from '../security-log/security-log.js';

export const API_TOKEN_PREFIX = 'conduit_';
export const API_TOKEN_NAME_MAX_LENGTH = 100;
export const API_TOKEN_MAX_ALLOWED_IPS = 100;
export const API_TOKEN_HINT_LENGTH = 4;

export const API_TOKEN_EXPIRY_PRESETS = ['7d', '30d', '60d', '90d', '1y', 'never'] as const;
export type ApiTokenExpiryPreset = (typeof API_TOKEN_EXPIRY_PRESETS)[number];
export const DEFAULT_API_TOKEN_EXPIRY: ApiTokenExpiryPreset = '30d';

/** Tokens unused this long are shown as candidates for revocation. */
export const STALE_TOKEN_DAYS = 90;
/** Tokens expiring within this many days are shown as expiring soon. */
export const EXPIRING_SOON_DAYS = 7;

/** An API token as the API shows it. The raw value is never part of it. */
export interface ApiToken {
  id: string;
  name: string;
  /** The last 4 characters of the raw token, to tell tokens apart. */
  hint: string;
  createdAt: string;
  expiresAt: string | null;
  /** Canonical CIDRs, e.g. "203.0.113.7/32", "2001:db8::/32". Empty: any source address. */
  allowedIps: string[];
  lastUsedAt: string | null;
  lastUsedIp: string | null;
  /** The last 5 distinct client addresses it was used from, most recent first. */
  recentIps: RecentIp[];
}

export interface CreateApiTokenRequest {
  apiToken: {
    name: string;
    /** A preset; default "30d". Mutually exclusive with `expiresAt`. */
    expiresIn?: ApiTokenExpiryPreset;
    /** A custom future instant (ISO 8601). Mutually exclusive with `expiresIn`. */
    expiresAt?: string;
    allowedIps?: string[];
  };
}

export interface CreateApiTokenResponse {
  apiToken: ApiToken;
  /** The raw token. It appears in this response only. */
  token: string;
}

export interface ApiTokenListResponse {
  apiTokens: ApiToken[];
}

export interface CurrentApiTokenResponse {
  apiToken: ApiToken;
  /** The client address as the server sees it. */
  observedIp: string;
}

/** Adds a preset duration to an instant; `null` for "never". */
export function expiryFromPreset(preset: ApiTokenExpiryPreset, from: Date): Date | null {
  const d = new Date(from.getTime());
  switch (preset) {
    case '7d':
      return new Date(d.getTime() + 7 * 86_400_000);
    case '30d':
      return new Date(d.getTime() + 30 * 86_400_000);
    case '60d':
      return new Date(d.getTime() + 60 * 86_400_000);
    case '90d':
      return new Date(d.getTime() + 90 * 86_400_000);
    case '1y':
      d.setUTCFullYear(d.getUTCFullYear() + 1);
      return d;
    case 'never':
      return null;
  }
}
