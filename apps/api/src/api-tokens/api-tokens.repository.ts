import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ApiTokenEntity } from './api-token.entity';

/** The one place that knows how API tokens are queried. Ownership is always part of the query. */
@Injectable()
export class ApiTokensRepository {
  constructor(@InjectRepository(ApiTokenEntity) private readonly repo: Repository<ApiTokenEntity>) {}

  insert(token: Pick<ApiTokenEntity, 'userId' | 'name' | 'tokenHash' | 'hint' | 'allowedIps' | 'expiresAt' | 'createdAt' | 'permissions'>): Promise<ApiTokenEntity> {
    return this.repo.save(this.repo.create({ ...token, revokedAt: null, lastUsedAt: null, lastUsedIp: null }));
  }

  /** Neither revoked nor expired, newest first. */
  findActive(userId: string, now: Date): Promise<ApiTokenEntity[]> {
    return this.repo
      .createQueryBuilder('t')
      .where('t.userId = :userId', { userId })
      .andWhere('t.revokedAt IS NULL')
      .andWhere('(t.expiresAt IS NULL OR t.expiresAt > :now)', { now })
      .orderBy('t.createdAt', 'DESC')
      .addOrderBy('t.id', 'DESC')
      .getMany();
  }

  findOwned(userId: string, id: string): Promise<ApiTokenEntity | null> {
    return this.repo.findOneBy({ id, userId });
  }

  /** Idempotent: an already revoked token keeps its first revocation time. */
  async markRevoked(userId: string, id: string, at: Date): Promise<boolean> {
    const result = await this.repo
      .createQueryBuilder()
      .update(ApiTokenEntity)
      .set({ revokedAt: () => 'COALESCE(revoked_at, :at)' })
      .setParameter('at', at)
      .where('id = :id AND user_id = :userId', { id, userId })
      .execute();
    return (result.affected ?? 0) > 0;
  }
}
