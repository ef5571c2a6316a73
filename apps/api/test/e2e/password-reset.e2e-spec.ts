import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { sql } from '../support/sql';
import { PASSWORD_RESET_TOKEN_INVALID } from '@conduit/contracts';
import { Clock } from '../../src/common/clock';
import { PasswordResetService } from '../../src/password-reset/password-reset.service';
import { SecurityEvents } from '../../src/security-log/security-events.service';
import { createToken, http, register, Registered, startApp, unique } from '../support/app';
import { allEvents } from '../support/security-log';
import { TestSmtpServer } from '../support/smtp';

jest.setTimeout(90_000);

const PUBLIC_URL = 'https://conduit.example.test';
const REQUESTED = { passwordReset: { requested: true, linkValiditySeconds: 1800 } };
const LINK = new RegExp(`^${PUBLIC_URL.replace(/\./g, '\\.')}/reset-password#token=([A-Za-z0-9_-]{43})$`, 'm');

/** A documentation address of its own per test (throttling is per address; IPv6 per /64). */
let block = 0;
const freshV6 = () => `2001:db8:${(process.pid % 0xffff).toString(16)}:${(++block).toString(16)}::1`;

describe('Forgot password: a reset link by email, valid once, for a short time', () => {
  let app: NestFastifyApplication;
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    app = await startApp({ SMTP_URL: smtp.url, PUBLIC_URL, TRUSTED_PROXIES: '127.0.0.1/32', PASSWORD_RESET_TTL: '30m', PASSWORD_RESET_MAIL_LIMIT: '3' });
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.stop();
  });
  afterEach(() => jest.restoreAllMocks());

  const ask = (email: string, ip = freshV6()) =>
    http(app).post('/api/users/password-reset').set('X-Forwarded-For', ip).set('User-Agent', 'reset-test/1').send({ user: { email } });
  const complete = (token: string, password: string, ip = freshV6()) =>
    http(app).post('/api/users/password-reset/complete').set('X-Forwarded-For', ip).send({ passwordReset: { token, password } });
  const mailsTo = (email: string) => smtp.received.filter((m) => m.to.includes(email));
  async function linkFor(u: Registered, nth = 1): Promise<string> {
    await app.get(PasswordResetService).settled();
    const deadline = Date.now() + 10_000;
    while (mailsTo(u.email).length < nth && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    const mail = mailsTo(u.email)[nth - 1];
    if (!mail) throw new Error(`no reset mail #${nth} for ${u.email}`);
    return LINK.exec(mail.text)![1];
  }
  const signIn = (u: Registered, password: string) => http(app).post('/api/users/login').send({ user: { email: u.email, password } });

  it('says mail is available and how long a link lasts', async () => {
    const res = await http(app).get('/api/users/password-reset').expect(200);
    expect(res.body).toEqual({ passwordReset: { available: true, linkValiditySeconds: 1800 } });
  });

  it('request → email → link → new password: every session ends, API tokens stay, the link works once', async () => {
    const u = await register(app);
    const second = await signIn(u, u.password).expect(200);
    const secondCookie = String(([] as string[]).concat(second.headers['set-cookie'])[0]).split(';')[0];
    const token = await createToken(app, u.token, { name: 'deploy bot' });

    const ip = freshV6();
    const asked = await ask(u.email.toUpperCase(), ip);
    expect(asked.status).toBe(202);
    expect(asked.body).toEqual(REQUESTED);

    const raw = await linkFor(u);
    const [mail] = mailsTo(u.email);
    expect(mail.subject).toBe('Reset your Conduit password');
    expect(mail.text).toContain(`“${u.username}” from ${ip}`);
    expect(mail.text).toContain('within 30 minutes. It works once');
    expect(mail.text).toContain('every session ends. Your API tokens keep working');
    // Only hashes are stored: neither the reset table nor the outbox holds the token.
    const [row] = await sql<{ token_hash: Buffer }>('SELECT r.token_hash FROM password_resets r JOIN users u ON u.id = r.user_id WHERE u.email = $1', [u.email]);
    expect(row.token_hash.toString('base64url')).not.toBe(raw);
    const outbox = await sql<{ text_body: string }>('SELECT text_body FROM mail_outbox WHERE recipient = $1', [u.email]);
    expect(outbox).toHaveLength(1);
    expect(outbox[0].text_body).not.toContain(raw);
    expect(outbox[0].text_body).toMatch(/reset-password#token=\{\{secret:password-reset:[0-9a-f-]{36}\}\}/);

    await complete(raw, 'a brand new password').expect(204);

    // Every session is over: access tokens and refresh cookies alike.
    for (const session of [u.token, second.body.user.token]) {
      expect((await http(app).get('/api/user').set('Authorization', `Bearer ${session}`)).status).toBe(401);
    }
    for (const cookie of [u.cookie, secondCookie]) expect((await http(app).post('/api/users/refresh').set('Cookie', cookie)).status).toBe(401);
    // The API token still works.
    expect((await http(app).get('/api/user').set('Authorization', `Bearer ${token.raw}`)).body.user.username).toBe(u.username);
    // The old password is refused, the new one signs in.
    expect((await signIn(u, u.password)).status).toBe(401);
    const fresh = await signIn(u, 'a brand new password').expect(200);

    // Once only.
    const again = await complete(raw, 'yet another password');
    expect(again.status).toBe(422);
    expect(again.body).toEqual({ errors: { token: [PASSWORD_RESET_TOKEN_INVALID] } });
    await signIn(u, 'a brand new password').expect(200);

    // On the account's security log, with where the request came from.
    await app.get(SecurityEvents).flush();
    const events = (await allEvents(app, fresh.body.user.token)).filter((e) => e.type.startsWith('account.password_reset'));
    expect(events.map((e) => [e.type, e.ip, e.detail])).toEqual([
      ['account.password_reset_requested', ip, { emailed: true }],
      ['account.password_reset', expect.any(String), {}],
    ]);
    expect(events[0].userAgent).toBe('reset-test/1');
  });

  it('a link expires after PASSWORD_RESET_TTL; asking again voids nothing, but using one voids the others', async () => {
    const u = await register(app);
    await ask(u.email).expect(202);
    const first = await linkFor(u, 1);
    await ask(u.email).expect(202);
    const second = await linkFor(u, 2);
    expect(second).not.toBe(first);

    const clock = app.get(Clock);
    const real = clock.now.bind(clock);
    jest.spyOn(clock, 'now').mockImplementation(() => new Date(real().getTime() + 30 * 60_000 + 1000));
    const late = await complete(first, 'too late for this');
    expect(late.status).toBe(422);
    expect(late.body).toEqual({ errors: { token: [PASSWORD_RESET_TOKEN_INVALID] } });
    jest.restoreAllMocks();

    await complete(second, 'just in time now').expect(204);
    expect((await complete(first, 'the other link')).status).toBe(422); // voided by the use of the second
    await signIn(u, 'just in time now').expect(200);
  });

  it('an unknown email gets the same answer, and no mail is sent', async () => {
    const before = smtp.received.length;
    const nobody = `${unique('nobody')}@example.test`;
    const res = await ask(nobody);
    expect(res.status).toBe(202);
    expect(res.body).toEqual(REQUESTED);
    await app.get(PasswordResetService).settled();
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.received.length).toBe(before);
    expect(await sql('SELECT 1 FROM mail_outbox WHERE recipient = $1', [nobody])).toHaveLength(0);
  });

  it('per account: at most PASSWORD_RESET_MAIL_LIMIT mails an hour, then silently nothing', async () => {
    const u = await register(app);
    for (let i = 0; i < 5; i++) expect((await ask(u.email)).status).toBe(202);
    await linkFor(u, 3);
    await new Promise((r) => setTimeout(r, 300));
    expect(mailsTo(u.email)).toHaveLength(3);
    // An hour later the account may get mail again.
    const clock = app.get(Clock);
    const real = clock.now.bind(clock);
    jest.spyOn(clock, 'now').mockImplementation(() => new Date(real().getTime() + 61 * 60_000));
    await ask(u.email).expect(202);
    await linkFor(u, 4);
  });

  it('bad bodies are a 422 naming the field; a malformed token is refused like an unknown one', async () => {
    const bad = await http(app).post('/api/users/password-reset').send({ user: { email: 'not an email' } });
    expect(bad.status).toBe(422);
    expect(bad.body).toEqual({ errors: { email: ['is invalid'] } });
    const short = await http(app).post('/api/users/password-reset/complete').send({ passwordReset: { token: 'x', password: 'short' } });
    expect(short.status).toBe(422);
    expect(Object.keys(short.body.errors)).toEqual(['password']);
    const forged = await complete('../../etc/passwd', 'long enough password');
    expect(forged.body).toEqual({ errors: { token: [PASSWORD_RESET_TOKEN_INVALID] } });
  });
});

