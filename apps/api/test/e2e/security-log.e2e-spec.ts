import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SECURITY_EVENT_TYPES, isSecurityEvent, type SecurityEvent } from '@conduit/contracts';
import { Clock } from '../../src/common/clock';
import { SchedulerService } from '../../src/scheduler/scheduler.service';
import { REFRESH_GRACE_MS } from '../../src/sessions/sessions.service';
import { SECURITY_LOG_PURGE_JOB } from '../../src/security-log/security-log-retention';
import { createToken, http, listen, register, startApp, tamper } from '../support/app';
import { allEvents, securityLog, settle } from '../support/security-log';
import { sql } from '../support/sql';
import { TokenRemindersJob } from '../../src/api-tokens/token-reminders.job';

jest.setTimeout(30_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const types = (events: SecurityEvent[]) => events.map((e) => e.type);
const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });

describe('security log', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app.close();
  });

  describe('account and session events', () => {
    it('sign-up, sign-in, email and password changes, sign-out: each one event with address and user agent', async () => {
      const a = await register(app);
      const login = await http(app)
        .post('/api/users/login')
        .set('User-Agent', `Mozilla/5.0 ${'x'.repeat(300)}`)
        .send({ user: { email: a.email, password: a.password } })
        .expect(200);
      const session = login.body.user.token as string;
      const newEmail = `new-${a.email}`;
      await http(app).put('/api/user').set(bearer(session)).send({ user: { email: newEmail } }).expect(200);
      await http(app).put('/api/user').set(bearer(session)).send({ user: { password: 'another long password', currentPassword: a.password } }).expect(200);
      await http(app).put('/api/user').set(bearer(session)).send({ user: { bio: 'not a security event' } }).expect(200);
      await http(app).post('/api/users/logout').set(bearer(session)).expect(204);
      await http(app).post('/api/users/logout').set(bearer(session)); // already ended: no second event
      const again = await http(app).post('/api/users/login').send({ user: { email: newEmail, password: 'another long password' } }).expect(200);

      const events = await allEvents(app, again.body.user.token);
      expect(types(events)).toEqual([
        'session.signed_in',
        'session.signed_in',
        'account.email_changed',
        'account.password_changed',
        'session.signed_out',
        'session.signed_in',
      ]);
      expect(events[0]).toMatchObject({ ip: '127.0.0.1', tokenId: null, tokenName: null, tokenHint: null, detail: { via: 'registration' } });
      expect(events[1].detail).toEqual({ via: 'password' });
      // Trimmed to 200 characters.
      expect(events[1].userAgent).toBe(`Mozilla/5.0 ${'x'.repeat(188)}`);
      expect(events[2].detail).toEqual({ from: a.email, to: newEmail });
      for (const e of events) {
        expect(e.createdAt).toMatch(ISO);
        expect(e.id).toMatch(/^\d+$/);
        expect(SECURITY_EVENT_TYPES).toContain(e.type);
      }
    });

    it('a reused refresh token: session.reuse_detected', async () => {
      const a = await register(app);
      const first = await http(app).post('/api/users/refresh').set('Cookie', a.cookie).expect(200);
      expect(first.headers['set-cookie']).toBeDefined();
      // Within REFRESH_GRACE_MS the replaced cookie is answered with the same successor (tabs racing): reuse is later.
      const later = jest.spyOn(app.get(Clock), 'now').mockReturnValue(new Date(Date.now() + REFRESH_GRACE_MS + 1000));
      let events: SecurityEvent[];
      try {
        await http(app).post('/api/users/refresh').set('Cookie', a.cookie).expect(401);
        const b = await http(app).post('/api/users/login').send({ user: { email: a.email, password: a.password } }).expect(200);
        events = await allEvents(app, b.body.user.token);
      } finally {
        later.mockRestore();
      }
      expect(types(events)).toEqual(['session.signed_in', 'session.reuse_detected', 'session.signed_in']);
      expect(events[1]).toMatchObject({ ip: '127.0.0.1' });
    });
  });

  describe('token events', () => {
    it('created, revoked by the session, revoked by the token itself: with the token snapshot and detail.by', async () => {
      const a = await register(app);
      const one = await createToken(app, a.token, { name: 'deploy bot' });
      const two = await createToken(app, a.token, { name: 'cron' });
      await http(app).delete(`/api/user/api-tokens/${one.id}`).set(bearer(a.token)).expect(204);
      await http(app).delete(`/api/user/api-tokens/${one.id}`).set(bearer(a.token)).expect(204); // idempotent: one event
      await http(app).delete(`/api/user/api-tokens/${two.id}`).set(bearer(two.raw)).expect(204);
      const events = await allEvents(app, a.token);
      expect(events.map((e) => [e.type, e.tokenName, e.detail])).toEqual([
        ['session.signed_in', null, { via: 'registration' }],
        ['token.created', 'deploy bot', {}],
        ['token.created', 'cron', {}],
        ['token.revoked', 'deploy bot', { by: 'session' }],
        ['token.first_used', 'cron', {}],
        ['token.revoked', 'cron', { by: 'token' }],
      ]);
      expect(events[1]).toMatchObject({ tokenId: one.id, tokenHint: one.raw.slice(-4), ip: '127.0.0.1' });
      expect(events[5]).toMatchObject({ tokenId: two.id, tokenHint: two.raw.slice(-4) });
    });

    it('edited and rotated (by the session, and by the token itself): token.updated names the fields, token.rotated the replacement', async () => {
      const a = await register(app);
      const t = await createToken(app, a.token, { name: 'deploy bot' });
      await http(app).patch(`/api/user/api-tokens/${t.id}`).set(bearer(a.token)).send({ apiToken: { name: 'deploy bot 2', allowedIps: ['127.0.0.1'] } }).expect(200);
      const bySession = await http(app).post(`/api/user/api-tokens/${t.id}/rotate`).set(bearer(a.token)).send({ rotation: { overlapSeconds: 60 } }).expect(201);
      const byItself = await http(app).post('/api/user/api-tokens/current/rotate').set(bearer(bySession.body.token)).send({}).expect(201);
      const events = (await allEvents(app, a.token)).filter((e) => e.type === 'token.updated' || e.type === 'token.rotated');
      expect(events.map((e) => [e.type, e.tokenId, e.tokenName, e.detail])).toEqual([
        ['token.updated', t.id, 'deploy bot 2', { changed: ['name', 'allowedIps'] }],
        ['token.rotated', t.id, 'deploy bot 2', {
          by: 'session', replacedById: bySession.body.apiToken.id, retiresAt: bySession.body.replaced.retiresAt,
          newHint: bySession.body.token.slice(-4), expiresAt: bySession.body.apiToken.expiresAt,
        }],
        ['token.rotated', bySession.body.apiToken.id, 'deploy bot 2', {
          by: 'token', replacedById: byItself.body.apiToken.id, retiresAt: byItself.body.replaced.retiresAt,
          newHint: byItself.body.token.slice(-4), expiresAt: byItself.body.apiToken.expiresAt,
        }],
      ]);
      expect(events[0]).toMatchObject({ ip: '127.0.0.1' });
    });

    it('when a rotation\'s overlap ends, the old token gets token.revoked {by: "rotation"} at that moment, once', async () => {
      const a = await register(app);
      const t = await createToken(app, a.token, { name: 'nightly' });
      const rotated = await http(app).post(`/api/user/api-tokens/${t.id}/rotate`).set(bearer(a.token)).send({ rotation: { overlapSeconds: 60 } }).expect(201);
      const retiresAt: string = rotated.body.replaced.retiresAt;
      const job = app.get(TokenRemindersJob);
      await job.run(); // the overlap is running: nothing yet
      const ended = (events: SecurityEvent[]) => events.filter((e) => e.type === 'token.revoked' && e.tokenId === t.id);
      expect(ended(await allEvents(app, a.token))).toEqual([]);
      const later = jest.spyOn(app.get(Clock), 'now').mockReturnValue(new Date(Date.parse(retiresAt) + 1000));
      try {
        await job.run();
        await job.run(); // once, however often the job runs
      } finally {
        later.mockRestore();
      }
      const events = ended(await allEvents(app, a.token));
      expect(events.map((e) => [e.createdAt, e.tokenName, e.tokenHint, e.detail])).toEqual([
        [retiresAt, 'nightly', t.raw.slice(-4), { by: 'rotation', replacedById: rotated.body.apiToken.id }],
      ]);
      // The replacement goes on; a token revoked during its overlap is not announced twice.
      const again = await http(app).post(`/api/user/api-tokens/${rotated.body.apiToken.id}/rotate`).set(bearer(a.token)).send({ rotation: { overlapSeconds: 60 } }).expect(201);
      await http(app).delete(`/api/user/api-tokens/${rotated.body.apiToken.id}`).set(bearer(a.token)).expect(204);
      const afterIt = jest.spyOn(app.get(Clock), 'now').mockReturnValue(new Date(Date.parse(again.body.replaced.retiresAt) + 1000));
      try {
        await job.run();
      } finally {
        afterIt.mockRestore();
      }
      const second = (await allEvents(app, a.token)).filter(isSecurityEvent('token.revoked')).filter((e) => e.tokenId === rotated.body.apiToken.id);
      expect(second.map((e) => e.detail.by)).toEqual(['session']);
    });

    it('refusals of a known token are one event per token, reason and address, carrying the count', async () => {
      const a = await register(app);
      const revoked = await createToken(app, a.token, { name: 'revoked one' });
      await http(app).delete(`/api/user/api-tokens/${revoked.id}`).set(bearer(a.token)).expect(204);
      const fenced = await createToken(app, a.token, { name: 'fenced', allowedIps: ['203.0.113.0/24'] });
      const expiring = await createToken(app, a.token, { name: 'short', expiresAt: new Date(Date.now() + 1500).toISOString() });
      const rotated = await createToken(app, a.token, { name: 'rotated away' });
      // The end of a rotation's overlap window, without waiting for it.
      await sql(`UPDATE api_tokens SET retires_at = now() - interval '1 second', version = version + 1 WHERE id = $1`, [rotated.id]);
      await settle(app);
      await http(app).get('/api/user').set(bearer(rotated.raw)).expect(401);
      const narrow = await createToken(app, a.token, { name: 'articles only', permissions: { articles: 'read' } });
      await http(app).get('/api/user').set(bearer(narrow.raw)).expect(403);
      await http(app).get('/api/user').set(bearer(narrow.raw)).expect(403);
      for (let i = 0; i < 5; i++) await http(app).get('/api/user').set(bearer(revoked.raw)).expect(401);
      for (let i = 0; i < 3; i++) await http(app).get('/api/user').set(bearer(fenced.raw)).expect(401);
      await sleep(1600);
      await http(app).get('/api/user').set(bearer(expiring.raw)).expect(401);
      // Unknown and malformed tokens belong to nobody: nothing in anyone's log.
      await http(app).get('/api/user').set(bearer(tamper(revoked.raw))).expect(401);

      const refused = (await allEvents(app, a.token, '&type=token.refused')).filter(isSecurityEvent('token.refused')).map((e) => [e.tokenName, e.ip, e.detail.reason, e.detail.count]);
      expect(refused).toEqual([
        ['rotated away', '127.0.0.1', 'rotated', 1],
        ['articles only', '127.0.0.1', 'insufficient_permission', 2],
        ['revoked one', '127.0.0.1', 'revoked', 5],
        ['fenced', '127.0.0.1', 'ip_not_allowed', 3],
        ['short', '127.0.0.1', 'expired', 1],
      ]);
    });

  });

  describe('GET /api/user/security-log', () => {
    it('pages newest first with a keyset cursor and filters by token and type; only the own account', async () => {
      const a = await register(app);
      const other = await register(app);
      const tokens = [];
      for (let i = 0; i < 7; i++) tokens.push(await createToken(app, a.token, { name: `t${i}` }));
      await createToken(app, other.token, { name: 'not yours' });
      await http(app).delete(`/api/user/api-tokens/${tokens[2].id}`).set(bearer(a.token)).expect(204);
      await settle(app);

      const seen: SecurityEvent[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await securityLog(app, a.token, `?limit=3${cursor ? `&before=${cursor}` : ''}`);
        expect(page.events.length).toBeLessThanOrEqual(3);
        seen.push(...page.events);
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen.map((e) => e.type)).toEqual(['token.revoked', ...Array(7).fill('token.created'), 'session.signed_in']);
      expect(seen.map((e) => e.tokenName).slice(0, 8)).toEqual(['t2', 't6', 't5', 't4', 't3', 't2', 't1', 't0']);
      const times = seen.map((e) => Date.parse(e.createdAt));
      expect([...times].sort((x, y) => y - x)).toEqual(times);
      expect(new Set(seen.map((e) => e.id)).size).toBe(seen.length);
      expect(seen.some((e) => e.tokenName === 'not yours')).toBe(false);

      const byToken = await securityLog(app, a.token, `?tokenId=${tokens[2].id}`);
      expect(byToken.events.map((e) => e.type)).toEqual(['token.revoked', 'token.created']);
      expect(byToken.nextCursor).toBeNull();
      const byType = await securityLog(app, a.token, '?type=token.created&limit=5');
      expect(byType.events).toHaveLength(5);
      expect(byType.events.every((e) => e.type === 'token.created')).toBe(true);
      const rest = await securityLog(app, a.token, `?type=token.created&limit=5&before=${byType.nextCursor}`);
      expect(rest.events.map((e) => e.tokenName)).toEqual(['t1', 't0']);
      expect(rest.nextCursor).toBeNull();
      const both = await securityLog(app, a.token, `?type=token.revoked&tokenId=${tokens[3].id}`);
      expect(both).toEqual({ events: [], nextCursor: null });
      // Someone else's token id filters to nothing.
      const theirs = await securityLog(app, other.token, `?tokenId=${tokens[0].id}`);
      expect(theirs).toEqual({ events: [], nextCursor: null });
    });

    it('events of the same instant: newest id first on every page, whatever the number of digits', async () => {
      const a = await register(app);
      const me = (await http(app).get('/api/user').set(bearer(a.token)).expect(200)).body.user;
      const [{ id: userId }] = await sql<{ id: string }>('SELECT id FROM users WHERE username = $1', [me.username]);
      // Ids far above the sequence: 13 and 14 digits, where text order and number order disagree.
      const at = new Date(Date.now() + 60_000);
      const rows = [
        ['9000000000009', 'token.created'],
        ['10000000000000', 'token.updated'],
        ['10000000000001', 'token.revoked'],
      ];
      for (const [id, type] of rows) {
        await sql(
          `INSERT INTO security_events (id, user_id, type, created_at) OVERRIDING SYSTEM VALUE VALUES ($1, $2, $3, $4)`,
          [id, userId, type, at],
        );
      }
      try {
        const seen: SecurityEvent[] = [];
        let cursor: string | null = null;
        do {
          const page = await securityLog(app, a.token, `?limit=1${cursor ? `&before=${cursor}` : ''}`);
          seen.push(...page.events);
          cursor = page.nextCursor;
        } while (cursor);
        expect(seen.slice(0, 3).map((e) => [e.id, e.type])).toEqual([...rows].reverse());
        expect(seen.map((e) => e.type)).toEqual(['token.revoked', 'token.updated', 'token.created', 'session.signed_in']);
      } finally {
        await sql('DELETE FROM security_events WHERE user_id = $1', [userId]);
      }
    });

    it.each([
      ['?limit=0', 'limit'],
      ['?limit=101', 'limit'],
      ['?limit=abc', 'limit'],
      ['?limit=1&limit=2', 'limit'],
      ['?before=garbage!', 'before'],
      ['?before=bm90IGEgY3Vyc29y', 'before'],
      ['?tokenId=123', 'tokenId'],
      ['?type=token.exploded', 'type'],
    ])('%s → 422 naming %s', async (query, field) => {
      const a = await register(app);
      const res = await http(app).get(`/api/user/security-log${query}`).set(bearer(a.token));
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.errors)).toEqual([field]);
    });

    it('an unknown parameter is a 422 naming it; no credentials 401; an API token gets the session-only 403', async () => {
      const a = await register(app);
      const bad = await http(app).get('/api/user/security-log?sort=asc').set(bearer(a.token));
      expect(bad.status).toBe(422);
      expect(Object.keys(bad.body.errors)).toEqual(['sort']);
      expect((await http(app).get('/api/user/security-log')).status).toBe(401);
      const t = await createToken(app, a.token);
      const forbidden = await http(app).get('/api/user/security-log').set(bearer(t.raw));
      expect(forbidden.status).toBe(403);
      expect(forbidden.body).toEqual({ errors: { token: [expect.stringContaining('cannot be used for this action')] } });
    });
  });
  describe('retention', () => {
    it('the scheduled purge deletes events older than SECURITY_LOG_RETENTION (90 days), keeps the rest', async () => {
      const a = await register(app);
      await settle(app);
      const [{ id: userId }] = await sql<{ id: string }>('SELECT id FROM users WHERE username = $1', [a.username]);
      await sql(
        `INSERT INTO security_events (user_id, type, created_at, detail) VALUES
           ($1, 'session.signed_in', now() - interval '91 days', '{"via":"password"}'),
           ($1, 'session.signed_out', now() - interval '89 days', '{}')`,
        [userId],
      );
      expect(types(await allEvents(app, a.token))).toEqual(['session.signed_in', 'session.signed_out', 'session.signed_in']);
      expect(app.get(SchedulerService).jobNames).toContain(SECURITY_LOG_PURGE_JOB);
      await app.get(SchedulerService).run(SECURITY_LOG_PURGE_JOB);
      const left = await allEvents(app, a.token);
      expect(types(left)).toEqual(['session.signed_out', 'session.signed_in']);
      expect(left[1].detail).toEqual({ via: 'registration' });
    });
  });

  // Last: each starts servers of its own, and Passport strategies are process-wide (the newest
  // server's), so the shared server is not used once these have run.
  describe('with servers of their own', () => {
    it('a refusal window ends on its own after SECURITY_LOG_REFUSAL_WINDOW and the next refusals start a new event', async () => {
      const quick = await startApp({ SECURITY_LOG_REFUSAL_WINDOW: '1s' });
      try {
        const a = await register(quick);
        const t = await createToken(quick, a.token);
        await http(quick).delete(`/api/user/api-tokens/${t.id}`).set(bearer(a.token)).expect(204);
        await http(quick).get('/api/user').set(bearer(t.raw)).expect(401);
        await http(quick).get('/api/user').set(bearer(t.raw)).expect(401);
        // No flush here: the window closes by itself and the batch is written shortly after.
        await sleep(2800);
        const page = await securityLog(quick, a.token, '?type=token.refused');
        expect(page.events.filter(isSecurityEvent('token.refused')).map((e) => e.detail.count)).toEqual([2]);
        await http(quick).get('/api/user').set(bearer(t.raw)).expect(401);
        await sleep(2800);
        expect((await securityLog(quick, a.token, '?type=token.refused')).events.filter(isSecurityEvent('token.refused')).map((e) => e.detail.count)).toEqual([1, 2]);
      } finally {
        await quick.close();
      }
    }, 20_000);

    it('first use, then a new address (127.0.0.1, then ::1); known addresses write nothing; recent IPs on the token', async () => {
      const dual = await startApp();
      try {
        const base = await listen(dual, '::');
        const port = new URL(base).port;
        const a = await register(dual);
        const t = await createToken(dual, a.token);
        const use = (host: string) => fetch(`http://${host}:${port}/api/user`, { headers: { ...bearer(t.raw), 'User-Agent': 'ci-runner/1.0' } });
        for (let i = 0; i < 3; i++) expect((await use('127.0.0.1')).status).toBe(200);
        await settle(dual);
        for (let i = 0; i < 3; i++) expect((await use('[::1]')).status).toBe(200);
        await settle(dual);
        expect((await use('127.0.0.1')).status).toBe(200);
        const events = (await allEvents(dual, a.token)).filter((e) => e.tokenId === t.id);
        expect(events.map((e) => [e.type, e.ip, e.userAgent])).toEqual([
          ['token.created', '127.0.0.1', null],
          ['token.first_used', '127.0.0.1', 'ci-runner/1.0'],
          ['token.new_ip', '::1', 'ci-runner/1.0'],
        ]);
        expect(events[2]).toMatchObject({ tokenName: t.body.apiToken.name, tokenHint: t.raw.slice(-4) });
        const list = await http(dual).get('/api/user/api-tokens').set(bearer(a.token)).expect(200);
        const recent = list.body.apiTokens[0].recentIps as Array<{ ip: string; lastSeenAt: string }>;
        expect(recent.map((r) => r.ip).sort()).toEqual(['127.0.0.1', '::1']);
        for (const r of recent) expect(r.lastSeenAt).toMatch(ISO);
        const current = await http(dual).get('/api/user/api-tokens/current').set(bearer(t.raw)).expect(200);
        expect(current.body.apiToken.recentIps).toHaveLength(2);
      } finally {
        await dual.close();
      }
    });

    it('an address that fell out of the last 5 is new again when it comes back to the same instance', async () => {
      const env = { TRUSTED_PROXIES: '127.0.0.1/32' };
      const one = await startApp(env);
      try {
        const a = await register(one);
        const t = await createToken(one, a.token);
        const from = (ip: string) => http(one).get('/api/user').set(bearer(t.raw)).set('X-Forwarded-For', ip).expect(200);
        for (let i = 1; i <= 6; i++) {
          await from(`198.51.100.${i}`);
          await settle(one);
          await sleep(5);
        }
        // Later (past the moments when a new address may still be in flight), .1 comes back; .6 is among the last 5.
        const later = jest.spyOn(one.get(Clock), 'now').mockReturnValue(new Date(Date.now() + 60_000));
        try {
          await from('198.51.100.1');
          await from('198.51.100.6');
          await settle(one);
        } finally {
          later.mockRestore();
        }
        const events = (await allEvents(one, a.token)).filter((e) => e.tokenId === t.id && e.type !== 'token.created');
        expect(events.map((e) => [e.type, e.ip])).toEqual([
          ['token.first_used', '198.51.100.1'],
          ...[2, 3, 4, 5, 6].map((i) => ['token.new_ip', `198.51.100.${i}`]),
          ['token.new_ip', '198.51.100.1'],
        ]);
      } finally {
        await one.close();
      }
    });

    it('keeps the last 5 distinct addresses; an address among them is not new to another instance, an older one is', async () => {
      const env = { TRUSTED_PROXIES: '127.0.0.1/32' };
      const one = await startApp(env);
      const a = await register(one);
      const t = await createToken(one, a.token);
      const from = (target: NestFastifyApplication, ip: string) =>
        http(target).get('/api/user').set(bearer(t.raw)).set('X-Forwarded-For', ip).expect(200);
      try {
        for (let i = 1; i <= 6; i++) {
          await from(one, `203.0.113.${i}`);
          await settle(one);
          await sleep(5);
        }
        const list = await http(one).get('/api/user/api-tokens').set(bearer(a.token)).expect(200);
        expect(list.body.apiTokens[0].recentIps.map((r: { ip: string }) => r.ip)).toEqual([
          '203.0.113.6', '203.0.113.5', '203.0.113.4', '203.0.113.3', '203.0.113.2',
        ]);
      } finally {
        await one.close();
      }
      const two = await startApp(env);
      try {
        await from(two, '203.0.113.4'); // among the last 5: not new
        await from(two, '203.0.113.1'); // pushed out of the last 5: new again
        const events = (await allEvents(two, a.token)).filter((e) => e.tokenId === t.id && e.type !== 'token.created');
        expect(events.map((e) => [e.type, e.ip])).toEqual([
          ['token.first_used', '203.0.113.1'],
          ['token.new_ip', '203.0.113.2'],
          ['token.new_ip', '203.0.113.3'],
          ['token.new_ip', '203.0.113.4'],
          ['token.new_ip', '203.0.113.5'],
          ['token.new_ip', '203.0.113.6'],
          ['token.new_ip', '203.0.113.1'],
        ]);
      } finally {
        await two.close();
      }
    });
  });
});
