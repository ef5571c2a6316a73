import { HttpStatus, Injectable } from '@nestjs/common';
import {
  ApiTokenListResponse, ApiTokenListState, ApiTokenResponse, ApiTokenRevocationReason, CreateApiTokenResponse,
  CurrentApiTokenResponse, DEFAULT_API_TOKEN_EXPIRY, completePermissions, encodePermissions, expiryFromPreset, INACTIVE_TOKEN_DAYS,
  inactiveSince, isUsableState, parseAllowlist, RotateApiTokenResponse, tokenState, type ApiTokenExpiryPreset,
} from '@conduit/contracts';
import type { EntityManager } from 'typeorm';
import type { TokenPrincipal } from '../access/principal';
import { Clock } from '../common/clock';
import { ApiError, forbidden, notFound, unprocessable } from '../common/http/errors';
import { SecretsService } from '../config/secrets.service';
import type { ApiTokenEntity } from './api-token.entity';
import { EventOrigin, SecurityEvents } from '../security-log/security-events.service';
import { toApiToken } from './api-token.mapper';
import { ENDED_TOKENS } from './ended-tokens';
import { TokenPolicyService } from './token-policy';
import { ApiTokensRepository } from './api-tokens.repository';
import { CreateApiTokenDto } from './dto/create-api-token.dto';
import { RotateApiTokenDto } from './dto/rotate-api-token.dto';
import { UpdateApiTokenDto } from './dto/update-api-token.dto';
import { apiTokenHint, generateApiToken, hashApiToken, isWellFormedApiToken } from './token-codec';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY_MS = 86_400_000;
const NO_TOKEN = '00000000-0000-0000-0000-000000000000';

/** A token as a revocation reports it. */
export interface RevokedToken {
  id: string;
  userId: string;
  name: string;
  hint: string;
}

const gone = (message: string) => new ApiError(HttpStatus.CONFLICT, { apiToken: [message] });

/** Where a reported token was found, for its owner: `token.revoked` carries it in its detail. */
export interface LeakLocation {
  reporter: 'github_secret_scanning';
  /** The page it was found on. */
  url?: string;
  /** What it was found in (content, commit, issue, …). */
  source?: string;
}

interface ExpiryChoice {
  expiresIn?: ApiTokenExpiryPreset;
  expiresAt?: string;
}

@Injectable()
export class ApiTokensService {
  constructor(
    private readonly tokens: ApiTokensRepository,
    private readonly secrets: SecretsService,
    private readonly clock: Clock,
    private readonly policy: TokenPolicyService,
    private readonly events: SecurityEvents,
  ) {}

  async create(userId: string, dto: CreateApiTokenDto, origin: EventOrigin): Promise<CreateApiTokenResponse> {
    const body = dto.apiToken;
    const now = this.clock.now();
    const chosen = this.chosenExpiry(body, now); // null: never
    // The default lifetime, shortened to the maximum when TOKEN_MAX_LIFETIME is shorter.
    const expiresAt = chosen === undefined ? this.policy.clampDefault(expiryFromPreset(DEFAULT_API_TOKEN_EXPIRY, now), now) : chosen;
    this.checkLifetime(body, expiresAt, now);
    // Entries were checked by the DTO with the same parser; this gives their canonical form.
    const allowlist = parseAllowlist(body.allowedIps ?? []);

    const { raw, secret } = this.newSecret();
    const entity = await this.tokens.insert({
      userId,
      name: body.name,
      ...secret,
      allowedIps: allowlist.cidrs,
      expiresAt,
      createdAt: now,
      // Checked by the DTO; a resource left out is none, no permissions at all is write on everything.
      permissions: encodePermissions(completePermissions(body.permissions)),
    });
    this.events.record({ userId, type: 'token.created', at: now, origin, token: entity });
    return { apiToken: toApiToken(entity, now), token: raw };
  }

  /**
   * A token minted by a trust policy's exchange: an ordinary `conduit_` token (same hash, same
   * authentication, allowlist and log), linked to its policy. The raw value is returned once.
   */
  async mintForTrustPolicy(token: Pick<ApiTokenEntity, 'userId' | 'name' | 'allowedIps' | 'expiresAt' | 'createdAt' | 'permissions'> & { trustPolicyId: string }): Promise<{ raw: string; token: ApiTokenEntity }> {
    const { raw, secret } = this.newSecret();
    return { raw, token: await this.tokens.insert({ ...token, ...secret }) };
  }

