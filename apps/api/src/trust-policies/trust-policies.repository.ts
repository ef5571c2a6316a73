import { Injectable } from '@nestjs/common';
import { TRUST_POLICY_RECENT_EXCHANGES } from '@conduit/contracts';
import { ApiTokensRepository, type TokenSnapshot } from '../api-tokens/api-tokens.repository';
import { Db } from '../database/db';
import { isForeignKeyViolation } from '../database/pg-errors';

export interface TrustPolicyRow {
  id: string;
  userId: string;
  name: string;
  issuer: string;
  audience: string;
  conditions: Record<string, string>;
  permissions: number;
  allowedIps: string[];
  tokenLifetimeSeconds: number;
  createdAt: Date;
  lastExchangedAt: Date | null;
}

export type TrustPolicyFields = Pick<TrustPolicyRow, 'name' | 'issuer' | 'audience' | 'conditions' | 'permissions' | 'allowedIps' | 'tokenLifetimeSeconds'>;

export interface ExchangeRow {
  policyId: string;
  tokenId: string;
  createdAt: Date;
  repository: string | null;
  ref: string | null;
  run: string | null;
  ip: string | null;
}

const COLUMNS = `id, user_id AS "userId", name, issuer, audience, conditions, permissions, allowed_ips AS "allowedIps",
  token_lifetime_seconds AS "tokenLifetimeSeconds", created_at AS "createdAt", last_exchanged_at AS "lastExchangedAt"`;

/** The one place that knows the trust-policy tables. Ownership is part of every owner's query. */
@Injectable()
export class TrustPoliciesRepository {
  constructor(
    private readonly db: Db,
    private readonly apiTokens: ApiTokensRepository,
  ) {}

  list(userId: string): Promise<TrustPolicyRow[]> {
    return this.db.query<TrustPolicyRow>(`SELECT ${COLUMNS} FROM trust_policies WHERE user_id = $1 ORDER BY created_at, id`, [userId]);
  }

  async findOwned(userId: string, id: string): Promise<TrustPolicyRow | null> {
    const rows = await this.db.query<TrustPolicyRow>(`SELECT ${COLUMNS} FROM trust_policies WHERE id = $1 AND user_id = $2`, [id, userId]);
    return rows[0] ?? null;
  }

  /** Any user's policy: the exchange names it by id (client_id). */
  async find(id: string): Promise<TrustPolicyRow | null> {
    const rows = await this.db.query<TrustPolicyRow>(`SELECT ${COLUMNS} FROM trust_policies WHERE id = $1`, [id], 'trust_policy_by_id');
    return rows[0] ?? null;
  }

  async insert(userId: string, fields: TrustPolicyFields, at: Date): Promise<TrustPolicyRow> {
    const rows = await this.db.query<TrustPolicyRow>(
      `INSERT INTO trust_policies (user_id, name, issuer, audience, conditions, permissions, allowed_ips, token_lifetime_seconds, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
      [userId, fields.name, fields.issuer, fields.audience, JSON.stringify(fields.conditions), fields.permissions, fields.allowedIps, fields.tokenLifetimeSeconds, at],
    );
    return rows[0];
  }

  /**
   * Replaces the fields of an owned policy. Tokens it already minted keep the settings they were
   * minted with (they live minutes); the next exchange uses the new ones.
   */
  async update(userId: string, id: string, fields: TrustPolicyFields): Promise<TrustPolicyRow | null> {
    const rows = await this.db.query<TrustPolicyRow>(
      `UPDATE trust_policies SET name = $3, issuer = $4, audience = $5, conditions = $6, permissions = $7, allowed_ips = $8, token_lifetime_seconds = $9
        WHERE id = $1 AND user_id = $2 RETURNING ${COLUMNS}`,
      [id, userId, fields.name, fields.issuer, fields.audience, JSON.stringify(fields.conditions), fields.permissions, fields.allowedIps, fields.tokenLifetimeSeconds],
    );
    return rows[0] ?? null;
  }

  /**
   * Deletes an owned policy and revokes, in the same transaction, every live token it minted.
   * The policy row is locked first: an exchange minting a token right now (its foreign key holds
   * a share lock on the row) finishes before, and is revoked with the rest; one that starts later
   * finds no policy. Null when the user has no such policy.
   */
  delete(userId: string, id: string, at: Date): Promise<{ policy: TrustPolicyRow; revoked: Array<TokenSnapshot & { userId: string }> } | null> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query<TrustPolicyRow>(`SELECT ${COLUMNS} FROM trust_policies WHERE id = $1 AND user_id = $2 FOR UPDATE`, [id, userId]);
      const policy = rows[0];
      if (!policy) return null;
      const revoked = await this.apiTokens.revokeMintedBy(tx, id, at);
      await tx.query('DELETE FROM trust_policies WHERE id = $1', [id]);
      return { policy, revoked };
    });
  }

  /**
   * Remembers an exchanged ID token until it expires. False when it was already remembered (a
   * replay): the primary key decides, across every instance.
   */
  async claimIdToken(issuer: string, key: string, until: Date): Promise<boolean> {
    const rows = await this.db.query<{ key: string }>(
      `INSERT INTO exchanged_id_tokens AS e (issuer, key, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (issuer, key) DO UPDATE SET expires_at = excluded.expires_at WHERE e.expires_at <= now()
       RETURNING key`,
      [issuer, key, until],
      'exchanged_id_token_claim',
    );
    return rows.length > 0;
  }

  /** Whether this ID token was already exchanged (the test endpoint reads; it never claims). */
  async wasExchanged(issuer: string, key: string): Promise<boolean> {
    const rows = await this.db.query('SELECT 1 FROM exchanged_id_tokens WHERE issuer = $1 AND key = $2 AND expires_at > now()', [issuer, key]);
    return rows.length > 0;
  }

  /** Forgets ID tokens past their expiry (they would be refused as expired anyway). */
  async purgeExchangedIdTokens(at: Date): Promise<number> {
    const rows = await this.db.query('DELETE FROM exchanged_id_tokens WHERE expires_at <= $1 RETURNING 1', [at]);
    return rows.length;
  }

  /** Records an exchange and the policy's last use. False when the policy was deleted meanwhile. */
  async recordExchange(exchange: ExchangeRow): Promise<boolean> {
    try {
      await this.db.query(
        `WITH used AS (UPDATE trust_policies SET last_exchanged_at = $3 WHERE id = $1)
         INSERT INTO trust_policy_exchanges (policy_id, token_id, created_at, repository, ref, run, ip) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [exchange.policyId, exchange.tokenId, exchange.createdAt, exchange.repository, exchange.ref, exchange.run, exchange.ip],
      );
      return true;
    } catch (error) {
      if (isForeignKeyViolation(error)) return false;
      throw error;
    }
  }

  /** The last TRUST_POLICY_RECENT_EXCHANGES exchanges of each of these policies, newest first. */
  recentExchanges(policyIds: string[]): Promise<ExchangeRow[]> {
    if (policyIds.length === 0) return Promise.resolve([]);
    return this.db.query<ExchangeRow>(
      `SELECT policy_id AS "policyId", token_id AS "tokenId", created_at AS "createdAt", repository, ref, run, ip
         FROM (SELECT *, row_number() OVER (PARTITION BY policy_id ORDER BY created_at DESC, id DESC) AS n
                 FROM trust_policy_exchanges WHERE policy_id = ANY($1::uuid[])) e
        WHERE n <= $2 ORDER BY created_at DESC, id DESC`,
      [policyIds, TRUST_POLICY_RECENT_EXCHANGES],
    );
  }
}
