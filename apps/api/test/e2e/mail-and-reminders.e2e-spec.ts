import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { sql } from '../support/sql';
import { TOKEN_REMINDERS_JOB } from '../../src/api-tokens/token-reminders.job';
import { formatInstant } from '../../src/notifications/notification-texts';
import { MAIL_OUTBOX_JOB, MailOutbox } from '../../src/mail/mail-outbox';
import { NotificationsService } from '../../src/notifications/notifications.service';
import { SchedulerService } from '../../src/scheduler/scheduler.service';
import { createToken, http, register, Registered, startApp, unique } from '../support/app';
import { closedPort, TestSmtpServer } from '../support/smtp';

/*
 * The scheduled jobs that send mail and reminders work on every row of the shared test database:
 * their tests live in this one file so that no other test file runs them at the same time.
 */
jest.setTimeout(60_000);

const DAY = 86_400_000;

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

/** Places a token in time: created, expiring and last used at these offsets from now (ms). */
async function place(id: string, t: { created: number; expires?: number | null; lastUsed?: number | null }) {
  const at = (offset: number | null | undefined) => (offset === null || offset === undefined ? null : new Date(Date.now() + offset));
  await sql('UPDATE api_tokens SET created_at = $2, expires_at = $3, last_used_at = $4 WHERE id = $1', [id, at(t.created), t.expires === undefined ? null : at(t.expires), at(t.lastUsed)]);
}

interface N { kind: string; tokenId: string | null; message: string; readAt: string | null }
const notificationsOf = async (app: NestFastifyApplication, u: Registered): Promise<N[]> =>
  (await http(app).get('/api/user/notifications').set('Authorization', `Bearer ${u.token}`).expect(200)).body.notifications;

/** Both instances run the job at the same moment, a few times over. */
async function runEverywhere(a: NestFastifyApplication, b: NestFastifyApplication) {
  for (let i = 0; i < 3; i++) {
    await Promise.all([a, b, a, b].map((app) => app.get(SchedulerService).run(TOKEN_REMINDERS_JOB)));
  }
}

