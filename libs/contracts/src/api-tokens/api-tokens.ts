import type { RecentIp } from '../security-log/security-log.js';
import type { ApiTokenPermissions, PermissionLevel, ApiTokenResource } from './permissions.js';

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

/**
 * Where a token is in its life at an instant (see `tokenState`):
 * - `active`: usable;
 * - `retiring`: rotated, still usable until its `retiresAt` (the overlap window);
 * - `retired`: rotated and past its overlap: refused as "has been rotated";
 * - `expired`: past its `expiresAt`;
 * - `revoked`: revoked (see `ApiTokenRevocationReason` for by whom or what).
 */
export const API_TOKEN_STATES = ['active', 'retiring', 'retired', 'expired', 'revoked'] as const;
export type ApiTokenState = (typeof API_TOKEN_STATES)[number];

/**
 * Why a token was revoked: `session` (its owner, signed in), `token` (the token revoked itself),
 * `rotation` (ended by a rotation), `inactivity` (the inactivity policy), `leak_report` (reported
 * as leaked). The same words name who ended a token in the security log.
 */
export const API_TOKEN_REVOCATION_REASONS = ['session', 'token', 'rotation', 'inactivity', 'leak_report'] as const;
export type ApiTokenRevocationReason = (typeof API_TOKEN_REVOCATION_REASONS)[number];

/** Why a token is no longer usable: it expired, or one of the revocation reasons (a retired token: `rotation`). */
export type ApiTokenInactiveReason = 'expired' | ApiTokenRevocationReason;

/** An instant as the API, the database layer or a fast path holds it: a Date, an ISO 8601 string or epoch milliseconds. */
export type Instant = Date | string | number;

/** What `tokenState` reads of a token. Absent or null: not set. */
export interface TokenStateFields {
  expiresAt?: Instant | null;
  revokedAt?: Instant | null;
  /** Set when the token was rotated: the end of its overlap window. */
  retiresAt?: Instant | null;
}

function epochMs(value: Instant): number {
  return typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : value.getTime();
}

/**
 * The one definition of a token's state at `now`, shared by authentication, the lists, the
 * reminders and the web app. Revocation wins; then whichever of expiry and retirement came
 * first; a rotated token before its `retiresAt` is `retiring`.
 */
export function tokenState(token: TokenStateFields, now: Instant): ApiTokenState {
  if (token.revokedAt !== undefined && token.revokedAt !== null) return 'revoked';
  const at = epochMs(now);
  const expires = token.expiresAt === undefined || token.expiresAt === null ? null : epochMs(token.expiresAt);
  const retires = token.retiresAt === undefined || token.retiresAt === null ? null : epochMs(token.retiresAt);
  if (retires !== null && retires <= at) return expires !== null && expires < retires ? 'expired' : 'retired';
  if (expires !== null && expires <= at) return 'expired';
  return retires !== null ? 'retiring' : 'active';
}

/** The states in which a token authenticates. */
export type UsableTokenState = Extract<ApiTokenState, 'active' | 'retiring'>;

/** True while a token authenticates: `active` or `retiring`. */
export function isUsableState(state: ApiTokenState): state is UsableTokenState {
  return state === 'active' || state === 'retiring';
}

/** When a usable token stops working: the earlier of its expiry and its retirement (null: never). */
export function tokenEndsAt(token: TokenStateFields): Date | null {
  const ends = [token.expiresAt, token.retiresAt].filter((v): v is Instant => v !== undefined && v !== null).map(epochMs);
  return ends.length === 0 ? null : new Date(Math.min(...ends));
}

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
  /** What the token may do: always all four resources. */
  permissions: ApiTokenPermissions;
  /** `active` or `retiring` in the active list; see `tokenState`. */
  state: ApiTokenState;
  /** Rotated tokens: when the old secret stops working (the end of the overlap window). Otherwise null. */
  retiresAt: string | null;
  /** Inactive tokens (retired, expired, revoked): when they stopped working. Null while usable. */
  endedAt: string | null;
  /** Inactive tokens: why. Null while usable. */
  endReason: ApiTokenInactiveReason | null;
}

