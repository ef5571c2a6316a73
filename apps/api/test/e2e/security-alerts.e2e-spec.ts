import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Notification } from '@conduit/contracts';
import { MAIL_OUTBOX_JOB } from '../../src/mail/mail-outbox';
import { Clock } from '../../src/common/clock';
import { SchedulerService } from '../../src/scheduler/scheduler.service';
import { createToken, http, register, Registered, startApp } from '../support/app';
import { settle } from '../support/security-log';
import { TestSmtpServer } from '../support/smtp';

jest.setTimeout(30_000);

const PUBLIC_URL = 'https://conduit.example.test';

/** Alerts: in the app, and by email through a real SMTP server. */
describe('security alerts', () => {
  let app: NestFastifyApplication;
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    app = await startApp({ SMTP_URL: smtp.url, PUBLIC_URL, TRUSTED_PROXIES: '127.0.0.1/32' });
  });
  afterAll(async () => {
    await app.close();
    await smtp.stop();
  });

  const from = (ip: string, raw: string) => http(app).get('/api/user').set('Authorization', `Bearer ${raw}`).set('X-Forwarded-For', ip);
  async function notifications(u: Registered, kind?: string): Promise<Notification[]> {
    await settle(app);
    const res = await http(app).get('/api/user/notifications').set('Authorization', `Bearer ${u.token}`).expect(200);
    return (res.body.notifications as Notification[]).filter((n) => !kind || n.kind === kind);
  }
  async function mailTo(u: Registered, subject: RegExp) {
    await app.get(SchedulerService).run(MAIL_OUTBOX_JOB);
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      const found = smtp.received.filter((m) => m.to.includes(u.email) && subject.test(m.subject));
      if (found.length > 0) return found;
      await new Promise((r) => setTimeout(r, 50));
    }
    return [];
  }

  it('a token used from a new address: what, from where, what to do, with a link; not for its first use', async () => {
    const a = await register(app);
    const t = await createToken(app, a.token, { name: 'nightly build' });
    await from('203.0.113.1', t.raw).set('User-Agent', 'curl/8.5.0').expect(200);
    expect(await notifications(a)).toEqual([]);
    await from('203.0.113.2', t.raw).set('User-Agent', 'curl/8.5.0').expect(200);
    await from('203.0.113.2', t.raw).expect(200);
    const alerts = await notifications(a);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'token_new_ip', tokenId: t.id, readAt: null });
    expect(alerts[0].message).toContain('“nightly build”');
    expect(alerts[0].message).toContain('from 203.0.113.2 (curl 8.5.0), an address it had not been used from recently');
    expect(alerts[0].message).toMatch(/revoke the token/);
    const [mail] = await mailTo(a, /new address/);
    expect(mail.subject).toBe('API token “nightly build” used from a new address');
    expect(mail.text).toContain('203.0.113.2');
    expect(mail.text).toContain(`${PUBLIC_URL}/app/settings/security-log?tokenId=${t.id}`);
  });

  it('new addresses: one alert per token and hour listing them, one email, clients in our words; every address in the log', async () => {
    // Within one clock hour whatever the time of the run: the app's clock runs from half past.
    const start = Date.now();
    const halfPast = Math.floor(start / 3_600_000) * 3_600_000 + 1_800_000;
    const clock = jest.spyOn(app.get(Clock), 'now').mockImplementation(() => new Date(halfPast + Date.now() - start));
    try {
      await floodOfAddresses();
    } finally {
      clock.mockRestore();
    }
  });

  async function floodOfAddresses(): Promise<void> {
    const a = await register(app);
    const t = await createToken(app, a.token, { name: 'flooded' });
    await from('192.0.2.1', t.raw).expect(200); // first use
    await settle(app);
    const phishing = 'Your token leaked! Sign in at https://conduit-security.example/login';
    for (let i = 2; i <= 31; i++) {
      await from(`192.0.2.${i}`, t.raw).set('User-Agent', i === 2 ? phishing : i === 3 ? 'python-requests/2.31.0' : 'curl/8.5.0').expect(200);
    }
    const alerts = await notifications(a, 'token_new_ip');
    expect(alerts).toHaveLength(1);
    const message = alerts[0].message;
    expect(message).toContain('was used from 30 addresses it had not been used from recently, within the hour: ');
    expect(message).toContain('192.0.2.2 (an unrecognised client), 192.0.2.3 (Python requests), 192.0.2.4 (curl 8.5.0)');
    expect(message).toContain('192.0.2.11 (curl 8.5.0), and 20 more (every one is in its activity)');
    expect(message).not.toContain('https://conduit-security.example');
    expect(alerts[0].readAt).toBeNull();
    const log = await http(app).get(`/api/user/security-log?tokenId=${t.id}&type=token.new_ip&limit=100`).set('Authorization', `Bearer ${a.token}`).expect(200);
    expect(log.body.events).toHaveLength(30);
    const mails = await mailTo(a, /“flooded” used from a new address/);
    expect(mails).toHaveLength(1);
    expect(mails[0].text).not.toContain('conduit-security.example');
    // Marked read, then another new address within the hour: the same alert, unread again, with it.
    await http(app).post('/api/user/notifications/read').set('Authorization', `Bearer ${a.token}`).send({ all: true }).expect(204);
    await from('192.0.2.99', t.raw).expect(200);
    const again = await notifications(a, 'token_new_ip');
    expect(again).toHaveLength(1);
    expect(again[0].readAt).toBeNull();
    expect(again[0].message).toContain('was used from 31 addresses');
    expect(await mailTo(a, /“flooded” used from a new address/)).toHaveLength(1);
  }

  it('refused from a disallowed address: one alert per token per hour, however many refusals', async () => {
    const a = await register(app);
    const t = await createToken(app, a.token, { name: 'fenced', allowedIps: ['10.0.0.0/8'] });
    for (let i = 0; i < 3; i++) await from('198.51.100.23', t.raw).expect(401);
    const first = await notifications(a, 'token_refused_ip');
    expect(first).toHaveLength(1);
    expect(first[0].message).toContain('refused 3 times from 198.51.100.23');
    expect(first[0].message).toMatch(/allowlist/);
    // A new window (settle ended the last one), another address: still within the hour.
    await from('198.51.100.24', t.raw).expect(401);
    expect(await notifications(a, 'token_refused_ip')).toHaveLength(1);
    const mails = await mailTo(a, /refused from a disallowed address/);
    expect(mails).toHaveLength(1);
    expect(mails[0].text).toContain('198.51.100.23: its allowlist does not include that address.\nWhen: ');
    expect(mails[0].text).toContain('revoke it now');
  });

  it('a revoked token presented again: an alert saying it was refused and what to check', async () => {
    const a = await register(app);
    const t = await createToken(app, a.token, { name: 'old deploy key' });
    await http(app).delete(`/api/user/api-tokens/${t.id}`).set('Authorization', `Bearer ${a.token}`).expect(204);
    await from('192.0.2.44', t.raw).expect(401);
    const alerts = await notifications(a, 'token_reused');
    expect(alerts).toHaveLength(1);
    expect(alerts[0].message).toContain('which was revoked, was presented again from 192.0.2.44 and refused');
    // The owner revoking it is not alerted about.
    expect(await notifications(a, 'token_revoked')).toEqual([]);
    expect(await mailTo(a, /revoked API token, “old deploy key”, was presented again/)).toHaveLength(1);
  });

  it('revoked by a leak report: an alert naming the token, in the app and by email', async () => {
    const a = await register(app);
    const t = await createToken(app, a.token, { name: 'pasted in a gist' });
    await http(app).post('/api/credentials/revoke').send({ credentials: [t.raw] }).expect(202);
    await http(app).post('/api/credentials/revoke').send({ credentials: [t.raw] }).expect(202);
    const alerts = await notifications(a, 'token_revoked');
    expect(alerts).toHaveLength(1);
    expect(alerts[0].message).toContain('“pasted in a gist”');
    expect(alerts[0].message).toMatch(/reported finding it in public.*Create a new token/);
    const [mail] = await mailTo(a, /was revoked/);
    expect(mail.subject).toBe('API token “pasted in a gist” was revoked');
    expect(mail.text).toContain(`Hello ${a.username},`);
    expect(mail.text).toContain(`${PUBLIC_URL}/app/settings/api-tokens`);
  });
});
