import { Injectable } from '@nestjs/common';
import {
  ACCESS_TOKEN_TYPE, ID_TOKEN_TYPES, OAuthErrorCode, TOKEN_EXCHANGE_GRANT_TYPE, TokenExchangeResponse,
} from '@conduit/contracts';
import type { JWTPayload } from 'jose';
import { ApiTokensService } from '../api-tokens/api-tokens.service';
import { TokenPolicyService } from '../api-tokens/token-policy';
import { AuthThrottle } from '../throttle/auth-throttle';
import { Clock } from '../common/clock';
import { isForeignKeyViolation } from '../database/pg-errors';
import type { EventOrigin } from '../security-log/security-events.service';
import { SecurityEvents } from '../security-log/security-events.service';
import { IdTokenVerifier } from './id-token-verifier';
import { TrustPoliciesRepository, TrustPolicyRow } from './trust-policies.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PARAMETERS = ['grant_type', 'subject_token', 'subject_token_type', 'client_id'] as const;

/** An answer in the OAuth format (RFC 6749 §5.2), with its status and headers. */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: OAuthErrorCode | 'temporarily_unavailable',
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(description);
  }
}

/** The one answer to every refusal about the ID token or the policy: nobody can probe policies. */
const REFUSED = 'the subject token is not accepted for this client_id';

/**
 * RFC 8693 token exchange: an OIDC ID token from a trusted issuer, for a trust policy (client_id),
 * becomes a short-lived `conduit_` token with the policy's permissions, allowlist and lifetime.
 * Every refusal about the token or the policy is the same `invalid_grant` (an unknown policy
 * included); the exact reason goes to the policy owner's security log. Refusals count against the
 * address's failed-authentication budget (AuthThrottle), and an address over it is refused before
 * any work.
 */
@Injectable()
export class TokenExchangeService {
  constructor(
    private readonly policies: TrustPoliciesRepository,
    private readonly verifier: IdTokenVerifier,
    private readonly apiTokens: ApiTokensService,
    private readonly tokenPolicy: TokenPolicyService,
    private readonly throttle: AuthThrottle,
    private readonly events: SecurityEvents,
    private readonly clock: Clock,
  ) {}

  async exchange(form: URLSearchParams, origin: EventOrigin & { ip: string }): Promise<TokenExchangeResponse> {
    const retryAfter = this.throttle.retryAfter(origin.ip);
    if (retryAfter !== null) throw this.tooMany(retryAfter);
    const params = parameters(form);
    const policy = UUID.test(params.client_id) ? await this.policies.find(params.client_id) : null;
    if (!policy) return this.refuse(origin, null, 'unknown client_id');

    const evaluation = await this.verifier.evaluate(policy, params.subject_token);
    if (!evaluation.ok || !evaluation.replay || !evaluation.claims) return this.refuse(origin, policy, evaluation.failure ?? 'invalid ID token');
    if (!(await this.policies.claimIdToken(policy.issuer, evaluation.replay.key, evaluation.replay.until))) {
      return this.refuse(origin, policy, 'replay: this ID token has already been exchanged');
    }

    const now = this.clock.now();
    const max = this.tokenPolicy.maxLifetimeSeconds;
    const lifetime = max === null ? policy.tokenLifetimeSeconds : Math.min(policy.tokenLifetimeSeconds, max);
    const about = describeRun(evaluation.claims);
    let minted: Awaited<ReturnType<ApiTokensService['mintForTrustPolicy']>>;
    try {
      minted = await this.apiTokens.mintForTrustPolicy({
        userId: policy.userId,
        name: tokenName(policy, about.repository),
        permissions: policy.permissions,
        allowedIps: [...policy.allowedIps],
        createdAt: now,
        expiresAt: new Date(now.getTime() + lifetime * 1000),
        trustPolicyId: policy.id,
      });
    } catch (error) {
      // The policy was deleted between reading it and minting (its row is gone): as if unknown.
      if (isForeignKeyViolation(error)) return this.refuse(origin, null, 'policy deleted during the exchange');
      throw error;
    }
    await this.policies.recordExchange({ policyId: policy.id, tokenId: minted.token.id, createdAt: now, ...about, ip: origin.ip });
    this.events.record({
      userId: policy.userId, type: 'token.exchanged', at: now, origin, token: minted.token,
      detail: { policyId: policy.id, policyName: policy.name, ...about },
    });
    return { access_token: minted.raw, issued_token_type: ACCESS_TOKEN_TYPE, token_type: 'Bearer', expires_in: lifetime };
  }

  private refuse(origin: EventOrigin & { ip: string }, policy: TrustPolicyRow | null, reason: string): never {
    if (policy) {
      this.events.record({ userId: policy.userId, type: 'token.exchange_refused', origin, detail: { policyId: policy.id, policyName: policy.name, reason } });
    }
    const retryAfter = this.throttle.fail(origin.ip);
    if (retryAfter !== null) throw this.tooMany(retryAfter);
    throw new OAuthError(400, 'invalid_grant', REFUSED);
  }

  private tooMany(retryAfter: number): OAuthError {
    return new OAuthError(429, 'invalid_request', `too many failed attempts from this address; retry in ${retryAfter} seconds`, { 'Retry-After': String(retryAfter) });
  }
}

/** The form's parameters: each exactly once, the grant and token types known; else the RFC's error. */
function parameters(form: URLSearchParams): Record<(typeof PARAMETERS)[number], string> {
  for (const name of new Set(form.keys())) {
    if (form.getAll(name).length > 1) throw new OAuthError(400, 'invalid_request', `${name} is sent more than once`);
  }
  const missing = PARAMETERS.filter((name) => !form.get(name));
  if (missing.includes('grant_type')) throw new OAuthError(400, 'invalid_request', 'grant_type is missing');
  if (form.get('grant_type') !== TOKEN_EXCHANGE_GRANT_TYPE) {
    throw new OAuthError(400, 'unsupported_grant_type', `grant_type must be ${TOKEN_EXCHANGE_GRANT_TYPE}`);
  }
  if (missing.length > 0) throw new OAuthError(400, 'invalid_request', `${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing`);
  const type = form.get('subject_token_type')!;
  if (!(ID_TOKEN_TYPES as readonly string[]).includes(type)) {
    throw new OAuthError(400, 'invalid_request', `subject_token_type must be ${ID_TOKEN_TYPES.join(' or ')}`);
  }
  return Object.fromEntries(PARAMETERS.map((name) => [name, form.get(name)!])) as Record<(typeof PARAMETERS)[number], string>;
}

/** Which repository, ref and run an ID token is about (GitHub's or GitLab's names), for the owner's page. */
function describeRun(claims: JWTPayload): { repository: string | null; ref: string | null; run: string | null } {
  const text = (value: unknown, max: number) => (typeof value === 'string' || typeof value === 'number' ? String(value).slice(0, max) : null);
  return {
    repository: text(claims.repository ?? claims.project_path, 300),
    ref: text(claims.ref, 300),
    run: text(claims.run_id ?? claims.pipeline_id, 100),
  };
}

function tokenName(policy: TrustPolicyRow, repository: string | null): string {
  return `${policy.name}${repository ? ` (${repository})` : ''}`.slice(0, 100);
}