/** What `inactiveSince` reads: the state fields and why the token was revoked. */
export interface TokenEndFields extends TokenStateFields {
  revokedReason?: ApiTokenRevocationReason | null;
}

/**
 * When and why a token stopped working at `now`, or null while it is usable: revoked (its
 * reason), expired, or retired after a rotation (`rotation`).
 */
export function inactiveSince(token: TokenEndFields, now: Instant): { at: Date; reason: ApiTokenInactiveReason } | null {
  switch (tokenState(token, now)) {
    case 'revoked':
      return { at: new Date(epochMs(token.revokedAt as Instant)), reason: token.revokedReason ?? 'session' };
    case 'expired':
      return { at: new Date(epochMs(token.expiresAt as Instant)), reason: 'expired' };
    case 'retired':
      return { at: new Date(epochMs(token.retiresAt as Instant)), reason: 'rotation' };
    default:
      return null;
  }
}

/** The inactive list (`GET /api/user/api-tokens?state=inactive`) covers tokens that ended this many days ago at most. */
export const INACTIVE_TOKEN_DAYS = 90;

/** `GET /api/user/api-tokens?state=…`: `active` (default) or `inactive`. */
export const API_TOKEN_LIST_STATES = ['active', 'inactive'] as const;
export type ApiTokenListState = (typeof API_TOKEN_LIST_STATES)[number];

/** `PATCH /api/user/api-tokens/:id`: what can change. Expiry and secret cannot: rotate instead. */
export interface UpdateApiTokenRequest {
  apiToken: {
    name?: string;
    allowedIps?: string[];
    /** Replaces the whole set when sent (a resource left out is none); unchanged when left out. */
    permissions?: Partial<Record<ApiTokenResource, PermissionLevel>>;
  };
}

/** `PATCH /api/user/api-tokens/:id` → 200. */
export interface ApiTokenResponse {
  apiToken: ApiToken;
}

/** The longest overlap a rotation accepts: 7 days, in seconds. */
export const API_TOKEN_MAX_OVERLAP_SECONDS = 604_800;

/**
 * `POST /api/user/api-tokens/:id/rotate` (session) and `POST /api/user/api-tokens/current/rotate`
 * (the token itself). Everything is optional: no overlap, and the old token's lifetime again.
 */
export interface RotateApiTokenRequest {
  rotation?: {
    /** How long the old secret keeps working, 0…604800 seconds; default 0. */
    overlapSeconds?: number;
    /** The new token's lifetime as a preset. Mutually exclusive with `expiresAt`. */
    expiresIn?: ApiTokenExpiryPreset;
    /** The new token's expiry (ISO 8601, in the future). Mutually exclusive with `expiresIn`. */
    expiresAt?: string;
  };
}

export interface RotateApiTokenResponse {
  /** The new raw token. It appears in this response only. */
  token: string;
  /** The new token: the old one's name, permissions and allowlist, a new secret. */
  apiToken: ApiToken;
  /** The old token, and when its secret stops working. */
  replaced: { id: string; retiresAt: string };
}

export interface CreateApiTokenRequest {
  apiToken: {
    name: string;
    /** A preset; default "30d". Mutually exclusive with `expiresAt`. */
    expiresIn?: ApiTokenExpiryPreset;
    /** A custom future instant (ISO 8601). Mutually exclusive with `expiresIn`. */
    expiresAt?: string;
    allowedIps?: string[];
    /**
     * Access level per resource; a resource left out is `none`. Left out entirely: `write` on
     * everything (what tokens could do before permissions existed).
     */
    permissions?: Partial<Record<ApiTokenResource, PermissionLevel>>;
  };
}

export interface CreateApiTokenResponse {
  apiToken: ApiToken;
  /** The raw token. It appears in this response only. */
  token: string;
}

/**
 * `GET /api/user/api-tokens`: every usable token (retiring ones included), newest first; with
 * `?state=inactive`: the tokens that ended in the last INACTIVE_TOKEN_DAYS, most recently ended first.
 */
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
