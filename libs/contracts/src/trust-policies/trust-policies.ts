import type { ApiTokenPermissions, ApiTokenResource, PermissionLevel } from '../api-tokens/permissions.js';

/**
 * Trusted CI: a trust policy lets a CI job exchange the OIDC ID token its platform gives it
 * (GitHub Actions, GitLab CI, or another issuer the instance trusts) for a short-lived `conduit_`
 * token (RFC 8693 token exchange at `POST /api/oauth/token`).
 */

/** The issuers an instance trusts when TRUSTED_ISSUERS is not set. */
export const DEFAULT_TRUSTED_ISSUERS = ['https://token.actions.githubusercontent.com', 'https://gitlab.com'] as const;
export const GITHUB_ACTIONS_ISSUER = 'https://token.actions.githubusercontent.com';
export const GITLAB_ISSUER = 'https://gitlab.com';

/**
 * Claims that pin an owner: a policy needs at least one of them (every GitHub customer shares one
 * issuer, so a policy on `ref` alone would trust the whole world).
 */
export const TRUST_POLICY_OWNER_CLAIMS = ['sub', 'repository_owner_id', 'repository_id', 'namespace_id', 'project_id'] as const;

export const TRUST_POLICY_NAME_MAX_LENGTH = 100;
export const TRUST_POLICY_MAX_CONDITIONS = 20;
export const TRUST_POLICY_CLAIM_NAME = /^[A-Za-z0-9_.:-]{1,64}$/;
export const TRUST_POLICY_CLAIM_VALUE_MAX_LENGTH = 256;
export const TRUST_POLICY_LIFETIME_MIN_SECONDS = 60;
export const TRUST_POLICY_LIFETIME_MAX_SECONDS = 3600;
export const TRUST_POLICY_LIFETIME_DEFAULT_SECONDS = 900;
/** How many recent exchanges a policy shows. */
export const TRUST_POLICY_RECENT_EXCHANGES = 10;

/** RFC 8693 names. */
export const TOKEN_EXCHANGE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const ID_TOKEN_TYPES = ['urn:ietf:params:oauth:token-type:id_token', 'urn:ietf:params:oauth:token-type:jwt'] as const;
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';

/** One successful exchange, as the owner sees it. */
export interface TrustPolicyExchange {
  at: string;
  /** The minted token's id. */
  tokenId: string;
  /** From the ID token, when it has them (GitHub: repository / ref / run_id; GitLab: project_path / ref / pipeline_id). */
  repository: string | null;
  ref: string | null;
  run: string | null;
  /** The client address of the exchange. */
  ip: string | null;
}

export interface TrustPolicy {
  id: string;
  name: string;
  issuer: string;
  audience: string;
  conditions: Record<string, string>;
  permissions: ApiTokenPermissions;
  allowedIps: string[];
  tokenLifetimeSeconds: number;
  createdAt: string;
  lastExchangedAt: string | null;
  recentExchanges: TrustPolicyExchange[];
}

/** The fields of `POST` (name, issuer, conditions and permissions required) and `PATCH` (any of them). */
export interface TrustPolicyInput {
  name: string;
  issuer: string;
  audience?: string;
  conditions: Record<string, string>;
  permissions: Partial<Record<ApiTokenResource, PermissionLevel>>;
  allowedIps?: string[];
  tokenLifetimeSeconds?: number;
}

export interface CreateTrustPolicyRequest {
  trustPolicy: TrustPolicyInput;
}
export interface UpdateTrustPolicyRequest {
  trustPolicy: Partial<TrustPolicyInput>;
}
export interface TrustPolicyResponse {
  trustPolicy: TrustPolicy;
}
export interface TrustPolicyListResponse {
  trustPolicies: TrustPolicy[];
  /** The issuers this instance trusts (TRUSTED_ISSUERS), and the default audience (PUBLIC_URL). */
  trustedIssuers: string[];
  defaultAudience: string;
}

export interface TestTrustPolicyRequest {
  idToken: string;
}

/** One check of `POST /api/user/trust-policies/:id/test`. */
export interface TrustPolicyCheck {
  /** `signature`, `issuer`, `audience`, `expiry`, `replay`, or `claim <name>` for each condition. */
  check: string;
  passed: boolean;
  expected: string | null;
  actual: string | null;
  /** Why it failed, in a sentence; null when it passed. */
  message: string | null;
}

export interface TestTrustPolicyResponse {
  /** Whether the exchange would succeed now (nothing is minted and the ID token is not used up). */
  wouldExchange: boolean;
  checks: TrustPolicyCheck[];
  /** The ID token's claims when its signature is valid (never the token itself). */
  claims: Record<string, unknown> | null;
}

/** `POST /api/oauth/token` success (RFC 8693 §2.2.1). */
export interface TokenExchangeResponse {
  access_token: string;
  issued_token_type: typeof ACCESS_TOKEN_TYPE;
  token_type: 'Bearer';
  expires_in: number;
}

/** `POST /api/oauth/token` errors (RFC 6749 §5.2). */
export type OAuthErrorCode = 'invalid_request' | 'unsupported_grant_type' | 'invalid_grant';
export interface OAuthErrorResponse {
  error: OAuthErrorCode;
  error_description: string;
}

/** Whether a policy's conditions pin an owner (one of TRUST_POLICY_OWNER_CLAIMS). */
export function pinsAnOwner(conditions: Record<string, string>): boolean {
  return TRUST_POLICY_OWNER_CLAIMS.some((claim) => typeof conditions[claim] === 'string' && conditions[claim] !== '');
}
