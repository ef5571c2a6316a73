import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-http-bearer';
import { ApiTokenState, decodePermissions, tokenEndsAt, tokenState, TokenRefusalReason } from '@conduit/contracts';
import { AllowlistCache } from '../../api-tokens/allowlist-cache';
import { LastUsedTracker } from '../../api-tokens/last-used.tracker';
import { hashApiToken, isWellFormedApiToken, looksLikeApiToken } from '../../api-tokens/token-codec';
import { ClientIpResolver } from '../../common/client-ip';
import { Clock } from '../../common/clock';
import { SecretsService } from '../../config/secrets.service';
import { PgStatements } from '../../database/pg-statements';
import { AuthFailureReason, recordAuthFailure } from '../auth-failure';
import { API_TOKEN_STRATEGY, AuthUser, TokenPrincipal } from '../principal';

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

const REFUSALS: Record<Exclude<ApiTokenState, 'active' | 'retiring'>, AuthFailureReason> = {
  revoked: 'has been revoked',
  expired: 'has expired',
  retired: 'has been rotated',
};
/** The same refusals, as the security log names them. */
const REFUSED_AS: Record<Exclude<ApiTokenState, 'active' | 'retiring'>, TokenRefusalReason> = {
  revoked: 'revoked',
  expired: 'expired',
  retired: 'rotated',
};

/**
 * Second in the chain: `Authorization: Bearer conduit_…`. A malformed token (wrong length or
 * checksum) is refused without a query; otherwise one indexed query on the token's keyed hash
 * returns the token and its user; its state (`tokenState`) and allowlist are checked here.
 */
@Injectable()
export class ApiTokenStrategy extends PassportStrategy(Strategy, API_TOKEN_STRATEGY) {
  constructor(
    private readonly secrets: SecretsService,
    private readonly statements: PgStatements,
    private readonly clientIp: ClientIpResolver,
    private readonly clock: Clock,
    private readonly allowlists: AllowlistCache,
    private readonly lastUsed: LastUsedTracker,
  ) {
    super({ realm: 'conduit', passReqToCallback: true });
  }

  async validate(request: FastifyRequest, raw: string): Promise<TokenPrincipal | null> {
    // passport-http-bearer also reads access_token from the query and body: tokens in URLs end
    // up in logs and histories, so only the Authorization header counts.
    if (!/^bearer /i.test(request.headers.authorization ?? '')) {
      recordAuthFailure(request, 'is invalid');
      return null;
    }
    // Not an API token at all (e.g. a bad JWT): the JWT strategy's verdict stands.
    if (!looksLikeApiToken(raw)) return null;
    if (!isWellFormedApiToken(raw)) {
      recordAuthFailure(request, 'is invalid');
      return null;
    }
    const hash = hashApiToken(raw, this.secrets.tokenHashKey);
    const key = hash.toString('base64');
    const cached = this.allowlists.get(key);
    // A database error goes to the guard, which answers 503 (never a pass, never a 401).
    const rows = await this.statements.query<TokenUserRow>('auth_api_token', TOKEN_USER_SQL, [hash, cached?.version ?? 0]);
    const row = rows[0];
    if (!row) {
      recordAuthFailure(request, 'is invalid');
      return null;
    }
    const fields = { expiresAt: row.expires_ms, revokedAt: row.revoked_ms, retiresAt: row.retires_ms };
    const state = tokenState(fields, this.clock.now().getTime());
    if (state !== 'active' && state !== 'retiring') {
      recordAuthFailure(request, REFUSALS[state], { id: row.token_id, userId: row.id, reason: REFUSED_AS[state] });
      return null;
    }
    const ip = this.clientIp.resolve(request.raw);
    // allowed_ips is null exactly when the version held here (captured before the query) is current.
    const allowlist = row.allowed_ips === null && cached ? cached.list : this.allowlists.set(key, row.version, row.allowed_ips ?? []).list;
    if (allowlist.size > 0 && !allowlist.matches(ip)) {
      recordAuthFailure(request, `is not allowed from ${ip}`, { id: row.token_id, userId: row.id, reason: 'ip_not_allowed' });
      return null;
    }
    this.lastUsed.record(row.token_id, ip, row.last_used_ms, row.recent_ips, row.id, request.headers['user-agent']);
    return {
      kind: 'api-token',
      clientIp: ip,
      user: { id: row.id, username: row.username, email: row.email, bio: row.bio, image: row.image, timezone: row.timezone },
      // A retiring token's responses announce the end of its overlap as its expiry.
      token: { id: row.token_id, expiresAt: tokenEndsAt(fields), permissions: decodePermissions(row.permissions) },
    };
  }
}
