import { Inject, Injectable } from '@nestjs/common';
import {
  completePermissions, decodePermissions, encodePermissions, NO_PERMISSIONS, parseAllowlist, pinsAnOwner, TestTrustPolicyResponse,
  TRUST_POLICY_LIFETIME_DEFAULT_SECONDS, TRUST_POLICY_OWNER_CLAIMS, TrustPolicy, TrustPolicyListResponse, TrustPolicyResponse,
  type ApiTokenResource, type PermissionLevel,
} from '@conduit/contracts';
import { TokenPolicyService } from '../api-tokens/token-policy';
import { Clock } from '../common/clock';
import { notFound, unprocessable } from '../common/http/errors';
import { APP_CONFIG, AppConfig } from '../config/config';
import type { EventOrigin } from '../security-log/security-events.service';
import { SecurityEvents } from '../security-log/security-events.service';
import type { CreateTrustPolicyDto, UpdateTrustPolicyDto } from './dto/trust-policy.dto';
import { IdTokenVerifier } from './id-token-verifier';
import { ExchangeRow, TrustPoliciesRepository, TrustPolicyFields, TrustPolicyRow } from './trust-policies.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Trust policies of an account: CRUD and the test of an ID token (the exchange is TokenExchangeService's). */
@Injectable()
export class TrustPoliciesService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly policies: TrustPoliciesRepository,
    private readonly verifier: IdTokenVerifier,
    private readonly tokenPolicy: TokenPolicyService,
    private readonly events: SecurityEvents,
    private readonly clock: Clock,
  ) {}

  async list(userId: string): Promise<TrustPolicyListResponse> {
    const rows = await this.policies.list(userId);
    const exchanges = await this.policies.recentExchanges(rows.map((r) => r.id));
    return {
      trustPolicies: rows.map((r) => toTrustPolicy(r, exchanges)),
      trustedIssuers: [...this.config.trustedIssuers],
      defaultAudience: this.config.publicUrl,
    };
  }

  async create(userId: string, dto: CreateTrustPolicyDto, origin: EventOrigin): Promise<TrustPolicyResponse> {
    const body = dto.trustPolicy;
    if (body.permissions === undefined) throw unprocessable({ permissions: ["can't be blank"] });
    const fields = this.checked({
      name: body.name,
      issuer: body.issuer,
      audience: body.audience ?? this.config.publicUrl,
      conditions: body.conditions,
      permissions: encodePermissions(completePermissions(body.permissions)),
      allowedIps: parseAllowlist(body.allowedIps ?? []).cidrs,
      tokenLifetimeSeconds: body.tokenLifetimeSeconds ?? this.defaultLifetime(),
    });
    const now = this.clock.now();
    const row = await this.policies.insert(userId, fields, now);
    this.events.record({ userId, type: 'trust_policy.created', at: now, origin, detail: { policyId: row.id, policyName: row.name, issuer: row.issuer } });
    return { trustPolicy: toTrustPolicy(row, []) };
  }

  async update(userId: string, id: string, dto: UpdateTrustPolicyDto, origin: EventOrigin): Promise<TrustPolicyResponse> {
    const current = await this.owned(userId, id);
    const body = dto.trustPolicy;
    if (Object.keys(body).length === 0) throw unprocessable({ trustPolicy: ['must change at least one field'] });
    const fields = this.checked({
      name: body.name ?? current.name,
      issuer: body.issuer ?? current.issuer,
      audience: body.audience ?? current.audience,
      conditions: body.conditions ?? current.conditions,
      permissions: body.permissions !== undefined ? encodePermissions(completePermissions(body.permissions)) : current.permissions,
      allowedIps: body.allowedIps !== undefined ? parseAllowlist(body.allowedIps).cidrs : current.allowedIps,
      tokenLifetimeSeconds: body.tokenLifetimeSeconds ?? current.tokenLifetimeSeconds,
    });
    const row = await this.policies.update(userId, id, fields);
    if (!row) throw notFound('trustPolicy');
    this.events.record({ userId, type: 'trust_policy.updated', origin, detail: { policyId: id, policyName: row.name, changed: Object.keys(body) } });
    const exchanges = await this.policies.recentExchanges([id]);
    return { trustPolicy: toTrustPolicy(row, exchanges) };
  }

  /** Deletes the policy; the tokens it minted that are still live are revoked at once, on every instance. */
  async delete(userId: string, id: string, origin: EventOrigin): Promise<void> {
    if (!UUID.test(id)) throw notFound('trustPolicy');
    const now = this.clock.now();
    const deleted = await this.policies.delete(userId, id, now);
    if (!deleted) throw notFound('trustPolicy');
    this.events.record({ userId, type: 'trust_policy.deleted', at: now, origin, detail: { policyId: id, policyName: deleted.policy.name, revokedTokens: deleted.revoked.length } });
    for (const token of deleted.revoked) {
      this.events.record({ userId, type: 'token.revoked', at: now, origin, token, detail: { by: 'policy_deleted', policyId: id, policyName: deleted.policy.name } });
    }
  }

  /** Every check of an ID token against the policy, and whether it would be exchanged; mints nothing, uses nothing up. */
  async test(userId: string, id: string, idToken: string): Promise<TestTrustPolicyResponse> {
    const policy = await this.owned(userId, id);
    const evaluation = await this.verifier.evaluate(policy, idToken);
    const checks = [...evaluation.checks];
    if (evaluation.replay) {
      const used = await this.policies.wasExchanged(policy.issuer, evaluation.replay.key);
      checks.push({ check: 'replay', passed: !used, expected: 'not exchanged before', actual: used ? 'already exchanged' : 'not exchanged before', message: used ? 'this ID token has already been exchanged' : null });
    }
    return { wouldExchange: checks.every((c) => c.passed), checks, claims: evaluation.claims };
  }

  private async owned(userId: string, id: string): Promise<TrustPolicyRow> {
    const row = UUID.test(id) ? await this.policies.findOwned(userId, id) : null;
    if (!row) throw notFound('trustPolicy');
    return row;
  }

  private defaultLifetime(): number {
    const max = this.tokenPolicy.maxLifetimeSeconds;
    return max === null ? TRUST_POLICY_LIFETIME_DEFAULT_SECONDS : Math.min(TRUST_POLICY_LIFETIME_DEFAULT_SECONDS, max);
  }

  /** The rules the DTO cannot know: trusted issuers, an owner pinned, some permission, TOKEN_MAX_LIFETIME. */
  private checked(fields: TrustPolicyFields): TrustPolicyFields {
    const errors: Record<string, string[]> = {};
    if (!this.config.trustedIssuers.includes(fields.issuer)) {
      errors.issuer = [`is not trusted by this server (TRUSTED_ISSUERS: ${this.config.trustedIssuers.join(', ')})`];
    }
    if (!pinsAnOwner(fields.conditions)) {
      errors.conditions = [
        `must pin an owner with one of ${TRUST_POLICY_OWNER_CLAIMS.join(', ')}: everyone on ${fields.issuer} shares the issuer, so other conditions alone would trust the whole world`,
      ];
    }
    if (fields.permissions === encodePermissions(NO_PERMISSIONS)) errors.permissions = ['must grant at least one permission'];
    const max = this.tokenPolicy.maxLifetimeSeconds;
    if (max !== null && fields.tokenLifetimeSeconds > max) {
      errors.tokenLifetimeSeconds = [`is beyond the maximum token lifetime of ${max} seconds on this server (TOKEN_MAX_LIFETIME)`];
    }
    if (Object.keys(errors).length > 0) throw unprocessable(errors);
    return fields;
  }
}

export function toTrustPolicy(row: TrustPolicyRow, exchanges: ExchangeRow[]): TrustPolicy {
  return {
    id: row.id,
    name: row.name,
    issuer: row.issuer,
    audience: row.audience,
    conditions: row.conditions,
    permissions: decodePermissions(row.permissions),
    allowedIps: row.allowedIps,
    tokenLifetimeSeconds: row.tokenLifetimeSeconds,
    createdAt: row.createdAt.toISOString(),
    lastExchangedAt: row.lastExchangedAt?.toISOString() ?? null,
    recentExchanges: exchanges
      .filter((e) => e.policyId === row.id)
      .map((e) => ({ at: e.createdAt.toISOString(), tokenId: e.tokenId, repository: e.repository, ref: e.ref, run: e.run, ip: e.ip })),
  };
}

export type PermissionsInput = Partial<Record<ApiTokenResource, PermissionLevel>>;
