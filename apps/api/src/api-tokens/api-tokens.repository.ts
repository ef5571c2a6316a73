import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { ApiTokenRevocationReason } from '@conduit/contracts';
import { ApiTokenEntity } from './api-token.entity';

export interface TokenSnapshot {
  id: string;
  name: string;
  hint: string;
}

/** The one place that knows how API tokens are queried. Ownership is always part of the query. */
@Injectable()
export class ApiTokensRepository {
  constructor(@InjectRepository(ApiTokenEntity) private readonly repo: Repository<ApiTokenEntity>) {}

  insert(token: Pick<ApiTokenEntity, 'userId' | 'name' | 'tokenHash' | 'hint' | 'allowedIps' | 'expiresAt' | 'createdAt' | 'permissions'>): Promise<ApiTokenEntity> {
    return this.repo.save(
      this.repo.create({ ...token, revokedAt: null, revokedReason: null, retiresAt: null, replacedById: null, rotatedBy: null, version: 1, lastUsedAt: null, lastUsedIp: null, recentIps: [] }),
    );
  }

  /** Usable (neither revoked, expired nor retired; retiring ones included), newest first. */
  findActive(userId: string, now: Date): Promise<ApiTokenEntity[]> {
    return this.repo
      .createQueryBuilder('t')
      .where('t.userId = :userId', { userId })
      .andWhere('t.revokedAt IS NULL')
      .andWhere('(t.expiresAt IS NULL OR t.expiresAt > :now)', { now })
      .andWhere('(t.retiresAt IS NULL OR t.retiresAt > :now)', { now })
      .orderBy('t.createdAt', 'DESC')
      .addOrderBy('t.id', 'DESC')
      .getMany();
  }

  /**
   * Tokens that may have ended since `since`: revoked, expired or retired after it (the caller
   * decides with tokenState which of them are inactive, and when they ended).
   */
  findEndedSince(userId: string, since: Date, now: Date): Promise<ApiTokenEntity[]> {
    return this.repo
      .createQueryBuilder('t')
      .where('t.userId = :userId', { userId })
      .andWhere(
        '(t.revokedAt >= :since OR (t.expiresAt >= :since AND t.expiresAt <= :now) OR (t.retiresAt >= :since AND t.retiresAt <= :now))',
        { since, now },
      )
      .getMany();
  }

