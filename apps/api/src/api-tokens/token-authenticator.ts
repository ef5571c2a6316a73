import { Injectable } from '@nestjs/common';
import { decodePermissions, isUsableState, tokenEndsAt, tokenState } from '@conduit/contracts';
import { AuthenticationRefusal, INVALID, refused } from '../access/authentication-refusal';
import type { TokenPrincipal } from '../access/principal';
import { Clock } from '../common/clock';
import { SecretsService } from '../config/secrets.service';
import { AllowlistCache } from './allowlist-cache';
import { ApiTokensRepository } from './api-tokens.repository';
import { LastUsedTracker } from './last-used.tracker';
import { ENDED_TOKENS } from './ended-tokens';
import { hashApiToken, isWellFormedApiToken } from './token-codec';

/**
 * Authenticates an API token (`Authorization: Bearer conduit_…`): everything the request pipeline
 * needs to know about tokens. A malformed token (wrong length or checksum) is refused without a
 * query; otherwise one indexed query on the token's keyed hash returns the token and its user;
 * its state (`tokenState`) and allowlist are checked here, and the use is handed to the last-used
 * tracker. A database error is thrown (the guard answers 503: never a pass, never a 401).
 */
@Injectable()
export class TokenAuthenticator {
  constructor(
    private readonly secrets: SecretsService,
    private readonly tokens: ApiTokensRepository,
    private readonly clock: Clock,
    private readonly allowlists: AllowlistCache,
    private readonly lastUsed: LastUsedTracker,
  ) {}

  async authenticate(raw: string, ip: string, userAgent: string | undefined): Promise<TokenPrincipal | AuthenticationRefusal> {
    if (!isWellFormedApiToken(raw)) return INVALID;
    const hash = hashApiToken(raw, this.secrets.tokenHashKey);
    const key = hash.toString('base64');
    const cached = this.allowlists.get(key);
    const row = await this.tokens.findForAuthentication(hash, cached?.version ?? 0);
    if (!row) return INVALID;
    const fields = { expiresAt: row.expires_ms, revokedAt: row.revoked_ms, retiresAt: row.retires_ms };
    const state = tokenState(fields, this.clock.now().getTime());
    if (!isUsableState(state)) {
      const ended = ENDED_TOKENS[state];
      return refused(ended.message, { id: row.token_id, userId: row.id, reason: ended.logReason });
    }
    // allowed_ips is null exactly when the version held here (captured before the query) is current.
    const allowlist = row.allowed_ips === null && cached ? cached.list : this.allowlists.set(key, row.version, row.allowed_ips ?? []).list;
    if (allowlist.size > 0 && !allowlist.matches(ip)) {
      return refused(`is not allowed from ${ip}`, { id: row.token_id, userId: row.id, reason: 'ip_not_allowed' });
    }
    this.lastUsed.record(row.token_id, ip, row.last_used_ms, row.recent_ips, row.id, userAgent);
    return {
      kind: 'api-token',
      clientIp: ip,
      user: { id: row.id, username: row.username, email: row.email, bio: row.bio, image: row.image, timezone: row.timezone },
      // A retiring token's responses announce the end of its overlap as its expiry.
      token: { id: row.token_id, expiresAt: tokenEndsAt(fields), permissions: decodePermissions(row.permissions), minted: row.minted },
    };
  }
}
