import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { ApiTokenRevocationReason } from '@conduit/contracts';
import { ApiTokenEntity } from './api-token.entity';

/** The one place that knows how API tokens are queried. Ownership is always part of the query. */
@Injectable()
export class ApiTokensRepository {
  constructor(@InjectRepository(ApiTokenEntity) private readonly repo: Repository<ApiTokenEntity>) {}

  insert(token: Pick<ApiTokenEntity, 'userId' | 'name' | 'tokenHash' | 'hint' | 'allowedIps' | 'expiresAt' | 'createdAt' | 'permissions'>): Promise<ApiTokenEntity> {
    return this.repo.save(
      this.repo.create({ ...token, revokedAt: null, revokedReason: null, retiresAt: null, replacedById: null, version: 1, lastUsedAt: null, lastUsedIp: null }),
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

  findOwned(userId: string, id: string): Promise<ApiTokenEntity | null> {
    return this.repo.findOneBy({ id, userId });
  }

  /** Idempotent: an already revoked token keeps its first revocation time and reason. */
  async markRevoked(userId: string, id: string, at: Date, reason: ApiTokenRevocationReason): Promise<boolean> {
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
      .execute();
    return (result.affected ?? 0) > 0;
  }
}
