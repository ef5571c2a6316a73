import { CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** The schema of follows (migration 1764400000000). Queries are written in ProfilesRepository. */
@Entity({ name: 'follows' })
export class FollowEntity {
  @PrimaryColumn({ name: 'follower_id', type: 'uuid' })
  followerId: string;

  @PrimaryColumn({ name: 'followee_id', type: 'uuid' })
  followeeId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
