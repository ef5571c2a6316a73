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

/** One entry of the security log. Token events carry a snapshot of the token's id, name and hint. */
export interface SecurityEvent {
  id: string;
  type: SecurityEventType;
  createdAt: string;
  ip: string | null;
  userAgent: string | null;
  tokenId: string | null;
  tokenName: string | null;
  tokenHint: string | null;
  /**
   * Per type: `token.revoked` → `{by}` (an `ApiTokenRevocationReason`; a `leak_report` from GitHub secret scanning adds
   * `reporter: "github_secret_scanning"`, the `url` it was found at and its `source`), plus `revokedWith: [{id, name, hint}]` when the
   * tokens it had rotated itself into went with it, each of which has its own `token.revoked` with `revokedWithId` (the
   * token whose revocation took it); `by: "rotation"` is written when a rotated token's overlap ends (within a minute of
   * it, dated when it ended) and adds `replacedById`; `token.rotated` → `{by, replacedById, retiresAt, newHint, expiresAt}` (`by`: `session` or
   * `token`, a self-rotation; `expiresAt` of the new token, null: never); `token.refused` → `{reason, count}` (refusals of one
   * token, reason and address within a minute are one event); `token.first_used` /
   * `token.new_ip` → `{}`; `token.exchanged` → `{policyId, policyName, repository, ref, run}` (the token is the minted one);
   * `token.exchange_refused` → `{policyId, policyName, reason}` (the exact reason, for the owner only);
   * `trust_policy.*` → `{policyId, policyName}`; `account.password_reset_requested` → `{emailed}` (false when the
   * account's hourly limit of reset mails was reached); `account.password_reset` → `{}`; others may carry fields of their own.
   */
  detail: Record<string, unknown>;
}

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