  /** `active`: every usable token (retiring ones included). `inactive`: those that ended in the last INACTIVE_TOKEN_DAYS. */
  async list(userId: string, state: ApiTokenListState = 'active'): Promise<ApiTokenListResponse> {
    const now = this.clock.now();
    if (state === 'active') {
      const tokens = await this.tokens.findActive(userId, now);
      return { apiTokens: tokens.map((t) => toApiToken(t, now)) };
    }
    const since = new Date(now.getTime() - INACTIVE_TOKEN_DAYS * DAY_MS);
    const ended = (await this.tokens.findEndedSince(userId, since, now))
      .map((t) => ({ t, end: inactiveSince(t, now) }))
      .filter((e): e is { t: ApiTokenEntity; end: NonNullable<typeof e.end> } => e.end !== null && e.end.at >= since)
      .sort((a, b) => b.end.at.getTime() - a.end.at.getTime() || (a.t.id < b.t.id ? 1 : -1));
    return { apiTokens: ended.map((e) => toApiToken(e.t, now)) };
  }

  /** The token of the request (the route is declared `self`: only a token gets here). */
  async current(principal: TokenPrincipal): Promise<CurrentApiTokenResponse> {
    const token = await this.tokens.findOwned(principal.user.id, principal.token.id);
    if (!token) throw notFound('apiToken'); // deleted between authentication and now
    return { apiToken: toApiToken(token, this.clock.now()), observedIp: principal.clientIp };
  }

  /**
   * Name, allowlist and permissions of a usable token (retiring ones too). The version goes up, so the next
   * request on any instance authenticates against the new settings.
   */
  async update(userId: string, id: string, dto: UpdateApiTokenDto, origin: EventOrigin): Promise<ApiTokenResponse> {
    const body = dto.apiToken;
    const changes: Partial<Pick<ApiTokenEntity, 'name' | 'allowedIps' | 'permissions'>> = {};
    if (body.name !== undefined) changes.name = body.name;
    if (body.allowedIps !== undefined) changes.allowedIps = parseAllowlist(body.allowedIps).cidrs;
    if (body.permissions !== undefined) changes.permissions = encodePermissions(completePermissions(body.permissions));
    if (Object.keys(changes).length === 0) throw unprocessable({ apiToken: ['must change name, allowedIps or permissions'] });

    const token = await this.usableOwned(userId, id, 'edited', 'edit its replacement instead');
    if (!(await this.tokens.updateSettings(userId, id, token.version, changes))) throw this.changedMeanwhile();
    const updated = await this.tokens.findOwned(userId, id);
    if (!updated) throw notFound('apiToken');
    const now = this.clock.now();
    // What changed (the fields, not their values: an allowlist is the owner's business, not the log's).
    this.events.record({ userId, type: 'token.updated', at: now, origin, token: updated, detail: { changed: Object.keys(changes) } });
    return { apiToken: toApiToken(updated, now) };
  }

  /**
   * A new secret with the same settings. The old secret keeps working for `overlapSeconds`
   * (default 0), then is refused as "has been rotated". By the owner's session: the new token's
   * expiry is the old token's lifetime again from now, unless one is given; Never stays Never.
   * By the token itself: the old token's expiry unless an earlier one is given (a later one,
   * or Never for a token that expires, is a 422); its owner is alerted.
   */
  async rotate(
    userId: string,
    id: string,
    dto: RotateApiTokenDto | undefined,
    origin: EventOrigin,
    by: Extract<ApiTokenRevocationReason, 'session' | 'token'> = 'session',
  ): Promise<RotateApiTokenResponse> {
    const body = dto?.rotation ?? {};
    const now = this.clock.now();
    const chosen = this.chosenExpiry(body, now);
    const old = await this.usableOwned(userId, id, 'rotated', 'rotate its replacement instead');
    if (tokenState(old, now) === 'retiring') throw gone('has already been rotated; rotate its replacement instead');

    const renewed = old.expiresAt && new Date(now.getTime() + (old.expiresAt.getTime() - old.createdAt.getTime()));
    // A token renewing itself keeps its end: by default its own expiry, and never a later one
    // (a leaked token must not be able to outlive what its owner chose).
    const expiresAt = chosen !== undefined ? chosen : by === 'token' ? old.expiresAt : renewed;
    if (by === 'token' && old.expiresAt && (expiresAt === null || expiresAt.getTime() > old.expiresAt.getTime())) {
      throw unprocessable({
        [body.expiresAt !== undefined ? 'expiresAt' : 'expiresIn']: [
          `cannot be later than this token's own expiry (${old.expiresAt.toISOString()}) when a token rotates itself; ` +
            'its owner can rotate it with a session to extend it',
        ],
      });
    }
    this.checkLifetime(body, expiresAt, now);
    const retiresAt = new Date(now.getTime() + (body.overlapSeconds ?? 0) * 1000);
    const { raw, secret } = this.newSecret();
    const created = await this.tokens.rotate(
      old,
      { userId, name: old.name, ...secret, allowedIps: [...old.allowedIps], permissions: old.permissions, expiresAt, createdAt: now },
      retiresAt,
      by,
    );
    if (!created) throw this.changedMeanwhile();
    this.events.record({
      userId, type: 'token.rotated', at: now, origin, token: old,
      detail: {
        replacedById: created.id, retiresAt: retiresAt.toISOString(), by,
        newHint: created.hint, expiresAt: created.expiresAt ? created.expiresAt.toISOString() : null,
      },
    });
    return { token: raw, apiToken: toApiToken(created, now), replaced: { id: old.id, retiresAt: retiresAt.toISOString() } };
  }

