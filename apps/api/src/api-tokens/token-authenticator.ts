import { Injectable } from '@nestjs/common';
import { decodePermissions, isUsableState, tokenEndsAt, tokenState } from '@conduit/contracts';
import { AuthenticationRefusal, INVALID, refused } from '../access/authentication-refusal';
import type { AuthUser, TokenPrincipal } from '../access/principal';
import { Clock } from '../common/clock';
import { SecretsService } from '../config/secrets.service';
import { AllowlistCache } from './allowlist-cache';
import { ApiTokensRepository, type TokenAuthRow } from './api-tokens.repository';
import { LastUsedTracker } from './last-used.tracker';
import { ENDED_TOKENS } from './ended-tokens';
import { hashApiToken, isWellFormedApiToken } from './token-codec';
import { TokenUserCache } from './token-user-cache';

/**
 * Authenticates an API token (`Authorization: Bearer conduit_…`): everything the request pipeline
 * needs to know about tokens. A malformed token (wrong length or checksum) is refused without a
 * query; otherwise one indexed query on the token's keyed hash returns the token (its state,
 * read from the database on every request) and its user_version; the user comes from this
 * process's TokenUserCache while that version is current, else with the token in the same query
 * (the first request of a token here, and the next one after its user changed: two queries then,
 * once). The state (`tokenState`) and allowlist are checked here, and the use is handed to the
 * last-used tracker. A database error is thrown (the guard answers 503: never a pass, never a 401).
 */
@Injectable()
export class TokenAuthenticator {
  constructor(
    private readonly secrets: SecretsService,
    private readonly tokens: ApiTokensRepository,
    private readonly clock: Clock,
    private readonly allowlists: AllowlistCache,
    private readonly lastUsed: LastUsedTracker,
    private readonly users: TokenUserCache,
  ) {}

  async authenticate(raw: string, ip: string, userAgent: string | undefined): Promise<TokenPrincipal | AuthenticationRefusal> {
    if (!isWellFormedApiToken(raw)) return INVALID;
    const hash = hashApiToken(raw, this.secrets.tokenHashKey);
    const key = hash.toString('base64');
    const cached = this.allowlists.get(key);
    const found = await this.lookup(hash, key, cached?.version ?? 0);
    if (!found) return INVALID;
    const { row, user } = found;
    const fields = { expiresAt: row.expires_ms, revokedAt: row.revoked_ms, retiresAt: row.retires_ms };
    const state = tokenState(fields, this.clock.now().getTime());
    if (!isUsableState(state)) {
      const ended = ENDED_TOKENS[state];
      return refused(ended.message, { id: row.token_id, userId: row.user_id, reason: ended.logReason });
    }
    // allowed_ips is null exactly when the version held here (captured before the query) is current.
    const allowlist = row.allowed_ips === null && cached ? cached.list : this.allowlists.set(key, row.version, row.allowed_ips ?? []).list;
    if (allowlist.size > 0 && !allowlist.matches(ip)) {
      return refused(`is not allowed from ${ip}`, { id: row.token_id, userId: row.user_id, reason: 'ip_not_allowed' });
    }
    this.lastUsed.record(row.token_id, ip, row.last_used_ms, row.recent_ips, row.user_id, userAgent);
    return {
      kind: 'api-token',
      clientIp: ip,
      user: { ...user },
      // A retiring token's responses announce the end of its overlap as its expiry.
      token: { id: row.token_id, expiresAt: tokenEndsAt(fields), permissions: decodePermissions(row.permissions), minted: row.minted },
    };
  }

  /**
   * The token's row and its user: the token table alone when this process holds the user at the
   * row's user_version, else the row with its user in one statement (then held here).
   */
  private async lookup(hash: Buffer, key: string, heldVersion: number): Promise<{ row: TokenAuthRow; user: AuthUser } | undefined> {
    const held = this.users.get(key);
    if (held) {
      const row = await this.tokens.findForAuthentication(hash, heldVersion);
      if (!row) return undefined;
      if (row.user_version === held.userVersion) return { row, user: held.user };
    }
    const row = await this.tokens.findForAuthenticationWithUser(hash, heldVersion);
    if (!row) return undefined;
    const { user_id: id, username, email, bio, image, timezone } = row;
    return { row, user: this.users.set(key, row.user_version, { id, username, email, bio, image, timezone }).user };
  }
}
