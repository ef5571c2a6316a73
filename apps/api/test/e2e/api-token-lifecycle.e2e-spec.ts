import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { sql } from '../support/sql';
import { Clock } from '../../src/common/clock';
import { Db } from '../../src/database/db';
import { createToken, http, register, startApp } from '../support/app';

const DAY = 86_400_000;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const INVALID_TOKEN_CHALLENGE = 'Bearer realm="conduit", error="invalid_token"';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Two app instances on a shared, busy machine: booting both takes a few seconds.
jest.setTimeout(60_000);

/**
 * Two API instances on the same database, whose clocks can be moved together (the injectable
 * Clock: expiry, overlap and the inactive list read it; session JWTs do not).
 */
describe('API token lifecycle: edit, rotate, states, inactive list', () => {
  let a: NestFastifyApplication;
  let b: NestFastifyApplication;
  let offsetMs = 0;
  let frozenAt: number | null = null;
  const now = () => new Date(frozenAt ?? Date.now() + offsetMs);

  beforeAll(async () => {
    a = await startApp();
    b = await startApp();
    for (const app of [a, b]) app.get(Clock).now = now;
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });
  afterEach(() => {
    offsetMs = 0;
    frozenAt = null;
  });

  const bearer = (raw: string) => ({ Authorization: `Bearer ${raw}` });
  const me = (app: NestFastifyApplication, raw: string) => http(app).get('/api/user').set(bearer(raw));
  const patch = (app: NestFastifyApplication, session: string, id: string, body: unknown) =>
    http(app).patch(`/api/user/api-tokens/${id}`).set(bearer(session)).send(body as object);
  const rotate = (app: NestFastifyApplication, session: string, id: string, body?: unknown) => {
    const req = http(app).post(`/api/user/api-tokens/${encodeURIComponent(id)}/rotate`).set(bearer(session));
    return body === undefined ? req : req.send(body as object);
  };
  const confirmPassword = (app: NestFastifyApplication, user: { token: string; password: string }) =>
    http(app).post('/api/user/reauthenticate').set(bearer(user.token)).send({ password: user.password }).expect(204);
  const list = async (app: NestFastifyApplication, session: string, state?: string) => {
    const res = await http(app).get(`/api/user/api-tokens${state ? `?state=${state}` : ''}`).set(bearer(session));
    expect(res.status).toBe(200);
    return res.body.apiTokens as Array<Record<string, unknown>>;
  };

  describe('PATCH /api/user/api-tokens/:id', () => {
    it('renames and re-scopes a token: 200 with the ApiToken, canonical CIDRs; expiry, secret and hint unchanged', async () => {
      const user = await register(a);
      const { raw, id, body: created } = await createToken(a, user.token, { name: 'old name', expiresIn: '7d' });
      const res = await patch(a, user.token, id, { apiToken: { name: '  deploy, production ', allowedIps: ['127.0.0.1', ' 2001:DB8::/32 ', ''] } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        apiToken: {
          ...created.apiToken,
          name: 'deploy, production',
          allowedIps: ['127.0.0.1/32', '2001:db8::/32'],
        },
      });
      expect((await list(b, user.token)).find((t) => t.id === id)).toMatchObject({ name: 'deploy, production', allowedIps: ['127.0.0.1/32', '2001:db8::/32'] });
      expect((await me(b, raw)).status).toBe(200);
      const renamed = await patch(a, user.token, id, { apiToken: { name: 'only the name' } });
      expect(renamed.body.apiToken).toMatchObject({ name: 'only the name', allowedIps: ['127.0.0.1/32', '2001:db8::/32'] });
      const [row] = await sql<{ version: number }>('SELECT version FROM api_tokens WHERE id = $1', [id]);
      expect(row.version).toBe(3);
    });

    it('narrowing the allowlist on instance A refuses the next request on instance B from the removed address, in one query', async () => {
      const user = await register(a);
      const { raw, id } = await createToken(a, user.token, { allowedIps: ['127.0.0.1', '10.0.0.0/8'] });
      expect((await me(b, raw)).status).toBe(200); // B now holds the compiled allowlist
      await patch(a, user.token, id, { apiToken: { allowedIps: ['10.0.0.0/8'] } }).expect(200);

      const db = b.get(Db);
      const calls: string[] = [];
      const original = db.query.bind(db);
      db.query = ((text: string, values?: unknown[], name?: string) => {
        calls.push(name ?? text);
        return original(text, values, name);
      }) as typeof db.query;
      try {
        const refused = await me(b, raw);
        expect(refused.status).toBe(401);
        expect(refused.body).toEqual({ errors: { token: ['is not allowed from 127.0.0.1'] } });
        expect(refused.headers['www-authenticate']).toBe(INVALID_TOKEN_CHALLENGE);
        expect(calls).toEqual(['auth_api_token']);

        await patch(a, user.token, id, { apiToken: { allowedIps: [] } }).expect(200);
        calls.length = 0;
        expect((await me(b, raw)).status).toBe(200);
        expect(calls.filter((c) => c.startsWith('auth_'))).toEqual(['auth_api_token']);
      } finally {
        db.query = original;
      }
    });

    it('changes permissions, effective on the next request on the other instance; rotation keeps them', async () => {
      const user = await register(a);
      const { raw, id } = await createToken(a, user.token);
      expect((await me(b, raw)).status).toBe(200);
      const narrowed = await patch(a, user.token, id, { apiToken: { permissions: { articles: 'read' } } });
      expect(narrowed.status).toBe(200);
      expect(narrowed.body.apiToken.permissions).toEqual({ articles: 'read', comments: 'none', social: 'none', account: 'none' });
      const refused = await me(b, raw);
      expect(refused.status).toBe(403);
      expect(refused.headers['www-authenticate']).toContain('insufficient_scope');
      await patch(a, user.token, id, { apiToken: { permissions: { account: 'read' } } }).expect(200);
      expect((await me(b, raw)).status).toBe(200);

      const rotated = await rotate(a, user.token, id, { rotation: { overlapSeconds: 60 } });
      expect(rotated.body.apiToken.permissions).toEqual({ articles: 'none', comments: 'none', social: 'none', account: 'read' });
      expect((await me(b, rotated.body.token)).status).toBe(200);
      const posted = await http(b).post('/api/articles').set(bearer(rotated.body.token)).send({ article: { title: 't', description: 'd', body: 'b' } });
      expect(posted.status).toBe(403);
    });

    it('answers 422 with the same messages as creation, every bad field at once; nothing is written', async () => {
      const user = await register(a);
      const { id } = await createToken(a, user.token, { name: 'kept' });
      const cases: Array<[unknown, Record<string, string[]>]> = [
        [{ apiToken: { name: '   ' } }, { name: ["can't be blank"] }],
        [{ apiToken: { name: 'x'.repeat(101) } }, { name: ['is too long (maximum is 100 characters)'] }],
        [{ apiToken: { name: 42 } }, { name: ['must be a string'] }],
        [{ apiToken: { allowedIps: 'any' } }, { allowedIps: ['must be a list of IP addresses or CIDRs'] }],
        [{ apiToken: { expiresIn: '90d' } }, { expiresIn: ['cannot be edited; rotate the token to get a new expiry or secret'] }],
        [{ apiToken: { expiresAt: '2030-01-01T00:00:00Z' } }, { expiresAt: ['cannot be edited; rotate the token to get a new expiry or secret'] }],
        [{ apiToken: {} }, { apiToken: ['must change name, allowedIps or permissions'] }],
        [{ apiToken: { permissions: { articles: 'admin' } } }, { permissions: [expect.stringContaining('admin')] }],
        [{}, { apiToken: ["can't be blank"] }],
      ];
      for (const [body, errors] of cases) {
        const res = await patch(a, user.token, id, body);
        expect({ body, status: res.status, errors: res.body.errors }).toEqual({ body, status: 422, errors });
      }
      const created = await http(a).post('/api/user/api-tokens').set(bearer(user.token)).send({ apiToken: { name: 'n', allowedIps: ['10.0.0.1/8', '127.1'] } });
      const edited = await patch(a, user.token, id, { apiToken: { name: '', allowedIps: ['10.0.0.1/8', '127.1'] } });
      expect(edited.status).toBe(422);
      expect(edited.body.errors.allowedIps).toEqual(created.body.errors.allowedIps);
      expect(edited.body.errors.allowedIps.length).toBe(2);
      expect(edited.body.errors.name).toEqual(["can't be blank"]);
      const unknown = await patch(a, user.token, id, { apiToken: { name: 'x', permissionsz: 1 } });
      expect(unknown.status).toBe(422);
      expect((await list(a, user.token)).find((t) => t.id === id)).toMatchObject({ name: 'kept', allowedIps: [] });
    });

    it("answers 404 for an unknown id or someone else's token, 403 for an API token", async () => {
      const user = await register(a);
      const other = await register(a);
      const own = await createToken(a, user.token);
      const foreign = await createToken(a, other.token, { name: 'theirs' });
      for (const id of [foreign.id, '00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
        const res = await patch(a, user.token, encodeURIComponent(id), { apiToken: { name: 'mine now' } });
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ errors: { apiToken: ['not found'] } });
      }
      const byToken = await patch(a, own.raw, own.id, { apiToken: { name: 'self' } });
      expect(byToken.status).toBe(403);
      expect((await list(a, other.token))[0]).toMatchObject({ name: 'theirs' });
    });

    it('answers 409 for a revoked, expired or rotated token, saying which', async () => {
      const user = await register(a);
      const revoked = await createToken(a, user.token);
      await http(a).delete(`/api/user/api-tokens/${revoked.id}`).set(bearer(user.token)).expect(204);
      const rotated = await createToken(a, user.token);
      await rotate(a, user.token, rotated.id).expect(201);
      const expiring = await createToken(a, user.token, { expiresIn: '7d' });
      offsetMs = 7 * DAY + 1000;
      const expected: Array<[string, string]> = [
        [revoked.id, 'has been revoked; it can no longer be edited'],
        [rotated.id, 'has been rotated; it can no longer be edited: edit its replacement instead'],
        [expiring.id, 'has expired; it can no longer be edited'],
      ];
      for (const [id, message] of expected) {
        const res = await patch(a, user.token, id, { apiToken: { name: 'new' } });
        expect(res.status).toBe(409);
        expect(res.body).toEqual({ errors: { apiToken: [message] } });
      }
    });
  });

  describe('POST /api/user/api-tokens/:id/rotate', () => {
    it('issues a new secret with the same name and allowlist; the old one keeps working until retiresAt, announcing it', async () => {
      const user = await register(a);
      const old = await createToken(a, user.token, { name: 'CI', expiresIn: '30d', allowedIps: ['127.0.0.1'] });
      offsetMs = DAY; // a day later: the new expiry counts from now
      await confirmPassword(a, user); // rotation reveals a new secret: a recent password, as for creation
      const before = now().getTime();
      const res = await rotate(a, user.token, old.id, { rotation: { overlapSeconds: 3600 } });
      expect(res.status).toBe(201);
      expect(Object.keys(res.body).sort()).toEqual(['apiToken', 'replaced', 'token']);
      const { token, apiToken, replaced } = res.body;
      expect(token).toMatch(/^conduit_[0-9A-Za-z]{49}$/);
      expect(token).not.toBe(old.raw);
      expect(apiToken).toMatchObject({ name: 'CI', allowedIps: ['127.0.0.1/32'], permissions: old.body.apiToken.permissions, hint: token.slice(-4), state: 'active', retiresAt: null, lastUsedAt: null });
      expect(apiToken.id).not.toBe(old.id);
      const lifetime = Date.parse(apiToken.expiresAt) - before;
      expect(Math.abs(lifetime - 30 * DAY)).toBeLessThan(5000);
      expect(replaced.id).toBe(old.id);
      expect(replaced.retiresAt).toMatch(ISO);
      expect(Math.abs(Date.parse(replaced.retiresAt) - before - 3600_000)).toBeLessThan(5000);

      for (const app of [a, b]) {
        const viaOld = await me(app, old.raw);
        expect(viaOld.status).toBe(200);
        expect(viaOld.headers['conduit-token-expires-at']).toBe(replaced.retiresAt);
        const viaNew = await me(app, token);
        expect(viaNew.status).toBe(200);
        expect(viaNew.headers['conduit-token-expires-at']).toBe(apiToken.expiresAt);
      }
      const listed = await list(b, user.token);
      expect(listed.map((t) => t.id)).toEqual([apiToken.id, old.id]);
      expect(listed[1]).toMatchObject({ state: 'retiring', retiresAt: replaced.retiresAt, endedAt: null, endReason: null });
      expect(JSON.stringify(listed)).not.toContain(token);
    });

    it('keeps Never as Never, and takes an explicit expiresIn or expiresAt', async () => {
      const user = await register(a);
      const never = await createToken(a, user.token, { expiresIn: 'never' });
      const r1 = await rotate(a, user.token, never.id, { rotation: {} });
      expect(r1.status).toBe(201);
      expect(r1.body.apiToken.expiresAt).toBeNull();
      const r2 = await rotate(a, user.token, r1.body.apiToken.id, { rotation: { expiresIn: '7d' } });
      expect(Math.abs(Date.parse(r2.body.apiToken.expiresAt) - Date.now() - 7 * DAY)).toBeLessThan(5000);
      const at = new Date(Date.now() + 3 * DAY).toISOString();
      const r3 = await rotate(a, user.token, r2.body.apiToken.id, { rotation: { expiresAt: at } });
      expect(r3.body.apiToken.expiresAt).toBe(at);
    });

    it('rotates with no overlap when the body is empty or absent: the old secret is refused at once on every instance', async () => {
      const user = await register(a);
      for (const body of [undefined, {}, { rotation: {} }]) {
        const old = await createToken(a, user.token);
        expect((await me(b, old.raw)).status).toBe(200);
        const res = await rotate(a, user.token, old.id, body);
        expect(res.status).toBe(201);
        const refused = await me(b, old.raw);
        expect(refused.status).toBe(401);
        expect(refused.body).toEqual({ errors: { token: ['has been rotated'] } });
        expect(refused.headers['www-authenticate']).toBe(INVALID_TOKEN_CHALLENGE);
        expect((await me(b, res.body.token)).status).toBe(200);
      }
    });

    it('ends the overlap exactly at retiresAt (clock), then refuses the old secret as "has been rotated" and lists it as inactive', async () => {
      const user = await register(a);
      const old = await createToken(a, user.token);
      frozenAt = Date.now();
      const res = await rotate(a, user.token, old.id, { rotation: { overlapSeconds: 5 } });
      const retiresAt = Date.parse(res.body.replaced.retiresAt);
      expect(retiresAt).toBe(frozenAt + 5000);
      frozenAt = retiresAt - 1;
      expect((await me(a, old.raw)).status).toBe(200);
      expect((await me(b, old.raw)).status).toBe(200);
      frozenAt = retiresAt;
      for (const app of [a, b]) {
        const refused = await me(app, old.raw);
        expect(refused.status).toBe(401);
        expect(refused.body).toEqual({ errors: { token: ['has been rotated'] } });
        expect(refused.headers['www-authenticate']).toBe(INVALID_TOKEN_CHALLENGE);
        expect((await me(app, res.body.token)).status).toBe(200);
      }
      expect((await list(a, user.token)).map((t) => t.id)).toEqual([res.body.apiToken.id]);
      expect(await list(a, user.token, 'inactive')).toEqual([
        expect.objectContaining({ id: old.id, state: 'retired', endedAt: res.body.replaced.retiresAt, endReason: 'rotation' }),
      ]);
    });

    it('a real overlap of a couple of seconds: both secrets work on both instances, then only the new one', async () => {
      const user = await register(a);
      const old = await createToken(a, user.token);
      const res = await rotate(a, user.token, old.id, { rotation: { overlapSeconds: 2 } });
      expect(res.status).toBe(201);
      expect((await me(b, old.raw)).status).toBe(200);
      expect((await me(b, res.body.token)).status).toBe(200);
      await sleep(Date.parse(res.body.replaced.retiresAt) - Date.now() + 100);
      expect((await me(b, old.raw)).body).toEqual({ errors: { token: ['has been rotated'] } });
      expect((await me(a, old.raw)).status).toBe(401);
      expect((await me(a, res.body.token)).status).toBe(200);
    });

    it('revoking either side of a rotation ends only that one', async () => {
      const user = await register(a);
      const first = await createToken(a, user.token);
      const r1 = await rotate(a, user.token, first.id, { rotation: { overlapSeconds: 600 } });
      await http(a).delete(`/api/user/api-tokens/${r1.body.apiToken.id}`).set(bearer(user.token)).expect(204);
      expect((await me(b, r1.body.token)).body).toEqual({ errors: { token: ['has been revoked'] } });
      expect((await me(b, first.raw)).status).toBe(200);

      const second = await createToken(a, user.token);
      const r2 = await rotate(a, user.token, second.id, { rotation: { overlapSeconds: 600 } });
      await http(a).delete(`/api/user/api-tokens/${second.id}`).set(bearer(second.raw)).expect(204);
      expect((await me(b, second.raw)).body).toEqual({ errors: { token: ['has been revoked'] } });
      expect((await me(b, r2.body.token)).status).toBe(200);
      const inactive = await list(a, user.token, 'inactive');
      expect(inactive.map((t) => [t.id, t.endReason])).toEqual([
        [second.id, 'token'],
        [r1.body.apiToken.id, 'session'],
      ]);
    });

    it('refuses to rotate a revoked, expired, retired or already retiring token (409), and ids that are not yours (404)', async () => {
      const user = await register(a);
      const other = await register(a);
      const revoked = await createToken(a, user.token);
      await http(a).delete(`/api/user/api-tokens/${revoked.id}`).set(bearer(user.token)).expect(204);
      const retired = await createToken(a, user.token);
      await rotate(a, user.token, retired.id).expect(201);
      const retiring = await createToken(a, user.token);
      await rotate(a, user.token, retiring.id, { rotation: { overlapSeconds: 60 } }).expect(201);
      const expiring = await createToken(a, user.token, { expiresIn: '7d' });
      const foreign = await createToken(a, other.token);
      offsetMs = 7 * DAY + 1000;
      await confirmPassword(a, user);
      const expected: Array<[string, string]> = [
        [revoked.id, 'has been revoked; it can no longer be rotated'],
        [retired.id, 'has been rotated; it can no longer be rotated: rotate its replacement instead'],
        [expiring.id, 'has expired; it can no longer be rotated'],
      ];
      for (const [id, message] of expected) {
        const res = await rotate(a, user.token, id);
        expect({ id, status: res.status, body: res.body }).toEqual({ id, status: 409, body: { errors: { apiToken: [message] } } });
      }
      offsetMs = 0;
      const again = await rotate(a, user.token, retiring.id);
      expect(again.status).toBe(409);
      expect(again.body).toEqual({ errors: { apiToken: ['has already been rotated; rotate its replacement instead'] } });
      for (const id of [foreign.id, '00000000-0000-4000-8000-000000000000', 'nope']) {
        const res = await rotate(a, user.token, id);
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ errors: { apiToken: ['not found'] } });
      }
      expect((await me(a, foreign.raw)).status).toBe(200);
    });

    it('answers 422 naming the bad field, and writes nothing', async () => {
      const user = await register(a);
      const token = await createToken(a, user.token);
      const cases: Array<[unknown, string]> = [
        [{ rotation: { overlapSeconds: -1 } }, 'overlapSeconds'],
        [{ rotation: { overlapSeconds: 604_801 } }, 'overlapSeconds'],
        [{ rotation: { overlapSeconds: 1.5 } }, 'overlapSeconds'],
        [{ rotation: { overlapSeconds: '60' } }, 'overlapSeconds'],
        [{ rotation: { expiresIn: '2d' } }, 'expiresIn'],
        [{ rotation: { expiresAt: 'tomorrow' } }, 'expiresAt'],
        [{ rotation: { expiresAt: '2001-01-01T00:00:00Z' } }, 'expiresAt'],
        [{ rotation: { expiresIn: '7d', expiresAt: '2030-01-01T00:00:00Z' } }, 'expiresAt'],
        [{ rotation: 'now' }, 'rotation'],
        [{ rotation: { name: 'x' } }, 'name'],
      ];
      for (const [body, field] of cases) {
        const res = await rotate(a, user.token, token.id, body);
        expect({ body, status: res.status, fields: Object.keys(res.body.errors ?? {}) }).toEqual({ body, status: 422, fields: [field] });
      }
      expect((await rotate(a, user.token, token.id, { rotation: { overlapSeconds: 604_800 } })).status).toBe(201);
      const rows = await sql('SELECT id FROM api_tokens WHERE user_id = (SELECT user_id FROM api_tokens WHERE id = $1)', [token.id]);
      expect(rows).toHaveLength(2);
    });

    it('is session only: an API token gets 403 and rotates nothing', async () => {
      const user = await register(a);
      const token = await createToken(a, user.token);
      const res = await rotate(a, token.raw, token.id);
      expect(res.status).toBe(403);
      expect((await list(a, user.token)).map((t) => t.state)).toEqual(['active']);
    });

    it('two concurrent rotations of one token: one wins, the other is a 409', async () => {
      const user = await register(a);
      const token = await createToken(a, user.token);
      const results = await Promise.all([rotate(a, user.token, token.id), rotate(b, user.token, token.id)]);
      expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(await list(a, user.token)).toHaveLength(1);
    });
  });

  describe('POST /api/user/api-tokens/current/rotate', () => {
    it('lets a token renew itself: the new secret works, the old one until its overlap ends; a second rotation is refused', async () => {
      const user = await register(a);
      const old = await createToken(a, user.token, { name: 'cron', allowedIps: ['127.0.0.0/8'] });
      const res = await http(a).post('/api/user/api-tokens/current/rotate').set(bearer(old.raw)).send({ rotation: { overlapSeconds: 300 } });
      expect(res.status).toBe(201);
      expect(res.body.apiToken).toMatchObject({ name: 'cron', allowedIps: ['127.0.0.0/8'] });
      expect(res.body.replaced.id).toBe(old.id);
      const current = await http(b).get('/api/user/api-tokens/current').set(bearer(old.raw));
      expect(current.body.apiToken).toMatchObject({ id: old.id, state: 'retiring', retiresAt: res.body.replaced.retiresAt });
      expect(current.headers['conduit-token-expires-at']).toBe(res.body.replaced.retiresAt);
      const again = await http(b).post('/api/user/api-tokens/current/rotate').set(bearer(old.raw));
      expect(again.status).toBe(409);
      const renewed = await http(b).post('/api/user/api-tokens/current/rotate').set(bearer(res.body.token));
      expect(renewed.status).toBe(201);
      expect((await me(b, renewed.body.token)).status).toBe(200);
      expect((await me(b, res.body.token)).status).toBe(401);
    });

    it('refuses a session (403): it is about the token of the request', async () => {
      const user = await register(a);
      const res = await http(a).post('/api/user/api-tokens/current/rotate').set(bearer(user.token));
      expect(res.status).toBe(403);
      expect(res.body.errors.apiToken).toHaveLength(1);
    });
  });

  describe('GET /api/user/api-tokens?state=inactive', () => {
    it('lists what ended in the last 90 days, most recent first, with when and why; the default list stays the active tokens', async () => {
      const user = await register(a);
      const active = await createToken(a, user.token, { name: 'active', expiresIn: 'never' });
      const bySession = await createToken(a, user.token, { name: 'by session', expiresIn: 'never' });
      const byItself = await createToken(a, user.token, { name: 'by itself', expiresIn: 'never' });
      const expires = await createToken(a, user.token, { name: 'expires', expiresIn: '7d' });
      await http(a).delete(`/api/user/api-tokens/${bySession.id}`).set(bearer(user.token)).expect(204);
      offsetMs = 1000;
      await http(a).delete(`/api/user/api-tokens/${byItself.id}`).set(bearer(byItself.raw)).expect(204);
      offsetMs = 8 * DAY;

      const inactive = await list(b, user.token, 'inactive');
      expect(inactive.map((t) => [t.name, t.state, t.endReason])).toEqual([
        ['expires', 'expired', 'expired'],
        ['by itself', 'revoked', 'token'],
        ['by session', 'revoked', 'session'],
      ]);
      expect(inactive[0]).toMatchObject({ id: expires.id, hint: expires.raw.slice(-4), endedAt: expires.body.apiToken.expiresAt });
      for (const t of inactive) expect(t.endedAt).toMatch(ISO);
      expect(JSON.stringify(inactive)).not.toContain('conduit_');
      expect((await list(b, user.token)).map((t) => t.id)).toEqual([active.id]);
      expect((await list(b, user.token, 'active')).map((t) => t.id)).toEqual([active.id]);

      offsetMs = 7 * DAY + 91 * DAY; // the expiry is now more than 90 days ago; the revocations too
      expect(await list(b, user.token, 'inactive')).toEqual([]);
    });

    it('is per user, works with an API token, and refuses an unknown state with 422', async () => {
      const user = await register(a);
      const other = await register(a);
      const theirs = await createToken(a, other.token);
      await http(a).delete(`/api/user/api-tokens/${theirs.id}`).set(bearer(other.token)).expect(204);
      const mine = await createToken(a, user.token);
      expect(await list(a, user.token, 'inactive')).toEqual([]);
      expect(await list(a, mine.raw, 'inactive')).toEqual([]);
      const bad = await http(a).get('/api/user/api-tokens?state=revoked').set(bearer(user.token));
      expect(bad.status).toBe(422);
      expect(bad.body).toEqual({ errors: { state: ['must be one of active, inactive'] } });
    });
  });

  describe('OpenAPI', () => {
    it('documents edit, both rotations and the list states, with their request bodies, responses, errors and security', async () => {
      const doc = (await http(a).get('/api/docs/openapi.json').expect(200)).body;
      const ops: Array<[string, string, string[]]> = [
        // Besides their own answers, every authenticated operation documents 400 (an unreadable URL),
        // 429 and 503, and one with a body 413 and 415 (derived from the route's declaration).
        ['/api/user/api-tokens/{id}', 'patch', ['200', '400', '401', '403', '404', '409', '413', '415', '422', '429', '503']],
        ['/api/user/api-tokens/{id}/rotate', 'post', ['201', '400', '401', '403', '404', '409', '413', '415', '422', '429', '503']],
        ['/api/user/api-tokens/current/rotate', 'post', ['201', '400', '401', '403', '409', '413', '415', '422', '429', '503']],
        ['/api/user/api-tokens', 'get', ['200', '400', '401', '403', '422', '429', '503']],
      ];
      for (const [path, method, statuses] of ops) {
        const op = doc.paths[path]?.[method];
        expect({ path, method, documented: Boolean(op) }).toEqual({ path, method, documented: true });
        expect(Object.keys(op.responses).sort()).toEqual(statuses.sort());
        expect(op.security).toEqual([{ bearer: [] }]);
      }
      expect(doc.paths['/api/user/api-tokens'].get.parameters).toEqual([
        expect.objectContaining({ name: 'state', in: 'query', schema: expect.objectContaining({ enum: ['active', 'inactive'] }) }),
      ]);
      const schemas = doc.components.schemas;
      expect(Object.keys(schemas.RotationBody.properties).sort()).toEqual(['expiresAt', 'expiresIn', 'overlapSeconds']);
      expect(schemas.RotationBody.properties.overlapSeconds).toMatchObject({ minimum: 0, maximum: 604800 });
      expect(Object.keys(schemas.UpdateApiTokenBody.properties).sort()).toEqual(['allowedIps', 'name', 'permissions']);
      expect(Object.keys(schemas.RotateApiTokenResponseDto.properties).sort()).toEqual(['apiToken', 'replaced', 'token']);
      expect(schemas.ApiTokenDto.properties.state.enum).toEqual(['active', 'retiring', 'retired', 'expired', 'revoked']);
    });
  });
});
