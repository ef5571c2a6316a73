import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * In-app notifications. `dedupe_key` (unique) makes "once per token and threshold" hold however
 * many instances try: the second insert of the same key does nothing.
 */
export class Notifications1765300000200 implements MigrationInterface {
  name = 'Notifications1765300000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        kind varchar(40) NOT NULL,
        token_id uuid REFERENCES api_tokens (id) ON DELETE CASCADE,
        message text NOT NULL,
        dedupe_key text,
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX notifications_dedupe_key ON notifications (dedupe_key)`);
    await q.query(`CREATE INDEX notifications_user_created_idx ON notifications (user_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX notifications_user_unread_idx ON notifications (user_id) WHERE read_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE notifications');
  }
}
