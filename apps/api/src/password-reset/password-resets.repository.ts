import { Injectable } from '@nestjs/common';
import { Db, type Queryable } from '../database/db';

export interface NewPasswordReset {
  id: string;
  userId: string;
  tokenHash: Buffer;
  createdAt: Date;
  expiresAt: Date;
}

/** The one place that knows how reset links are stored: every `password_resets` statement. */
@Injectable()
export class PasswordResetsRepository {
  constructor(private readonly db: Db) {}

  /** The id of the usable link with this token hash (not used, not expired), if any. */
  async findUsable(tokenHash: Buffer, now: Date): Promise<string | null> {
    const [found] = await this.db.query<{ id: string }>(
      'SELECT id FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2',
      [tokenHash, now],
    );
    return found?.id ?? null;
  }

  /** Uses the link once: its account, or null when a concurrent request used it (or it expired) meanwhile. */
  async use(tx: Queryable, id: string, now: Date): Promise<string | null> {
    const [used] = await tx.query<{ user_id: string }>(
      'UPDATE password_resets SET used_at = $2 WHERE id = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id',
      [id, now],
    );
    return used?.user_id ?? null;
  }

  /** Voids the account's other links. */
  async voidAllOf(tx: Queryable, userId: string, now: Date): Promise<void> {
    await tx.query('UPDATE password_resets SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL', [userId, now]);
  }

  /** How many links the account asked for after `since`. */
  async countSince(tx: Queryable, userId: string, since: Date): Promise<number> {
    const [{ recent }] = await tx.query<{ recent: number }>(
      'SELECT count(*)::int AS recent FROM password_resets WHERE user_id = $1 AND created_at > $2',
      [userId, since],
    );
    return recent;
  }

  async deleteOlderThan(tx: Queryable, userId: string, before: Date): Promise<void> {
    await tx.query('DELETE FROM password_resets WHERE user_id = $1 AND created_at < $2', [userId, before]);
  }

  async insert(tx: Queryable, reset: NewPasswordReset): Promise<void> {
    await tx.query('INSERT INTO password_resets (id, user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [
      reset.id, reset.userId, reset.tokenHash, reset.createdAt, reset.expiresAt,
    ]);
  }
}
