import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { NotificationKind } from '@conduit/contracts';
import { NotificationEntity } from './notification.entity';

export interface NewNotification {
  userId: string;
  kind: NotificationKind;
  tokenId: string | null;
  message: string;
  dedupeKey: string | null;
  createdAt: Date;
}

/** The recipient of a notification that was just created (for the email that may go with it). */
export interface Recipient {
  notificationId: string;
  email: string;
  username: string;
  timezone: string;
}

/** The one place that knows how notifications are queried. Ownership is always part of the query. */
@Injectable()
export class NotificationsRepository {
  constructor(@InjectRepository(NotificationEntity) private readonly repo: Repository<NotificationEntity>) {}

  /**
   * Inserts unless a notification with the same dedupe key exists (then null). Returns the
   * recipient's address and time zone from the same statement. With `replace`, a repeat of the
   * key replaces the existing notification's message and brings it back, unread, to the top
   * (still null: it is not new, so nothing more is sent).
   */
  async insertOnce(n: NewNotification, manager: EntityManager = this.repo.manager, replace = false): Promise<Recipient | null> {
    const onConflict = replace
      ? 'DO UPDATE SET message = excluded.message, created_at = excluded.created_at, read_at = NULL WHERE notifications.user_id = excluded.user_id'
      : 'DO NOTHING';
    const rows: { id: string; email: string; username: string; timezone: string }[] = await manager.query(
      `WITH inserted AS (
         INSERT INTO notifications (user_id, kind, token_id, message, dedupe_key, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (dedupe_key) ${onConflict}
         RETURNING id, user_id, xmax = 0 AS created)
       SELECT inserted.id, u.email, u.username, u.timezone FROM inserted JOIN users u ON u.id = inserted.user_id WHERE inserted.created`,
      [n.userId, n.kind, n.tokenId, n.message, n.dedupeKey, n.createdAt],
    );
    const row = rows[0];
    return row ? { notificationId: row.id, email: row.email, username: row.username, timezone: row.timezone } : null;
  }

  /** The newest first, and the number unread in all: one statement. */
  async listWithUnreadCount(userId: string, limit: number): Promise<{ notifications: NotificationEntity[]; unreadCount: number }> {
    const rows: { id: string; kind: NotificationKind; token_id: string | null; message: string; created_at: Date; read_at: Date | null; unread: string }[] =
      await this.repo.query(
        `SELECT n.id, n.kind, n.token_id, n.message, n.created_at, n.read_at, c.unread
           FROM (SELECT count(*) AS unread FROM notifications WHERE user_id = $1 AND read_at IS NULL) c
           LEFT JOIN LATERAL (
             SELECT * FROM notifications WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2
           ) n ON true`,
        [userId, limit],
      );
    const unreadCount = rows.length > 0 ? Number(rows[0].unread) : 0;
    const notifications = rows
      .filter((r) => r.id !== null)
      .map((r) => Object.assign(new NotificationEntity(), {
        id: r.id, userId, kind: r.kind, tokenId: r.token_id, message: r.message, dedupeKey: null, createdAt: r.created_at, readAt: r.read_at,
      }));
    return { notifications, unreadCount };
  }

  /** Marks the user's own notifications read (others' ids match nothing); read ones keep their time. */
  async markRead(userId: string, ids: string[] | 'all', at: Date): Promise<void> {
    const query = this.repo
      .createQueryBuilder()
      .update(NotificationEntity)
      .set({ readAt: at })
      .where('user_id = :userId AND read_at IS NULL', { userId });
    if (ids !== 'all') query.andWhere('id IN (:...ids)', { ids });
    await query.execute();
  }
}