describe('Forgot password: throttled per client address', () => {
  it('requests and unusable links spend the failed-authentication budget of the address (IPv6 per /64); another address is not affected', async () => {
    const smtp = await new TestSmtpServer().start();
    const app = await startApp({ SMTP_URL: smtp.url, AUTH_FAILURE_LIMIT: '3', TRUSTED_PROXIES: '127.0.0.1/32' });
    try {
      const net = `2001:db8:ff${(process.pid % 0xff).toString(16)}:${(Date.now() % 0xffff).toString(16)}`;
      const u = await register(app);
      const ask = (ip: string, email = u.email) => http(app).post('/api/users/password-reset').set('X-Forwarded-For', ip).send({ user: { email } });
      expect((await ask(`${net}::1`)).status).toBe(202);
      expect((await ask(`${net}::2`, `${unique('x')}@example.test`)).status).toBe(202);
      const bad = await http(app).post('/api/users/password-reset/complete').set('X-Forwarded-For', `${net}::3`).send({ passwordReset: { token: 'nope', password: 'long enough password' } });
      expect(bad.status).toBe(422);
      // Same /64: over the limit, for known and unknown emails alike, before anything is looked up.
      for (const email of [u.email, `${unique('y')}@example.test`]) {
        const refused = await ask(`${net}::4`, email);
        expect(refused.status).toBe(429);
        expect(refused.headers['retry-after']).toMatch(/^\d+$/);
        expect(refused.body.errors.email[0]).toMatch(/^too many failed attempts from this address; retry in \d+ seconds$/);
      }
      const refusedComplete = await http(app).post('/api/users/password-reset/complete').set('X-Forwarded-For', `${net}::5`).send({ passwordReset: { token: 'nope', password: 'long enough password' } });
      expect(refusedComplete.status).toBe(429);
      expect((await ask(`2001:db8:eeee:${(Date.now() % 0xffff).toString(16)}::1`)).status).toBe(202);
      await app.get(PasswordResetService).settled();
    } finally {
      await app.close();
      await smtp.stop();
    }
  });

  it('without SMTP_URL: the status says so and a request is a 503 naming mail, whatever the email', async () => {
    const app = await startApp();
    try {
      expect((await http(app).get('/api/users/password-reset').expect(200)).body).toEqual({ passwordReset: { available: false, linkValiditySeconds: 1800 } });
      const u = await register(app);
      for (const email of [u.email, `${unique('z')}@example.test`]) {
        const res = await http(app).post('/api/users/password-reset').send({ user: { email } });
        expect(res.status).toBe(503);
        expect(res.body).toEqual({ errors: { mail: ['is not configured on this server: ask its operator to reset your password'] } });
      }
    } finally {
      await app.close();
    }
  });
});