// Passport keeps one strategy per name for the whole process (the last app's): the two
// instances are started and closed together.
describe('Expiry reminders: 7 days, 1 day, expired — once per token and threshold on two instances', () => {
  let a: NestFastifyApplication;
  let b: NestFastifyApplication;
  beforeAll(async () => {
    [a, b] = await Promise.all([startApp(), startApp()]);
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  it('notifies each threshold exactly once, in the owner\'s time zone, and nothing for other tokens', async () => {
    const u = await register(a);
    await http(a).put('/api/user').set('Authorization', `Bearer ${u.token}`).send({ user: { timezone: 'Europe/Paris' } }).expect(200);
    const week = await createToken(a, u.token, { name: 'Weekly deploy' });
    const day = await createToken(a, u.token, { name: 'Nightly backup' });
    const gone = await createToken(a, u.token, { name: 'Old cron' });
    const later = await createToken(a, u.token, { name: 'Far away' });
    const fresh = await createToken(a, u.token, { name: 'Seven-day token', expiresIn: '7d' });
    const never = await createToken(a, u.token, { name: 'Forever', expiresIn: 'never' });
    const revoked = await createToken(a, u.token, { name: 'Revoked soon' });
    await place(week.id, { created: -20 * DAY, expires: 6 * DAY });
    await place(day.id, { created: -20 * DAY, expires: 12 * 3600_000 });
    await place(gone.id, { created: -20 * DAY, expires: -3600_000 });
    await place(later.id, { created: -20 * DAY, expires: 10 * DAY });
    await place(revoked.id, { created: -20 * DAY, expires: 6 * DAY });
    await http(a).delete(`/api/user/api-tokens/${revoked.id}`).set('Authorization', `Bearer ${u.token}`).expect(204);

    await runEverywhere(a, b);

    const list = await notificationsOf(b, u);
    const about = (id: string) => list.filter((n) => n.tokenId === id);
    expect(about(week.id)).toHaveLength(1);
    expect(about(week.id)[0]).toMatchObject({ kind: 'token_expiring', readAt: null });
    expect(about(week.id)[0].message).toMatch(
      new RegExp(`^Your API token “Weekly deploy” \\(…${week.raw.slice(-4)}\\) expires in 7 days, on \\w+day \\d{1,2} \\w+ \\d{4} at \\d{2}:\\d{2} \\(Europe/Paris\\)\\.`),
    );
    expect(about(day.id)).toHaveLength(1);
    expect(about(day.id)[0]).toMatchObject({ kind: 'token_expiring' });
    expect(about(day.id)[0].message).toContain('“Nightly backup”');
    expect(about(day.id)[0].message).toContain('expires in 1 day');
    expect(about(gone.id)).toHaveLength(1);
    expect(about(gone.id)[0]).toMatchObject({ kind: 'token_expired' });
    expect(about(gone.id)[0].message).toMatch(/^Your API token “Old cron” .* expired on .*\(Europe\/Paris\)\. Requests with it are refused/);
    for (const quiet of [later, fresh, never, revoked]) expect(about(quiet.id)).toEqual([]);
    expect(list).toHaveLength(3);

    // Time passes: the weekly token enters its last day, then expires. One more each.
    await place(week.id, { created: -20 * DAY, expires: 3600_000 });
    await runEverywhere(a, b);
    await place(week.id, { created: -20 * DAY, expires: -60_000 });
    await runEverywhere(a, b);
    const after = (await notificationsOf(a, u)).filter((n) => n.tokenId === week.id);
    expect(after.map((n) => [n.kind, /in 1 day/.test(n.message), /in 7 days/.test(n.message)])).toEqual([
      ['token_expired', false, false],
      ['token_expiring', true, false],
      ['token_expiring', false, true],
    ]);
    expect(await notificationsOf(a, u)).toHaveLength(5);
  });

  it('a rotated token (its replacement reminds instead) and a token that expired long ago stay quiet', async () => {
    const u = await register(a);
    const rotated = await createToken(a, u.token, { name: 'Rotated' });
    const ancient = await createToken(a, u.token, { name: 'Ancient' });
    await place(rotated.id, { created: -20 * DAY, expires: 6 * DAY });
    await sql('UPDATE api_tokens SET retires_at = now() + interval \'1 hour\' WHERE id = $1', [rotated.id]);
    await place(ancient.id, { created: -400 * DAY, expires: -30 * DAY });
    await runEverywhere(a, b);
    expect(await notificationsOf(a, u)).toEqual([]);
  });
});

describe('TOKEN_INACTIVITY_REVOKE: warned 7 days before, then revoked for inactivity (two instances)', () => {
  let a: NestFastifyApplication;
  let b: NestFastifyApplication;
  beforeAll(async () => {
    [a, b] = await Promise.all([startApp({ TOKEN_INACTIVITY_REVOKE: '30d' }), startApp({ TOKEN_INACTIVITY_REVOKE: '30d' })]);
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  it('warns once 7 days before, revokes once (reason inactivity) with a notification; a used token is left alone', async () => {
    const u = await register(a);
    const idle = await createToken(a, u.token, { name: 'Idle', expiresIn: 'never' });
    const neverUsed = await createToken(a, u.token, { name: 'Never used', expiresIn: 'never' });
    const busy = await createToken(a, u.token, { name: 'Busy', expiresIn: 'never' });
    const expiresFirst = await createToken(a, u.token, { name: 'Expires first' });
    await place(idle.id, { created: -60 * DAY, expires: null, lastUsed: -25 * DAY });
    await place(neverUsed.id, { created: -31 * DAY, expires: null });
    await place(busy.id, { created: -60 * DAY, expires: null, lastUsed: -1 * DAY });
    await place(expiresFirst.id, { created: -25 * DAY, expires: 2 * DAY });

    await runEverywhere(a, b);

    const list = await notificationsOf(a, u);
    const about = (id: string) => list.filter((n) => n.tokenId === id);
    expect(about(idle.id)).toHaveLength(1);
    expect(about(idle.id)[0]).toMatchObject({ kind: 'token_inactive' });
    expect(about(idle.id)[0].message).toMatch(/^Your API token “Idle” .* will be revoked on .* \(tokens unused for 30 days are revoked\)\. Use it before then to keep it\.$/);
    expect(about(neverUsed.id).map((n) => n.kind)).toEqual(['token_revoked']);
    expect(about(neverUsed.id)[0].message).toMatch(/^Your API token “Never used” .* was revoked on .* because it had not been used for 30 days\.$/);
    expect(about(busy.id)).toEqual([]);
    expect(about(expiresFirst.id).map((n) => n.kind)).toEqual(['token_expiring']); // its 7-day reminder, no inactivity warning

    const [row] = await sql<{ revoked_at: Date; revoked_reason: string }>('SELECT revoked_at, revoked_reason FROM api_tokens WHERE id = $1', [neverUsed.id]);
    expect(row.revoked_reason).toBe('inactivity');
    const refused = await http(b).get('/api/user').set('Authorization', `Bearer ${neverUsed.raw}`);
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({ errors: { token: ['has been revoked'] } });
    const active = (await http(a).get('/api/user/api-tokens').set('Authorization', `Bearer ${u.token}`)).body.apiTokens.map((t: { id: string }) => t.id);
    expect(active).not.toContain(neverUsed.id);
    expect(active).toContain(idle.id);

    // The idle token's time comes: revoked once, with its notification.
    await place(idle.id, { created: -60 * DAY, expires: null, lastUsed: -30 * DAY - 60_000 });
    await runEverywhere(a, b);
    const final = (await notificationsOf(a, u)).filter((n) => n.tokenId === idle.id).map((n) => n.kind);
    expect(final).toEqual(['token_revoked', 'token_inactive']);
    expect((await sql<{ revoked_reason: string }>('SELECT revoked_reason FROM api_tokens WHERE id = $1', [idle.id]))[0].revoked_reason).toBe('inactivity');
  });

  it('a token used again after its warning is warned again when it idles again', async () => {
    const u = await register(a);
    const t = await createToken(a, u.token, { name: 'On and off', expiresIn: 'never' });
    await place(t.id, { created: -60 * DAY, expires: null, lastUsed: -25 * DAY });
    await runEverywhere(a, b);
    await place(t.id, { created: -60 * DAY, expires: null, lastUsed: -24 * DAY });
    await runEverywhere(a, b);
    const kinds = (await notificationsOf(a, u)).map((n) => n.kind);
    expect(kinds).toEqual(['token_inactive', 'token_inactive']);
  });
});

describe('without TOKEN_INACTIVITY_REVOKE', () => {
  it('never revokes an unused token', async () => {
    const app = await startApp();
    try {
      const u = await register(app);
      const t = await createToken(app, u.token, { expiresIn: 'never' });
      await place(t.id, { created: -3650 * DAY, expires: null });
      await app.get(SchedulerService).run(TOKEN_REMINDERS_JOB);
      expect((await sql<{ revoked_at: Date | null }>('SELECT revoked_at FROM api_tokens WHERE id = $1', [t.id]))[0].revoked_at).toBeNull();
      expect(await notificationsOf(app, u)).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

describe('Reminder and policy emails', () => {
  const runJobs = async (app: NestFastifyApplication) => {
    await app.get(SchedulerService).run(TOKEN_REMINDERS_JOB);
    await app.get(SchedulerService).run(MAIL_OUTBOX_JOB);
  };

  it('sends the reminder to the account\'s address: name, hint, expiry in the user\'s time zone, link to PUBLIC_URL', async () => {
    const smtp = await new TestSmtpServer().start();
    const app = await startApp({ SMTP_URL: smtp.url, PUBLIC_URL: 'https://conduit.example.test/', MAIL_FROM: 'Conduit <robot@conduit.test>' });
    try {
      const u = await register(app);
      await http(app).put('/api/user').set('Authorization', `Bearer ${u.token}`).send({ user: { timezone: 'Asia/Tokyo' } }).expect(200);
      const t = await createToken(app, u.token, { name: 'GitHub Actions, staging' });
      await place(t.id, { created: -20 * DAY, expires: 6 * DAY });
      const [{ expires_at: expiresAt }] = await sql<{ expires_at: Date }>('SELECT expires_at FROM api_tokens WHERE id = $1', [t.id]);
      await runJobs(app);
      await runJobs(app);
      await smtp.waitFor(1);
      const mine = smtp.received.filter((m) => m.to === u.email);
      expect(mine).toHaveLength(1);
      expect(mine[0].from).toBe('"Conduit" <robot@conduit.test>');
      expect(mine[0].subject).toBe('Your Conduit API token “GitHub Actions, staging” expires in 7 days');
      const when = formatInstant(expiresAt, 'Asia/Tokyo');
      expect(when).toMatch(/^\w+day \d{1,2} \w+ \d{4} at \d{2}:\d{2} \(Asia\/Tokyo\)$/);
      expect(mine[0].text).toBe([
        `Hello ${u.username},`,
        '',
        `Your API token “GitHub Actions, staging” (…${t.raw.slice(-4)}) expires on ${when}, in 7 days.`,
        '',
        'Create a new token (or rotate this one) before then and put it wherever this one is used:',
        'https://conduit.example.test/app/settings/api-tokens',
        '',
        '— Conduit',
        '',
      ].join('\n'));
      expect(mine[0].text).not.toContain(t.raw);
      expect((await notificationsOf(app, u)).map((n) => n.kind)).toEqual(['token_expiring']);
    } finally {
      await app.close();
      await smtp.stop();
    }
  });

  it('SMTP down: the reminder is in the app at once, requests are fine, the email is retried and then given up with a log line', async () => {
    const port = await closedPort();
    const logs = capture();
    const app = await startApp({ SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_MAX_ATTEMPTS: '2', LOG_LEVEL: 'warn' }, { logStream: logs.stream });
    try {
      const u = await register(app);
      const t = await createToken(app, u.token, { name: 'Nightly' });
      await place(t.id, { created: -20 * DAY, expires: 3600_000 });
      await runJobs(app);
      const list = await notificationsOf(app, u);
      expect(list.map((n) => [n.kind, n.tokenId])).toEqual([['token_expiring', t.id]]);
      expect((await http(app).post('/api/user/notifications/read').set('Authorization', `Bearer ${u.token}`).send({ all: true })).status).toBe(204);
      expect((await createToken(app, u.token)).raw).toMatch(/^conduit_/);
      let row = await outboxRow(u.email);
      expect(row).toMatchObject({ attempts: 1, sent_at: null, failed_at: null });
      expect(logs.text()).toMatch(/not sent \(attempt 1 of 2\), retrying in 60s/);
      await makeDue(u.email);
      await runJobs(app);
      row = await outboxRow(u.email);
      expect(row).toMatchObject({ attempts: 2, sent_at: null, failed_at: expect.any(Date) });
      expect(logs.text()).toMatch(/mail [0-9a-f-]{36} given up after 2 attempts/);
    } finally {
      await app.close();
    }
  });

  it('emails the inactivity warning and the revocation', async () => {
    const smtp = await new TestSmtpServer().start();
    const app = await startApp({ SMTP_URL: smtp.url, TOKEN_INACTIVITY_REVOKE: '90d', PUBLIC_URL: 'https://conduit.example.test' });
    try {
      const u = await register(app);
      const soon = await createToken(app, u.token, { name: 'Soon idle', expiresIn: 'never' });
      const idle = await createToken(app, u.token, { name: 'Long idle', expiresIn: 'never' });
      await place(soon.id, { created: -100 * DAY, expires: null, lastUsed: -85 * DAY });
      await place(idle.id, { created: -100 * DAY, expires: null, lastUsed: -91 * DAY });
      await runJobs(app);
      await smtp.waitFor(2);
      const mine = smtp.received.filter((m) => m.to === u.email).sort((x, y) => x.subject.localeCompare(y.subject));
      expect(mine.map((m) => m.subject)).toEqual([
        'Your Conduit API token “Long idle” was revoked for inactivity',
        'Your Conduit API token “Soon idle” will be revoked for inactivity',
      ]);
      expect(mine[0].text).toContain(`“Long idle” (…${idle.raw.slice(-4)}) was revoked on `);
      expect(mine[0].text).toContain('because it had not been used for 90 days.');
      expect(mine[1].text).toContain(`“Soon idle” (…${soon.raw.slice(-4)}) will be revoked on `);
      expect(mine[1].text).toContain('(UTC): on this server, tokens unused for 90 days are revoked.');
      for (const m of mine) expect(m.text).toContain('https://conduit.example.test/app/settings/api-tokens');
    } finally {
      await app.close();
      await smtp.stop();
    }
  });
});
