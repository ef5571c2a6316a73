import { Injectable } from '@nestjs/common';
import {
  ApiTokenState, decodePermissions, isUsableState, tokenEndsAt, tokenState, TokenRefusalReason, UsableTokenState,
} from '@conduit/contracts';
import { AuthenticationFailure, AuthenticationRefusal, INVALID, refused } from '../access/authentication-refusal';
import type { AuthUser, TokenPrincipal } from '../access/principal';
import { Clock } from '../common/clock';
import { SecretsService } from '../config/secrets.service';
import { PgStatements } from '../database/pg-statements';
import { AllowlistCache } from './allowlist-cache';
import { LastUsedTracker } from './last-used.tracker';
import { hashApiToken, isWellFormedApiToken } from './token-codec';

/** The token's authentication fields, and its user (AuthUser's columns). */
interface TokenUserRow extends AuthUser {
  token_id: string;
  version: number;
  /** The allowlist, only when its version differs from the one this process holds ($2). */
  allowed_ips: string[] | null;
  /** Epoch milliseconds: cheaper to read than timestamps on every request. */
  expires_ms: number | null;
  revoked_ms: number | null;
  /** Rotated tokens: the end of the overlap window. */
  retires_ms: number | null;
  last_used_ms: number | null;
  /** The token's recent addresses as JSON text: only searched, parsed by nobody on this path. */
  recent_ips: string;
  /** Two bits per resource (see encodePermissions): a smallint, no parsing. */
  permissions: number;
}

// Only what authentication needs. The allowlist is transferred only when the process does not
// hold the token's current version of it ($2: the version it holds, 0 for none), so that an
// edit is seen by the very next request without a second query.
// date_part (float8), not extract (numeric): cheaper for PostgreSQL, and no Date to parse here.
const TOKEN_USER_SQL = `
  SELECT t.id AS token_id, t.version,
         CASE WHEN t.version = $2 THEN NULL ELSE t.allowed_ips END AS allowed_ips,
         date_part('epoch', t.expires_at) * 1000 AS expires_ms,
         date_part('epoch', t.revoked_at) * 1000 AS revoked_ms,
         date_part('epoch', t.retires_at) * 1000 AS retires_ms,
         date_part('epoch', t.last_used_at) * 1000 AS last_used_ms, t.permissions, t.recent_ips::text AS recent_ips,
         u.id, u.username, u.email, u.bio, u.image, u.timezone
    FROM api_tokens t JOIN users u ON u.id = t.user_id
   WHERE t.token_hash = $1`;

type EndedState = Exclude<ApiTokenState, UsableTokenState>;

/** The one table of refusals of a known token: its state → the 401's text, and the security log's reason. */
export const TOKEN_REFUSALS: Readonly<Record<EndedState, { message: AuthenticationFailure; reason: TokenRefusalReason }>> = {
  revoked: { message: 'has been revoked', reason: 'revoked' },
  expired: { message: 'has expired', reason: 'expired' },
  retired: { message: 'has been rotated', reason: 'rotated' },
};

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
    private readonly statements: PgStatements,
    private readonly clock: Clock,
    private readonly allowlists: AllowlistCache,
    private readonly lastUsed: LastUsedTracker,
  ) {}

  async authenticate(raw: string, ip: string, userAgent: string | undefined): Promise<TokenPrincipal | AuthenticationRefusal> {
    if (!isWellFormedApiToken(raw)) return INVALID;
    const hash = hashApiToken(raw, this.secrets.tokenHashKey);
    const key = hash.toString('base64');
    const cached = this.allowlists.get(key);
    const rows = await this.statements.query<TokenUserRow>('auth_api_token', TOKEN_USER_SQL, [hash, cached?.version ?? 0]);
    const row = rows[0];
    if (!row) return INVALID;
    const fields = { expiresAt: row.expires_ms, revokedAt: row.revoked_ms, retiresAt: row.retires_ms };
    const state = tokenState(fields, this.clock.now().getTime());
    if (!isUsableState(state)) {
      const refusal = TOKEN_REFUSALS[state];
      return refused(refusal.message, { id: row.token_id, userId: row.id, reason: refusal.reason });
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
      token: { id: row.token_id, expiresAt: tokenEndsAt(fields), permissions: decodePermissions(row.permissions) },
    };
  }
}
