import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { sql } from '../support/sql';
import { isSecurityEvent, type Notification, type SecurityEventOf } from '@conduit/contracts';
import { TokenRemindersJob } from '../../src/api-tokens/token-reminders.job';
import { formatInstant } from '../../src/notifications/notification-texts';
import { MAIL_OUTBOX_JOB } from '../../src/mail/mail-outbox';
import { SchedulerService } from '../../src/scheduler/scheduler.service';
import { createToken, http, register, Registered, startApp } from '../support/app';
import { allEvents, settle } from '../support/security-log';
import { TestSmtpServer } from '../support/smtp';

jest.setTimeout(60_000);

const DAY = 86_400_000;
const bearer = (raw: string) => ({ Authorization: `Bearer ${raw}` });

/**
 * A leaked token rotating itself: it can renew its secret but not its life, and whatever it
 * rotated itself into goes when it is revoked, whichever way it is revoked; its owner hears of
 * each self-rotation.
 */
describe('self-rotation: bounded, followed by every revocation, announced', () => {
  let app: NestFastifyApplication;
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    smtp = await new TestSmtpServer().start();
    app = await startApp({ SMTP_URL: smtp.url, PUBLIC_URL: 'https://conduit.example.test', TRUSTED_PROXIES: '127.0.0.1/32', TOKEN_INACTIVITY_REVOKE: '30d' });
  });
  afterAll(async () => {
    await app.close();
    await smtp.stop();
  });

  const me = (raw: string) => http(app).get('/api/user').set(bearer(raw));
  const selfRotate = (raw: string, rotation: Record<string, unknown> = {}) =>
    http(app).post('/api/user/api-tokens/current/rotate').set(bearer(raw)).set('X-Forwarded-For', '198.51.100.7').send({ rotation });
  async function chain(u: Registered, expiresIn = '7d') {
    const a = await createToken(app, u.token, { name: 'deploy', expiresIn });
    const b = await selfRotate(a.raw, { overlapSeconds: 604800 }).expect(201);
    const c = await selfRotate(b.body.token, { overlapSeconds: 3600 }).expect(201);
    return { a, b: { raw: b.body.token as string, id: b.body.apiToken.id as string }, c: { raw: c.body.token as string, id: c.body.apiToken.id as string } };
  }
  async function notifications(u: Registered, kind: string): Promise<Notification[]> {
    await settle(app);
    await new Promise((r) => setTimeout(r, 50));
    const res = await http(app).get('/api/user/notifications').set(bearer(u.token)).expect(200);
    return (res.body.notifications as Notification[]).filter((n) => n.kind === kind);
  }
  const revokedEvents = async (u: Registered): Promise<Array<SecurityEventOf<'token.revoked'>>> => (await allEvents(app, u.token)).filter(isSecurityEvent('token.revoked'));
  const hint = (raw: string) => raw.slice(-4);

  it('a token rotating itself cannot extend its life: a later expiry or Never is a 422 that says so; by default it keeps its expiry', async () => {
    const u = await register(app);
    const t = await createToken(app, u.token, { expiresIn: '7d' });
    const own = new Date((await http(app).get('/api/user/api-tokens/current').set(bearer(t.raw)).expect(200)).body.apiToken.expiresAt);
    const never = await selfRotate(t.raw, { overlapSeconds: 604800, expiresIn: 'never' });
    expect(never.status).toBe(422);
    expect(never.body.errors.expiresIn[0]).toMatch(/^cannot be later than this token's own expiry \(.*\) when a token rotates itself/);
    const later = await selfRotate(t.raw, { expiresAt: new Date(own.getTime() + DAY).toISOString() });
    expect(later.status).toBe(422);
    expect(Object.keys(later.body.errors)).toEqual(['expiresAt']);
    expect((await selfRotate(t.raw, { expiresIn: '30d' })).status).toBe(422);
    // Nothing was written by the refusals: the token is still active and usable.
    await me(t.raw).expect(200);

    const kept = await selfRotate(t.raw, { overlapSeconds: 60 }).expect(201);
    expect(kept.body.apiToken.expiresAt).toBe(own.toISOString());
    const earlier = new Date(own.getTime() - DAY).toISOString();
    const shorter = await selfRotate(kept.body.token, { expiresAt: earlier }).expect(201);
    expect(shorter.body.apiToken.expiresAt).toBe(earlier);

    // A Never token may stay Never; the owner's session keeps today's rules (the lifetime again from now).
    const forever = await createToken(app, u.token, { expiresIn: 'never' });
    expect((await selfRotate(forever.raw, { expiresIn: 'never' }).expect(201)).body.apiToken.expiresAt).toBeNull();
    const bySession = await http(app).post(`/api/user/api-tokens/${t.id}/rotate`).set(bearer(u.token)).send({ rotation: { expiresIn: 'never' } });
    expect(bySession.status).toBe(409); // already rotated; a fresh one:
    const fresh = await createToken(app, u.token, { expiresIn: '7d' });
    expect((await http(app).post(`/api/user/api-tokens/${fresh.id}/rotate`).set(bearer(u.token)).send({ rotation: { expiresIn: 'never' } }).expect(201)).body.apiToken.expiresAt).toBeNull();
  });

  it('the owner revoking the original revokes everything it rotated itself into; the event and the alert name them', async () => {
    const u = await register(app);
    const { a, b, c } = await chain(u);
    await me(c.raw).expect(200);
    await http(app).delete(`/api/user/api-tokens/${a.id}`).set(bearer(u.token)).expect(204);
    for (const raw of [a.raw, b.raw, c.raw]) expect((await me(raw)).body).toEqual({ errors: { token: ['has been revoked'] } });
    const publish = await http(app).post('/api/articles').set(bearer(c.raw)).send({ article: { title: 'x', description: 'x', body: 'x' } });
    expect(publish.status).toBe(401);
    const list = await http(app).get('/api/user/api-tokens').set(bearer(u.token)).expect(200);
    expect(list.body.apiTokens).toEqual([]);

    const events = await revokedEvents(u);
    expect(events.map((e) => [e.tokenId, e.detail])).toEqual([
      [a.id, { by: 'session', revokedWith: [{ id: b.id, name: 'deploy', hint: hint(b.raw) }, { id: c.id, name: 'deploy', hint: hint(c.raw) }] }],
      [b.id, { by: 'session', revokedWithId: a.id }],
      [c.id, { by: 'session', revokedWithId: a.id }],
    ]);
    const [alert] = await notifications(u, 'token_revoked');
    expect(alert.tokenId).toBe(a.id);
    expect(alert.message).toContain(`With it went the 2 tokens it had rotated itself into: “deploy” (…${hint(b.raw)}), “deploy” (…${hint(c.raw)})`);
  });

  it('revoking the old side of a rotation made with the session ends only that side', async () => {
    const u = await register(app);
    const a = await createToken(app, u.token, { name: 'rotated by the owner' });
    const b = await http(app).post(`/api/user/api-tokens/${a.id}/rotate`).set(bearer(u.token)).send({ rotation: { overlapSeconds: 600 } }).expect(201);
    const c = await selfRotate(b.body.token, { overlapSeconds: 600 }).expect(201);
    await http(app).delete(`/api/user/api-tokens/${a.id}`).set(bearer(u.token)).expect(204);
    expect((await me(a.raw)).status).toBe(401);
    await me(b.body.token).expect(200); // retiring, still usable
    await me(c.body.token).expect(200);
    expect((await revokedEvents(u)).map((e) => [e.tokenId, e.detail])).toEqual([[a.id, { by: 'session' }]]);
    // Revoking the owner's replacement takes what it rotated itself into.
    await http(app).delete(`/api/user/api-tokens/${b.body.apiToken.id}`).set(bearer(u.token)).expect(204);
    expect((await me(c.body.token)).status).toBe(401);
  });

  it('a token revoking itself takes its self-rotations with it', async () => {
    const u = await register(app);
    const { a, b, c } = await chain(u);
    await http(app).delete(`/api/user/api-tokens/${a.id}`).set(bearer(a.raw)).expect(204);
    for (const raw of [b.raw, c.raw]) expect((await me(raw)).status).toBe(401);
    const events = await revokedEvents(u);
    expect(events[0]).toMatchObject({ tokenId: a.id, detail: { by: 'token', revokedWith: [{ id: b.id }, { id: c.id }] } });
    expect(events.slice(1).map((e) => e.detail)).toEqual([{ by: 'token', revokedWithId: a.id }, { by: 'token', revokedWithId: a.id }]);
  });

  it('a leak report of the original revokes what it rotated itself into, also once the original has retired', async () => {
    const u = await register(app);
    // Retiring (inside its overlap): the case.
    const { a, b, c } = await chain(u);
    await http(app).post('/api/credentials/revoke').send({ credentials: [a.raw] }).expect(202);
    for (const raw of [a.raw, b.raw, c.raw]) expect((await me(raw)).status).toBe(401);
    // Retired at once (no overlap): the report of the dead original still finds its heir.
    const d = await createToken(app, u.token, { name: 'ci' });
    const e = await selfRotate(d.raw).expect(201);
    expect((await me(d.raw)).body).toEqual({ errors: { token: ['has been rotated'] } });
    await http(app).post('/api/credentials/revoke').send({ credentials: [d.raw] }).expect(202);
    expect((await me(e.body.token)).body).toEqual({ errors: { token: ['has been revoked'] } });

    const events = await revokedEvents(u);
    expect(events.map((x) => [x.tokenId, x.detail.by, x.detail.revokedWithId ?? null])).toEqual([
      [a.id, 'leak_report', null], [b.id, 'leak_report', a.id], [c.id, 'leak_report', a.id],
      [d.id, 'leak_report', null], [e.body.apiToken.id, 'leak_report', d.id],
    ]);
    const alerts = await notifications(u, 'token_revoked');
    expect(alerts.map((n) => n.tokenId).sort()).toEqual([a.id, d.id].sort());
    expect(alerts.find((n) => n.tokenId === d.id)?.message).toContain(`With it went the token it had rotated itself into: “ci” (…${hint(e.body.token)})`);
  });

  it('inactivity revokes through the same step: logged as token.revoked by inactivity (a rotated token is never idle-revoked, so nothing goes with it)', async () => {
    const u = await register(app);
    const idle = await createToken(app, u.token, { name: 'idle', expiresIn: 'never' });
    const { c } = await chain(u, 'never');
    await sql(`UPDATE api_tokens SET created_at = now() - interval '40 days' WHERE id = $1`, [idle.id]);
    await app.get(TokenRemindersJob).run();
    expect((await me(idle.raw)).status).toBe(401);
    await me(c.raw).expect(200);
    const events = (await revokedEvents(u)).map((e) => [e.tokenId, e.detail]);
    expect(events).toEqual([[idle.id, { by: 'inactivity' }]]);
    expect(await notifications(u, 'token_revoked')).toHaveLength(1);
  });

  it('a token rotating itself alerts its owner: which token, from where, the new hint and expiry, in the app and by email', async () => {
    const u = await register(app);
    const t = await createToken(app, u.token, { name: 'release bot', expiresIn: '7d' });
    const res = await selfRotate(t.raw, { overlapSeconds: 60 }).expect(201);
    const [alert] = await notifications(u, 'token_self_rotated');
    expect(alert.tokenId).toBe(t.id);
    expect(alert.message).toContain(`Your API token “release bot” (…${hint(t.raw)}) rotated itself from 198.51.100.7`);
    expect(alert.message).toContain(
      `the new token ends in …${hint(res.body.token)} and expires on ${formatInstant(new Date(res.body.apiToken.expiresAt), 'UTC')}; ` +
        `the old secret stops working on ${formatInstant(new Date(res.body.replaced.retiresAt), 'UTC')}.`,
    );
    expect(alert.message).toMatch(/revoke the old token now, and the new one goes with it/);
    // The owner's own rotation is no news to them.
    const other = await createToken(app, u.token, { name: 'manual' });
    await http(app).post(`/api/user/api-tokens/${other.id}/rotate`).set(bearer(u.token)).send({}).expect(201);
    expect(await notifications(u, 'token_self_rotated')).toHaveLength(1);

    await app.get(SchedulerService).run(MAIL_OUTBOX_JOB);
    const deadline = Date.now() + 5000;
    let mails = smtp.received.filter((m) => m.to.includes(u.email) && /rotated itself/.test(m.subject));
    while (mails.length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      mails = smtp.received.filter((m) => m.to.includes(u.email) && /rotated itself/.test(m.subject));
    }
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe('API token “release bot” rotated itself');
    expect(mails[0].text).toContain(`…${hint(res.body.token)}`);
    expect(mails[0].text).toContain('198.51.100.7');
  });
});
