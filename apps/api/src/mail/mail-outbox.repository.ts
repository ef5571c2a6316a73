import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Db } from '../database/db';
import type { MailMessage } from './mailer';

/** A message claimed for sending, as stored. */
export interface OutboxRow {
  id: string;
  recipient: string;
  subject: string;
  text_body: string;
  attempts: number;
}

/** The one place that knows how queued mail is stored: every `mail_outbox` statement. */
@Injectable()
export class MailOutboxRepository {
  constructor(private readonly db: Db) {}

  /** Messages waiting to be sent (queued or being retried). */
  async countWaiting(): Promise<number | undefined> {
    const [row] = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM mail_outbox WHERE sent_at IS NULL AND failed_at IS NULL');
    return row?.n;
  }

  /** Queues a message; with `manager`, inside that (TypeORM) transaction of the caller's. */
  async insert(message: MailMessage, manager?: EntityManager): Promise<void> {
    const text = 'INSERT INTO mail_outbox (recipient, subject, text_body) VALUES ($1, $2, $3)';
    const values = [message.to, message.subject, message.text];
    if (manager) await manager.query(text, values);
    else await this.db.query(text, values);
  }

  /** Queues a message; its id (a list of one). */
  async insertReturningId(message: MailMessage): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      'INSERT INTO mail_outbox (recipient, subject, text_body) VALUES ($1, $2, $3) RETURNING id',
      [message.to, message.subject, message.text],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Claims up to `batch` due messages (or only those of `ids`) for `claimSeconds`, skipping those
   * another instance holds, and counts the attempt.
   */
  claimDue(batch: number, claimSeconds: number, ids: string[] | null): Promise<OutboxRow[]> {
    return this.db.query<OutboxRow>(
      `WITH due AS (
         SELECT id FROM mail_outbox
          WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now()
            AND ($3::uuid[] IS NULL OR id = ANY($3::uuid[]))
          ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
       UPDATE mail_outbox m SET attempts = m.attempts + 1, next_attempt_at = now() + make_interval(secs => $2)
         FROM due WHERE m.id = due.id
       RETURNING m.id, m.recipient, m.subject, m.text_body, m.attempts`,
      [batch, claimSeconds, ids],
    );
  }

  async markSent(id: string): Promise<void> {
    await this.db.query('UPDATE mail_outbox SET sent_at = now(), last_error = NULL WHERE id = $1', [id]);
  }

  async markGivenUp(id: string, reason: string): Promise<void> {
    await this.db.query('UPDATE mail_outbox SET failed_at = now(), last_error = $2 WHERE id = $1', [id, reason]);
  }

  async retryLater(id: string, delaySeconds: number, reason: string): Promise<void> {
    await this.db.query(
      'UPDATE mail_outbox SET next_attempt_at = now() + make_interval(secs => $2), last_error = $3 WHERE id = $1',
      [id, delaySeconds, reason],
    );
  }

  /** Deletes sent and given-up messages older than `days`. */
  async purgeDoneOlderThan(days: number): Promise<void> {
    await this.db.query(
      `DELETE FROM mail_outbox WHERE (sent_at IS NOT NULL OR failed_at IS NOT NULL) AND created_at < now() - make_interval(days => $1)`,
      [days],
    );
  }
}
