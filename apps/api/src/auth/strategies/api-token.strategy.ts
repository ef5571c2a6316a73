import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-http-bearer';
import { AllowlistCache } from '../../api-tokens/allowlist-cache';
import { LastUsedTracker } from '../../api-tokens/last-used.tracker';
import { hashApiToken, isWellFormedApiToken, looksLikeApiToken } from '../../api-tokens/token-codec';
import { ClientIpResolver } from '../../common/client-ip';
import { Clock } from '../../common/clock';
import { isDatabaseUnavailable, serviceUnavailable } from '../../common/http/errors';
import { SecretsService } from '../../config/secrets.service';
import { PgStatements } from '../../database/pg-statements';
import { recordAuthFailure } from '../auth-failure';
import { API_TOKEN_STRATEGY, TokenPrincipal } from '../principal';

interface TokenUserRow {
  token_id: string;
  name: string;
  hint: string;
  allowed_ips: string[];
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
  last_used_ip: string | null;
  id: string;
  username: string;
  email: string;
  bio: string | null;
  image: string | null;
  timezone: string;
}

const TOKEN_USER_SQL = `
  SELECT t.id AS token_id, t.name, t.hint, t.allowed_ips, t.created_at, t.expires_at, t.revoked_at,
         t.last_used_at, t.last_used_ip,
         u.id, u.username, u.email, u.bio, u.image, u.timezone
    FROM api_tokens t JOIN users u ON u.id = t.user_id
   WHERE t.token_hash = $1`;

/**
 * Second in the chain: `Authorization: Bearer conduit_…`. A malformed token (wrong length or
 * checksum) is refused without a query; otherwise one indexed query on the token's keyed hash
 * returns the token and its user, and the expiry, revocation and allowlist are checked here.
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
    let rows: TokenUserRow[];
    try {
      rows = await this.statements.query<TokenUserRow>('auth_api_token', TOKEN_USER_SQL, [
        hashApiToken(raw, this.secrets.tokenHashKey),
      ]);
    } catch (error) {
      if (isDatabaseUnavailable(error)) throw serviceUnavailable();
      throw error;
    }
    const row = rows[0];
    if (!row) {
      recordAuthFailure(request, 'is invalid');
      return null;
    }
    if (row.revoked_at) {
      recordAuthFailure(request, 'has been revoked');
      return null;
    }
    const now = this.clock.now();
    if (row.expires_at && row.expires_at.getTime() <= now.getTime()) {
      recordAuthFailure(request, 'has expired');
      return null;
    }
    const ip = this.clientIp.resolve(request.raw);
    if (row.allowed_ips.length > 0 && !this.allowlists.get(row.token_id, row.allowed_ips).matches(ip)) {
      recordAuthFailure(request, `is not allowed from ${ip}`);
      return null;
    }
    this.lastUsed.record(row.token_id, ip, row.last_used_at, row.last_used_ip);
    return {
      kind: 'api-token',
      clientIp: ip,
      user: { id: row.id, username: row.username, email: row.email, bio: row.bio, image: row.image, timezone: row.timezone },
      token: {
        id: row.token_id,
        name: row.name,
        hint: row.hint,
        allowedIps: row.allowed_ips,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
        lastUsedAt: row.last_used_at,
        lastUsedIp: row.last_used_ip,
      },
    };
  }
}