  /**
   * Changes name, allowlist and/or permissions if the token is still at `version` (nobody changed it since it
   * was read), and increments the version so that every instance's caches see the change.
   */
  async updateSettings(userId: string, id: string, version: number, changes: Partial<Pick<ApiTokenEntity, 'name' | 'allowedIps' | 'permissions'>>): Promise<boolean> {
    const result = await this.repo
      .createQueryBuilder()
      .update(ApiTokenEntity)
      .set({ ...changes, version: () => 'version + 1' })
      .where('id = :id AND user_id = :userId AND version = :version', { id, userId, version })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /**
   * Issues `replacement` in place of `old` in one transaction: the old token retires at
   * `retiresAt`. Null (and nothing written) when the old token changed since it was read
   * (rotated, revoked or edited meanwhile).
   */
  async rotate(
    old: ApiTokenEntity,
    replacement: Pick<ApiTokenEntity, 'userId' | 'name' | 'tokenHash' | 'hint' | 'allowedIps' | 'expiresAt' | 'createdAt' | 'permissions'>,
    retiresAt: Date,
    rotatedBy: 'session' | 'token',
  ): Promise<ApiTokenEntity | null> {
    return this.repo.manager.transaction(async (em) => {
      const repo = em.getRepository(ApiTokenEntity);
      const created = await repo.save(
        repo.create({ ...replacement, revokedAt: null, revokedReason: null, retiresAt: null, replacedById: null, rotatedBy: null, version: 1, lastUsedAt: null, lastUsedIp: null }),
      );
      const result = await repo
        .createQueryBuilder()
        .update(ApiTokenEntity)
        .set({ retiresAt, replacedById: created.id, rotatedBy, version: () => 'version + 1' })
        .where('id = :id AND user_id = :userId AND version = :version AND replaced_by_id IS NULL AND revoked_at IS NULL', {
          id: old.id, userId: old.userId, version: old.version,
        })
        .execute();
      if ((result.affected ?? 0) === 0) throw new RotationLost();
      return created;
    }).catch((error: unknown) => {
      if (error instanceof RotationLost) return null;
      throw error;
    });
  }

  findOwned(userId: string, id: string): Promise<ApiTokenEntity | null> {
    return this.repo.findOneBy({ id, userId });
  }

  /**
   * Idempotent: an already revoked token keeps its first revocation time and reason. Null when
   * the user has no such token; `now` tells whether this call revoked it.
   */
  async markRevoked(userId: string, id: string, at: Date, reason: ApiTokenRevocationReason): Promise<{ now: boolean; token: TokenSnapshot } | null> {
    const result = await this.repo
      .createQueryBuilder()
      .update(ApiTokenEntity)
      .set({
        revokedAt: () => 'COALESCE(revoked_at, :at)',
        revokedReason: () => 'COALESCE(revoked_reason, :reason)',
        version: () => 'version + (CASE WHEN revoked_at IS NULL THEN 1 ELSE 0 END)',
      })
      .setParameters({ at, reason })
      .where('id = :id AND user_id = :userId', { id, userId })
      .returning('id, name, hint, revoked_at')
      .execute();
    const row = (result.raw as Array<{ id: string; name: string; hint: string; revoked_at: Date }>)[0];
    if (!row) return null;
    return { now: row.revoked_at.getTime() === at.getTime(), token: { id: row.id, name: row.name, hint: row.hint } };
  }

  /** The tokens (in any state) whose hash is one of these: one statement for the whole list. */
  findByHashes(hashes: Buffer[]): Promise<Array<{ id: string; userId: string; tokenHash: Buffer }>> {
    if (hashes.length === 0) return Promise.resolve([]);
    return this.repo.query('SELECT id, user_id AS "userId", token_hash AS "tokenHash" FROM api_tokens WHERE token_hash = ANY($1::bytea[])', [hashes]);
  }

  /**
   * Revokes, at once, whichever of these hashes belong to a token that is neither revoked nor
   * expired (retiring and retired ones included: a retired token's self-rotated replacement must
   * still be found from it); returns those tokens. One statement whatever the list holds, so that
   * its duration says nothing.
   */
  revokeReportedByHashes(hashes: Buffer[], at: Date): Promise<Array<TokenSnapshot & { userId: string }>> {
    return this.repo.query(
      // As a CTE: TypeORM answers a bare UPDATE … RETURNING with [rows, count].
      `WITH revoked AS (
         UPDATE api_tokens SET revoked_at = $2, revoked_reason = 'leak_report', version = version + 1
          WHERE token_hash = ANY($1::bytea[]) AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)
          RETURNING id, user_id, name, hint)
       SELECT id, user_id AS "userId", name, hint FROM revoked`,
      [hashes, at],
    );
  }

  /**
   * Revokes every still usable token that descends from one of `rootIds` through self-rotations
   * (A rotated itself into B, B into C: B and C), following the rotation links forward through
   * tokens of any state; a rotation made by the owner's session ends the walk. One statement;
   * each revoked token comes back with the root it descends from. A rotation committed while
   * this runs can add a token this statement did not see: the caller repeats until nothing is
   * left (see ApiTokensService.revokeWithLineage).
   */
  async revokeSelfRotationDescendants(
    rootIds: string[],
    at: Date,
    reason: ApiTokenRevocationReason,
    manager?: EntityManager,
  ): Promise<Array<TokenSnapshot & { userId: string; rootId: string }>> {
    if (rootIds.length === 0) return [];
    return (manager ?? this.repo.manager).query(
      // Links form chains (a token is replaced at most once), so the walk ends; the depth bound
      // only guards against a cycle nothing should ever write.
      `WITH RECURSIVE lineage (id, root_id, depth) AS (
         SELECT t.replaced_by_id, t.id, 1 FROM api_tokens t
          WHERE t.id = ANY($1::uuid[]) AND t.rotated_by = 'token' AND t.replaced_by_id IS NOT NULL
         UNION ALL
         SELECT t.replaced_by_id, l.root_id, l.depth + 1 FROM api_tokens t JOIN lineage l ON t.id = l.id
          WHERE t.rotated_by = 'token' AND t.replaced_by_id IS NOT NULL AND l.depth < 10000
       ), revoked AS (
         UPDATE api_tokens t SET revoked_at = $2, revoked_reason = $3, version = t.version + 1
           FROM (SELECT DISTINCT ON (id) id, root_id, depth FROM lineage ORDER BY id, depth) l
          WHERE t.id = l.id AND t.revoked_at IS NULL
            AND (t.expires_at IS NULL OR t.expires_at > $2) AND (t.retires_at IS NULL OR t.retires_at > $2)
          RETURNING t.id, t.user_id, t.name, t.hint, l.root_id, l.depth)
       SELECT id, user_id AS "userId", name, hint, root_id AS "rootId" FROM revoked ORDER BY depth`,
      [rootIds, at, reason],
    );
  }
}

/** Rolls a rotation back when the old token changed between reading and writing. */
class RotationLost extends Error {}
