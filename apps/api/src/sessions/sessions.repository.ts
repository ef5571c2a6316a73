import { Injectable } from '@nestjs/common';
import type { Queryable } from '../database/db';

/**
 * The statements on `sessions` that other features run inside their own transactions. (The
 * sessions service still reads and writes its sessions through TypeORM entities.)
 */
@Injectable()
export class SessionsRepository {
  /** Ends every live session of the account after a password reset. */
  async revokeAllAfterPasswordReset(tx: Queryable, userId: string, now: Date): Promise<void> {
    await tx.query(
      "UPDATE sessions SET revoked_at = $2, revoked_reason = 'password reset' WHERE user_id = $1 AND revoked_at IS NULL",
      [userId, now],
    );
  }
}