  /** `POST …/current/rotate`: the token of the request renews itself (declared `self`: only a token gets here). */
  rotateCurrent(principal: TokenPrincipal, dto: RotateApiTokenDto | undefined, origin: EventOrigin): Promise<RotateApiTokenResponse> {
    return this.rotate(principal.user.id, principal.token.id, dto, origin, 'token');
  }

  /**
   * Revokes a token of the user. (The route is declared `self`: a session may name any token of
   * its user, a token only itself.) Unknown ids and other users' tokens are 404 alike, so ids
   * cannot be probed. Revoking twice is fine. Revoking the old side of a rotation the owner made
   * with a session leaves the new side as it is; whatever the token handed its secret on to by
   * rotating itself goes with it (revokeWithLineage). `by` records who revoked it: the session
   * or the token itself.
   */
  async revoke(userId: string, id: string, by: Extract<ApiTokenRevocationReason, 'session' | 'token'>, origin: EventOrigin): Promise<void> {
    if (!UUID.test(id)) throw notFound('apiToken');
    const now = this.clock.now();
    const revoked = await this.tokens.markRevoked(userId, id, now, by);
    if (!revoked) throw notFound('apiToken');
    // Also when it was already revoked: descendants a revocation from before lineages were
    // followed left alive go now.
    await this.revokeWithLineage(revoked.now ? [{ ...revoked.token, userId }] : [], [id], by, now, { origin });
  }

  /**
   * A leak report: revokes every reported token that is neither revoked nor expired, whoever
   * owns it, and what descends from each through self-rotations. Every entry is checked and
   * hashed and the same statements run whatever the list holds, so that neither the answer nor
   * its timing depends on what was found. The raw values go nowhere else. `foundAt` (token id →
   * where it was found, e.g. by GitHub secret scanning) goes into each reported token's event,
   * so that its owner is told.
   */
  async revokeReported(credentials: readonly string[], foundAt?: ReadonlyMap<string, LeakLocation>): Promise<void> {
    const key = this.secrets.tokenHashKey;
    const hashes = [...new Set(credentials)].map((raw) => (isWellFormedApiToken(raw) ? hashApiToken(raw, key) : null));
    const now = this.clock.now();
    const revoked = await this.tokens.revokeReportedByHashes(hashes.filter((h): h is Buffer => h !== null), now);
    await this.revokeWithLineage(revoked, revoked.map((t) => t.id), 'leak_report', now, { alwaysSweep: true, detailOf: (id) => foundAt?.get(id) });
  }

