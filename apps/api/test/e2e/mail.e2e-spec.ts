import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { MAIL_OUTBOX_JOB, MailOutbox } from '../../src/mail/mail-outbox';
import { NotificationsService } from '../../src/notifications/notifications.service';
import { SchedulerService } from '../../src/scheduler/scheduler.service';
import { http, register, startApp, unique } from '../support/app';
import { closedPort, TestSmtpServer } from '../support/smtp';

jest.setTimeout(30_000);

async function sql<T = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

interface OutboxRow { attempts: number; next_attempt_at: Date; sent_at: Date | null; failed_at: Date | null; last_error: string | null }
const outboxRow = async (to: string) =>
  (await sql<OutboxRow>('SELECT attempts, next_attempt_at, sent_at, failed_at, last_error FROM mail_outbox WHERE recipient = $1', [to]))[0];
const makeDue = (to: string) => sql('UPDATE mail_outbox SET next_attempt_at = now() WHERE recipient = $1', [to]);
const deliver = (app: NestFastifyApplication) => app.get(SchedulerService).run(MAIL_OUTBOX_JOB);

function capture() {
  const chunks: string[] = [];
  const stream = new Writable({ write: (chunk, _e, done) => void (chunks.push(String(chunk)), done()) });
  return { stream, text: () => chunks.join('') };
}

describe('Mailer: nodemailer over SMTP through a durable outbox', () => {
  it('delivers a queued message to a real SMTP server, with the credentials of SMTP_URL and MAIL_FROM as sender', async () => {
    const smtp = await new TestSmtpServer({ user: 'conduit', pass: 'p@ss w0rd' }).start();
    const app = await startApp({ SMTP_URL: smtp.url, MAIL_FROM: 'Conduit <robot@conduit.test>' });
    try {
      const to = `${unique('m')}@example.test`;
      expect(await app.get(MailOutbox).enqueue({ to, subject: 'Hello there', text: 'Line one.\nLine two with ünïcödé.' })).toBe(true);
      expect(smtp.received).toHaveLength(0); // queued, not sent inline
      await deliver(app);
      const [mail] = await smtp.waitFor(1);
      expect(mail).toEqual({ from: '"Conduit" <robot@conduit.test>', to, subject: 'Hello there', text: 'Line one.\nLine two with ünïcödé.\n', user: 'conduit' });
      expect(await outboxRow(to)).toMatchObject({ attempts: 1, sent_at: expect.any(Date), failed_at: null, last_error: null });
      await deliver(app); // sent once only
      expect(smtp.received).toHaveLength(1);
    } finally {
      await app.close();
      await smtp.stop();
    }
  });

  it('a mail server that is down delays mail: retried with doubling delays, delivered once it is back', async () => {
    const port = await closedPort();
    const app = await startApp({ SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_RETRY_DELAY: '60s', MAIL_MAX_ATTEMPTS: '5' });
    const smtp = new TestSmtpServer();
    try {
      const to = `${unique('m')}@example.test`;
      await app.get(MailOutbox).enqueue({ to, subject: 'Later', text: 'Eventually.' });
      const started = Date.now();
      await deliver(app); // the job itself succeeds: the failure is the message's, not the job's
      let row = await outboxRow(to);
      expect(row).toMatchObject({ attempts: 1, sent_at: null, failed_at: null, last_error: expect.stringMatching(/ECONNREFUSED|connect/i) });
      expect(row.next_attempt_at.getTime() - started).toBeGreaterThan(55_000);
      expect(row.next_attempt_at.getTime() - started).toBeLessThan(70_000);

      await deliver(app); // not due yet: nothing tried
      expect((await outboxRow(to)).attempts).toBe(1);

      await makeDue(to);
      await deliver(app);
      row = await outboxRow(to);
      expect(row.attempts).toBe(2);
      expect(row.next_attempt_at.getTime() - Date.now()).toBeGreaterThan(115_000); // 2 × 60 s

      await smtp.start(port);
      await makeDue(to);
      await deliver(app);
      const [mail] = await smtp.waitFor(1);
      expect(mail).toMatchObject({ to, subject: 'Later' });
      expect(await outboxRow(to)).toMatchObject({ attempts: 3, sent_at: expect.any(Date), failed_at: null });
    } finally {
      await app.close();
      await smtp.stop();
    }
  });

  it('gives a message up after MAIL_MAX_ATTEMPTS with a log line, and tries it no more', async () => {
    const port = await closedPort();
    const logs = capture();
    const app = await startApp({ SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_MAX_ATTEMPTS: '2', LOG_LEVEL: 'warn' }, { logStream: logs.stream });
    try {
      const to = `${unique('m')}@example.test`;
      await app.get(MailOutbox).enqueue({ to, subject: 'Doomed', text: '…' });
      await deliver(app);
      expect(logs.text()).toMatch(/mail [0-9a-f-]{36} not sent \(attempt 1 of 2\), retrying in 60s/);
      await makeDue(to);
      await deliver(app);
      expect(await outboxRow(to)).toMatchObject({ attempts: 2, sent_at: null, failed_at: expect.any(Date) });
      expect(logs.text()).toMatch(/mail [0-9a-f-]{36} given up after 2 attempts: .*ECONNREFUSED/);
      await makeDue(to);
      await deliver(app);
      expect((await outboxRow(to)).attempts).toBe(2);
      expect(logs.text()).not.toContain(to); // no addresses in the logs
    } finally {
      await app.close();
    }
  });

  it('without SMTP_URL mail is off: nothing is queued and no mail job runs', async () => {
    const app = await startApp();
    try {
      const to = `${unique('m')}@example.test`;
      expect(app.get(MailOutbox).enabled).toBe(false);
      expect(await app.get(MailOutbox).enqueue({ to, subject: 'x', text: 'y' })).toBe(false);
      expect(await outboxRow(to)).toBeUndefined();
      expect(app.get(SchedulerService).jobNames).not.toContain(MAIL_OUTBOX_JOB);
    } finally {
      await app.close();
    }
  });

  it('a notification with an email queues it with the notification, to the account\'s address, composed for its time zone', async () => {
    const smtp = await new TestSmtpServer().start();
    const app = await startApp({ SMTP_URL: smtp.url });
    try {
      const user = await register(app);
      await http(app).put('/api/user').set('Authorization', `Bearer ${user.token}`).send({ user: { timezone: 'Asia/Tokyo' } }).expect(200);
      const { sub } = JSON.parse(Buffer.from(user.token.split('.')[1], 'base64url').toString()) as { sub: string };
      const input = {
        kind: 'token_expired' as const,
        message: 'in the app',
        dedupeKey: `test:${unique('k')}`,
        email: (r: { username: string; timezone: string }) => ({ subject: `Hi ${r.username}`, text: `Your zone: ${r.timezone}` }),
      };
      expect(await app.get(NotificationsService).notify(sub, input)).toBe(true);
      expect(await app.get(NotificationsService).notify(sub, input)).toBe(false); // same key: no second mail either
      await deliver(app);
      const mails = await smtp.waitFor(1);
      await deliver(app);
      expect(mails).toHaveLength(1);
      expect(mails[0]).toMatchObject({ to: user.email, subject: `Hi ${user.username}`, text: 'Your zone: Asia/Tokyo\n' });
    } finally {
      await app.close();
      await smtp.stop();
    }
  });
});
