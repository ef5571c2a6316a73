import { Injectable } from '@nestjs/common';
import { Db } from '../database/db';
import { isForeignKeyViolation } from '../database/pg-errors';
import type { ProfileRow } from './profile.mapper';

export interface ProfileTarget extends ProfileRow {
  id: string;
}

/** The one place that knows how profiles and follows are queried. */
@Injectable()
export class ProfilesRepository {
  constructor(private readonly db: Db) {}

  /** The user named `username`, and whether `viewerId` (null: anonymous) follows them. */
  async findByUsername(username: string, viewerId: string | null): Promise<ProfileTarget | null> {
    const rows = await this.db.query<ProfileTarget>(
      `SELECT u.id, u.username, u.bio, u.image,
              EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = $2 AND f.followee_id = u.id) AS following
         FROM users u
        WHERE u.username = $1`,
      [username, viewerId],
      'profiles_find_by_username',
    );
    return rows[0] ?? null;
  }

  /** Idempotent. */
  /** Idempotent; false when the followee was deleted meanwhile. */
  async follow(followerId: string, followeeId: string): Promise<boolean> {
    return this.db
      .query('INSERT INTO follows (follower_id, followee_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [followerId, followeeId], 'follows_insert')
      .then(
        () => true,
        (error: unknown) => {
          if (isForeignKeyViolation(error)) return false;
          throw error;
        },
      );
  }

  /** Idempotent. */
  async unfollow(followerId: string, followeeId: string): Promise<void> {
    await this.db.query('DELETE FROM follows WHERE follower_id = $1 AND followee_id = $2', [followerId, followeeId], 'follows_delete');
  }
}
