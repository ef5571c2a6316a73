import { Injectable } from '@nestjs/common';
import {
  ApiTokenListResponse, ApiTokenRevocationReason, CreateApiTokenResponse, CurrentApiTokenResponse,
  DEFAULT_API_TOKEN_EXPIRY, completePermissions, encodePermissions, expiryFromPreset, parseAllowlist,
} from '@conduit/contracts';
import type { TokenPrincipal } from '../auth/principal';
import { Clock } from '../common/clock';
import { notFound, unprocessable } from '../common/http/errors';
import { SecretsService } from '../config/secrets.service';
import { EventOrigin, SecurityEvents } from '../security-log/security-events.service';
import { toApiToken } from './api-token.mapper';
import { ApiTokensRepository } from './api-tokens.repository';
import { CreateApiTokenDto } from './dto/create-api-token.dto';
import { apiTokenHint, generateApiToken, hashApiToken, isWellFormedApiToken } from './token-codec';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class ApiTokensService {
  constructor(
    private readonly tokens: ApiTokensRepository,
    private readonly secrets: SecretsService,
    private readonly clock: Clock,
    private readonly events: SecurityEvents,
  ) {}

  async create(userId: string, dto: CreateApiTokenDto, origin: EventOrigin): Promise<CreateApiTokenResponse> {
    const body = dto.apiToken;
    const now = this.clock.now();
    const errors: Record<string, string[]> = {};

    let expiresAt: Date | null;
    if (body.expiresIn !== undefined && body.expiresAt !== undefined) {
      errors.expiresAt = ['cannot be combined with expiresIn; send one of them'];
      expiresAt = null;
    } else if (body.expiresAt !== undefined) {
      expiresAt = new Date(body.expiresAt);
      if (Number.isNaN(expiresAt.getTime())) errors.expiresAt = ['must be an ISO 8601 date-time, e.g. 2027-01-31T23:59:59Z'];
      else if (expiresAt.getTime() <= now.getTime()) errors.expiresAt = ['must be in the future'];
    } else {
      expiresAt = expiryFromPreset(body.expiresIn ?? DEFAULT_API_TOKEN_EXPIRY, now);
    }

    if (Object.keys(errors).length > 0) throw unprocessable(errors);
    // Entries were checked by the DTO with the same parser; this gives their canonical form.
    const allowlist = parseAllowlist(body.allowedIps ?? []);

    const raw = generateApiToken();
    const entity = await this.tokens.insert({
      userId,
      name: body.name,
      tokenHash: hashApiToken(raw, this.secrets.tokenHashKey),
      hint: apiTokenHint(raw),
      allowedIps: allowlist.cidrs,
      expiresAt,
      createdAt: now,
      // Checked by the DTO; a resource left out is none, no permissions at all is write on everything.
      permissions: encodePermissions(completePermissions(body.permissions)),
    });
    this.events.record({ userId, type: 'token.created', at: now, origin, token: entity });
    return { apiToken: toApiToken(entity, now), token: raw };
  }

  async list(userId: string): Promise<ApiTokenListResponse> {
    const now = this.clock.now();
    const tokens = await this.tokens.findActive(userId, now);
    return { apiTokens: tokens.map((t) => toApiToken(t, now)) };
  }

  /** The token of the request (the route is declared `self`: only a token gets here). */
  async current(principal: TokenPrincipal): Promise<CurrentApiTokenResponse> {
    const token = await this.tokens.findOwned(principal.user.id, principal.token.id);
    if (!token) throw notFound('apiToken'); // deleted between authentication and now
    return { apiToken: toApiToken(token, this.clock.now()), observedIp: principal.clientIp };
  }

  /**
   * Revokes a token of the user. (The route is declared `self`: a session may name any token of
   * its user, a token only itself.) Unknown ids and other users' tokens are 404 alike, so ids
   * cannot be probed. Revoking twice is fine. `by` records who revoked it: the session or the token itself.
   */
  async revoke(userId: string, id: string, by: Extract<ApiTokenRevocationReason, 'session' | 'token'>, origin: EventOrigin): Promise<void> {
    if (!UUID.test(id)) throw notFound('apiToken');
    const now = this.clock.now();
    const revoked = await this.tokens.markRevoked(userId, id, now, by);
    if (!revoked) throw notFound('apiToken');
    if (revoked.now) {
      this.events.record({ userId, type: 'token.revoked', at: now, origin, token: revoked.token, detail: { by } });
    }
  }

  /**
   * A leak report: revokes every reported token that is still usable, whoever owns it. Every
   * entry is checked and hashed and one statement runs whatever the list holds, so that neither
   * the answer nor its timing depends on what was found. The raw values go nowhere else.
   */
  async revokeReported(credentials: readonly string[]): Promise<void> {
    const key = this.secrets.tokenHashKey;
    const hashes = [...new Set(credentials)].map((raw) => (isWellFormedApiToken(raw) ? hashApiToken(raw, key) : null));
    const now = this.clock.now();
    const revoked = await this.tokens.revokeUsableByHashes(hashes.filter((h): h is Buffer => h !== null), now);
    for (const token of revoked) {
      this.events.record({ userId: token.userId, type: 'token.revoked', at: now, token, detail: { by: 'leak_report' } });
    }
  }
}
