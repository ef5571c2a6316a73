import type { ApiTokenRevocationReason } from '../api-tokens/api-tokens.js';

/** Every kind of event in an account's security log, as the API names them. */
export const SECURITY_EVENT_TYPES = [
  'token.created',
  'token.updated',
  'token.rotated',
  'token.revoked',
  'token.first_used',
  'token.new_ip',
  'token.refused',
  'token.exchanged',
  'token.exchange_refused',
  'trust_policy.created',
  'trust_policy.updated',
  'trust_policy.deleted',
  'session.signed_in',
  'session.signed_out',
  'session.reuse_detected',
  'account.password_changed',
  'account.email_changed',
  'account.password_reset_requested',
  'account.password_reset',
] as const;
export type SecurityEventType = (typeof SECURITY_EVENT_TYPES)[number];

/** Why a known token was refused (`detail.reason` of `token.refused`). */
export const TOKEN_REFUSAL_REASONS = ['ip_not_allowed', 'expired', 'revoked', 'rotated', 'insufficient_permission'] as const;
export type TokenRefusalReason = (typeof TOKEN_REFUSAL_REASONS)[number];

/** How many distinct client addresses a token remembers. */
export const TOKEN_RECENT_IPS = 5;

/** A client address a token was used from, and when it was last seen (about once a minute). */
export interface RecentIp {
  ip: string;
  lastSeenAt: string;
}

/** A token named in another event's detail: its id, and its name and hint as they were. */
export interface TokenRef {
  id: string;
  name: string;
  hint: string;
}

/** No detail. */
export type NoDetail = Record<string, never>;

/**
 * What each type of event carries in `detail`, one type per event type (the API writes exactly
 * these; a client may read them without guessing).
 */
export interface SecurityEventDetails {
  'token.created': NoDetail;
  /** The fields that changed, by their API names (`name`, `allowedIps`, `permissions`). */
  'token.updated': { changed: string[] };
  /** `by`: `session` (the owner) or `token` (a self-rotation); `expiresAt` of the new token (null: never). */
  'token.rotated': { by: 'session' | 'token'; replacedById: string; retiresAt: string; newHint: string; expiresAt: string | null };
  /**
   * `by`: who or what ended it. Tokens it had rotated itself into that went with it are listed in
   * `revokedWith`, and each has its own `token.revoked` whose `revokedWithId` names this one. A
   * leak report from GitHub secret scanning adds `reporter`, the `url` it was found at and its
   * `source`; `rotation` (written when a rotated token's overlap ends, within a minute, dated
   * then) adds `replacedById`; `policy_deleted` adds the policy.
   */
  'token.revoked': {
    by: ApiTokenRevocationReason;
    revokedWith?: TokenRef[];
    revokedWithId?: string;
    reporter?: 'github_secret_scanning';
    url?: string;
    source?: string;
    replacedById?: string | null;
    policyId?: string;
    policyName?: string;
  };
  'token.first_used': NoDetail;
  /** An address not among the token's last 5 (the event's `ip`). */
  'token.new_ip': NoDetail;
  /** Refusals of one token, reason and address within a minute are one event: how many, and when the last was. */
  'token.refused': { reason: TokenRefusalReason; count: number; lastAt: string };
  /** The token is the one minted; what the CI run said of itself (null when its ID token did not say). */
  'token.exchanged': { policyId: string; policyName: string; repository: string | null; ref: string | null; run: string | null };
  /** The exact reason, for the policy's owner only (the caller got a bare `invalid_grant`). */
  'token.exchange_refused': { policyId: string; policyName: string; reason: string };
  'trust_policy.created': { policyId: string; policyName: string; issuer: string };
  /** The fields that changed, by their API names. */
  'trust_policy.updated': { policyId: string; policyName: string; changed: string[] };
  /** How many of its minted tokens were revoked with it (each has its `token.revoked`, `by: policy_deleted`). */
  'trust_policy.deleted': { policyId: string; policyName: string; revokedTokens: number };
  'session.signed_in': { via: 'password' | 'registration' };
  'session.signed_out': NoDetail;
  'session.reuse_detected': NoDetail;
  'account.password_changed': NoDetail;
  'account.email_changed': { from: string; to: string };
  /** false when the account's hourly limit of reset mails was reached (nothing was sent). */
  'account.password_reset_requested': { emailed: boolean };
  'account.password_reset': NoDetail;
}

/** What every entry has. Token events carry a snapshot of the token's id, name and hint. */
export interface SecurityEventBase {
  id: string;
  createdAt: string;
  ip: string | null;
  userAgent: string | null;
  tokenId: string | null;
  tokenName: string | null;
  tokenHint: string | null;
}

/** One entry of the security log: `type` decides the shape of `detail` (SecurityEventDetails). */
export type SecurityEvent = {
  [T in SecurityEventType]: SecurityEventBase & { type: T; detail: SecurityEventDetails[T] };
}[SecurityEventType];

/** The events of one type, e.g. `SecurityEventOf<'token.revoked'>` (its `detail` typed). */
export type SecurityEventOf<T extends SecurityEventType> = Extract<SecurityEvent, { type: T }>;

/** A type guard for filtering a list of events down to one type: `events.filter(isSecurityEvent('token.refused'))`. */
export const isSecurityEvent =
  <T extends SecurityEventType>(type: T) =>
  (event: SecurityEvent): event is SecurityEventOf<T> =>
    event.type === type;

export const SECURITY_LOG_DEFAULT_LIMIT = 50;
export const SECURITY_LOG_MAX_LIMIT = 100;

/** `GET /api/user/security-log` query: `limit`, `before` (a `nextCursor`), `tokenId`, `type`. */
export interface SecurityLogQuery {
  limit?: number;
  before?: string;
  tokenId?: string;
  type?: SecurityEventType;
}

/** Newest first; `nextCursor` is the `before` of the next page, null on the last one. */
export interface SecurityLogResponse {
  events: SecurityEvent[];
  nextCursor: string | null;
}

/** `POST /api/credentials/revoke`: report leaked credentials (no authentication). */
export const LEAK_REPORT_MAX_CREDENTIALS = 100;

export interface RevokeCredentialsRequest {
  credentials: string[];
}

/** Always the same, whatever the credentials were: the endpoint says nothing about them. */
export interface RevokeCredentialsResponse {
  received: number;
}