  /**
   * The one revocation step every way of revoking ends with (the owner, the token itself, a
   * leak report, the inactivity policy, a secret-scanning report): `roots` are the tokens the
   * caller has just revoked (with `by`), `from` the ids whose lineage to follow (the roots, and
   * any the caller found already revoked). Every usable token that descends from them through
   * self-rotations is revoked for the same reason, repeated until a pass finds none (a rotation
   * committed during a pass is caught by the next: a token being revoked can no longer rotate).
   * The security log gets one `token.revoked` per root, whose `detail.revokedWith` lists the
   * tokens that went with it (and `detailOf(root id)`, e.g. where a leak was found), and one per
   * such token (`detail.revokedWithId`: its root).
   * Returns, per root id, what went with it. With `manager`, runs in the caller's transaction.
   */
  async revokeWithLineage(
    roots: ReadonlyArray<RevokedToken>,
    from: readonly string[],
    by: ApiTokenRevocationReason,
    at: Date,
    options: {
      origin?: EventOrigin | null;
      manager?: EntityManager;
      alwaysSweep?: boolean;
      detailOf?: (tokenId: string) => object | undefined;
    } = {},
  ): Promise<Map<string, RevokedToken[]>> {
    const lineage = new Map<string, RevokedToken[]>();
    const starts = [...new Set(from)];
    // A leak report sweeps even when nothing matched, so that its timing says nothing.
    let sweep = starts.length > 0 || options.alwaysSweep === true;
    while (sweep) {
      // Each pass walks from the roots again: the walk goes through revoked tokens too.
      const found = await this.tokens.revokeSelfRotationDescendants(starts.length > 0 ? starts : [NO_TOKEN], at, by, options.manager);
      for (const t of found) lineage.set(t.rootId, [...(lineage.get(t.rootId) ?? []), { id: t.id, userId: t.userId, name: t.name, hint: t.hint }]);
      sweep = found.length > 0;
    }
    for (const root of roots) {
      const went = lineage.get(root.id) ?? [];
      this.events.record({
        userId: root.userId, type: 'token.revoked', at, origin: options.origin ?? null, token: root,
        detail: {
          by,
          ...options.detailOf?.(root.id),
          ...(went.length > 0 ? { revokedWith: went.map(({ id, name, hint }) => ({ id, name, hint })) } : {}),
        },
      });
    }
    for (const [rootId, went] of lineage) {
      for (const t of went) {
        this.events.record({ userId: t.userId, type: 'token.revoked', at, origin: options.origin ?? null, token: t, detail: { by, revokedWithId: rootId } });
      }
    }
    return lineage;
  }

  /** The caller's token if it is still usable: 404 when it is not theirs, 409 when it has ended. */
  private async usableOwned(userId: string, id: string, verb: string, hint: string): Promise<ApiTokenEntity> {
    const token = UUID.test(id) ? await this.tokens.findOwned(userId, id) : null;
    if (!token) throw notFound('apiToken');
    // A token minted by a trust policy lives as long as the policy says, with what it says: it
    // cannot be renewed or widened (its CI job exchanges a new ID token instead).
    if (token.trustPolicyId) throw forbidden('apiToken', `was issued by a trust policy (Trusted CI); it cannot be ${verb}: exchange a new ID token instead`);
    const state = tokenState(token, this.clock.now());
    if (isUsableState(state)) return token;
    throw gone(`${ENDED_TOKENS[state].message}; it can no longer be ${verb}${state === 'retired' ? `: ${hint}` : ''}`);
  }

  /** The expiry asked for (null: never), undefined when none was; 422 when it is contradictory or past. */
  private chosenExpiry(body: ExpiryChoice, now: Date): Date | null | undefined {
    if (body.expiresIn !== undefined && body.expiresAt !== undefined) {
      throw unprocessable({ expiresAt: ['cannot be combined with expiresIn; send one of them'] });
    }
    if (body.expiresIn !== undefined) return expiryFromPreset(body.expiresIn, now);
    if (body.expiresAt === undefined) return undefined;
    const expiresAt = new Date(body.expiresAt);
    if (Number.isNaN(expiresAt.getTime())) throw unprocessable({ expiresAt: ['must be an ISO 8601 date-time, e.g. 2027-01-31T23:59:59Z'] });
    if (expiresAt.getTime() <= now.getTime()) throw unprocessable({ expiresAt: ['must be in the future'] });
    return expiresAt;
  }

  /** TOKEN_MAX_LIFETIME: a 422 on the field that was sent (expiresIn when none was: an inherited or default expiry). */
  private checkLifetime(body: ExpiryChoice, expiresAt: Date | null, now: Date): void {
    const beyond = this.policy.lifetimeError(expiresAt, now);
    if (beyond) throw unprocessable({ [body.expiresAt !== undefined ? 'expiresAt' : 'expiresIn']: [beyond] });
  }

  private newSecret(): { raw: string; secret: Pick<ApiTokenEntity, 'tokenHash' | 'hint'> } {
    const raw = generateApiToken();
    return { raw, secret: { tokenHash: hashApiToken(raw, this.secrets.tokenHashKey), hint: apiTokenHint(raw) } };
  }

  private changedMeanwhile(): ApiError {
    return gone('was changed by another request at the same time; reload it and try again');
  }
}
