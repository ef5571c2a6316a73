import { createHash, createHmac } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { sql } from '../support/sql';
import { SecretsService } from '../../src/config/secrets.service';
import { createToken, http, register, startApp } from '../support/app';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('API tokens: create, list, inspect, revoke', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app.close();
  });

  describe('POST /api/user/api-tokens', () => {
    it('creates a token: 201 with the ApiToken shape and the raw conduit_ token, shown in this response only', async () => {
      const a = await register(app);
      const before = Date.now();
      const res = await http(app)
        .post('/api/user/api-tokens')
        .set('Authorization', `Bearer ${a.token}`)
        .send({ apiToken: { name: 'GitHub Actions, staging', expiresIn: '30d', allowedIps: ['203.0.113.0/24', ' 2001:DB8::/32 ', '', '203.0.113.0/24'] } });
      expect(res.status).toBe(201);
      const { apiToken, token } = res.body;
      expect(token).toMatch(/^conduit_[0-9A-Za-z]{49}$/);
      expect(apiToken).toEqual({
        id: expect.any(String),
        name: 'GitHub Actions, staging',
        hint: token.slice(-4),
        createdAt: expect.stringMatching(ISO),
        expiresAt: expect.stringMatching(ISO),
        allowedIps: ['203.0.113.0/24', '2001:db8::/32'],
        lastUsedAt: null,
        lastUsedIp: null,
        recentIps: [],
        // No permissions in the request: write on everything, what tokens could always do.
        permissions: { articles: 'write', comments: 'write', social: 'write', account: 'write' },
        state: 'active',
        retiresAt: null,
        endedAt: null,
        endReason: null,
      });
      const days = (Date.parse(apiToken.expiresAt) - before) / 86_400_000;
      expect(days).toBeGreaterThan(29.99);
      expect(days).toBeLessThan(30.01);
      const list = await http(app).get('/api/user/api-tokens').set('Authorization', `Bearer ${a.token}`);
      expect(JSON.stringify(list.body)).not.toContain(token);
    });

    it('stores only a keyed hash of the token (HMAC-SHA-256 under the server key), nowhere the raw value', async () => {
      const a = await register(app);
      const { raw, id } = await createToken(app, a.token);
      const [row] = await sql<{ token_hash: Buffer; hint: string }>('SELECT token_hash, hint FROM api_tokens WHERE id = $1', [id]);
      // The stored value is exactly the keyed hash: not the token, not an unkeyed digest of it.
      expect(row.token_hash.equals(createHmac('sha256', app.get(SecretsService).tokenHashKey).update(raw).digest())).toBe(true);
      expect(row.token_hash.equals(createHash('sha256').update(raw).digest())).toBe(false);
      expect(row.hint).toBe(raw.slice(-4));
      // No column of any table holds the token's secret part, as text or as the bytes of its text.
      const secret = raw.slice(8, -6);
      const forms = [secret, Buffer.from(secret).toString('hex'), Buffer.from(secret).toString('base64').slice(0, 40)];
      const tables = await sql<{ name: string }>(`SELECT quote_ident(table_name) AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`);
      expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['api_tokens', 'sessions', 'users']));
      for (const { name } of tables) {
        const rows = await sql<{ text: string }>(`SELECT t::text AS text FROM ${name} t`);
        for (const { text } of rows) for (const form of forms) expect(text.toLowerCase()).not.toContain(form.toLowerCase());
      }
      // The check above sees what it looks for: the hash itself is found the same way.
      const [asText] = await sql<{ text: string }>('SELECT t::text AS text FROM api_tokens t WHERE id = $1', [id]);
      expect(asText.text).toContain(row.token_hash.toString('hex'));
    });

    it('defaults to 30 days; "never" means no expiry; a custom future instant is kept', async () => {
      const a = await register(app);
      const def = await createToken(app, a.token);
      expect(Date.parse(def.body.apiToken.expiresAt as string) - Date.now()).toBeGreaterThan(29.9 * 86_400_000);
      const never = await createToken(app, a.token, { expiresIn: 'never' });
      expect(never.body.apiToken.expiresAt).toBeNull();
      const at = new Date(Date.now() + 3 * 86_400_000).toISOString();
      const custom = await createToken(app, a.token, { expiresAt: at });
      expect(custom.body.apiToken.expiresAt).toBe(at);
      const year = await createToken(app, a.token, { expiresIn: '1y' });
      expect(new Date(year.body.apiToken.expiresAt as string).getUTCFullYear()).toBe(new Date().getUTCFullYear() + 1);
    });

    it.each([
      [{ name: '' }, 'name', "can't be blank"],
      [{ name: '   ' }, 'name', "can't be blank"],
      [{}, 'name', "can't be blank"],
      [{ name: 'x'.repeat(101) }, 'name', 'is too long (maximum is 100 characters)'],
      [{ name: 42 }, 'name', 'must be a string'],
      [{ name: 'ok', expiresIn: '2d' }, 'expiresIn', 'must be one of 7d, 30d, 60d, 90d, 1y, never'],
      [{ name: 'ok', expiresIn: '30d', expiresAt: '2099-01-01T00:00:00Z' }, 'expiresAt', 'cannot be combined with expiresIn; send one of them'],
      [{ name: 'ok', expiresAt: '2001-01-01T00:00:00Z' }, 'expiresAt', 'must be in the future'],
      [{ name: 'ok', expiresAt: 'tomorrow' }, 'expiresAt', 'must be an ISO 8601 date-time, e.g. 2027-01-31T23:59:59Z'],
      [{ name: 'ok', allowedIps: '10.0.0.0/8' }, 'allowedIps', 'must be a list of IP addresses or CIDRs'],
      [{ name: 'ok', allowedIps: [1] }, 'allowedIps', 'must contain only strings'],
    ])('refuses %j with 422 naming the field', async (apiToken, field, message) => {
      const a = await register(app);
      const res = await http(app).post('/api/user/api-tokens').set('Authorization', `Bearer ${a.token}`).send({ apiToken });
      expect(res.status).toBe(422);
      expect(res.body.errors[field]).toEqual([message]);
    });

    it('refuses bad allowlist entries with one message per entry, quoting it, and writes nothing', async () => {
      const a = await register(app);
      const res = await http(app)
        .post('/api/user/api-tokens')
        .set('Authorization', `Bearer ${a.token}`)
        .send({ apiToken: { name: 'bad ips', allowedIps: ['127.1', '10.0.0.1/8', '192.168.0.1', 'fe80::1%eth0', '1.2.3.4/33'] } });
      expect(res.status).toBe(422);
      const messages: string[] = res.body.errors.allowedIps;
      expect(messages).toHaveLength(4);
      expect(messages[0]).toContain('"127.1"');
      expect(messages[1]).toContain('did you mean 10.0.0.0/8?');
      expect(messages[2]).toContain('"fe80::1%eth0"');
      expect(messages[3]).toContain('"1.2.3.4/33"');
      const list = await http(app).get('/api/user/api-tokens').set('Authorization', `Bearer ${a.token}`);
      expect(list.body.apiTokens).toEqual([]);
    });

    it('reports every bad field at once (name and allowedIps together)', async () => {
      const a = await register(app);
      const res = await http(app)
        .post('/api/user/api-tokens')
        .set('Authorization', `Bearer ${a.token}`)
        .send({ apiToken: { name: '', expiresIn: '30d', allowedIps: ['10.0.0.1/8', '010.0.0.1'] } });
      expect(res.status).toBe(422);
      expect(res.body.errors.name).toEqual(["can't be blank"]);
      expect(res.body.errors.allowedIps).toHaveLength(2);
      expect(res.body.errors.allowedIps[1]).toContain('"010.0.0.1"');
    });

    it('refuses more than 100 allowlist entries', async () => {
      const a = await register(app);
      const ips = Array.from({ length: 101 }, (_, i) => `10.0.${Math.floor(i / 256)}.${i % 256}`);
      const res = await http(app).post('/api/user/api-tokens').set('Authorization', `Bearer ${a.token}`).send({ apiToken: { name: 'many', allowedIps: ips } });
      expect(res.status).toBe(422);
      expect(res.body.errors.allowedIps[0]).toMatch(/at most 100 entries/);
      const ok = await http(app).post('/api/user/api-tokens').set('Authorization', `Bearer ${a.token}`).send({ apiToken: { name: 'hundred', allowedIps: ips.slice(0, 100) } });
      expect(ok.status).toBe(201);
    });

    it('cannot be done with an API token (403): tokens cannot mint tokens', async () => {
      const a = await register(app);
      const { raw } = await createToken(app, a.token);
      const res = await http(app).post('/api/user/api-tokens').set('Authorization', `Bearer ${raw}`).send({ apiToken: { name: 'child' } });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ errors: { token: ['cannot be used for this action; sign in to Conduit with your password instead'] } });
    });
  });

  describe('GET /api/user/api-tokens', () => {
    it('lists active tokens only (not revoked, not expired), newest first, with a session or a token', async () => {
      const a = await register(app);
      const first = await createToken(app, a.token, { name: 'first' });
      const second = await createToken(app, a.token, { name: 'second', expiresIn: 'never' });
      const revoked = await createToken(app, a.token, { name: 'revoked' });
      const expired = await createToken(app, a.token, { name: 'expired' });
      await sql(`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [expired.id]);
      await http(app).delete(`/api/user/api-tokens/${revoked.id}`).set('Authorization', `Bearer ${a.token}`).expect(204);
      const bySession = await http(app).get('/api/user/api-tokens').set('Authorization', `Bearer ${a.token}`);
      expect(bySession.status).toBe(200);
      expect(bySession.body.apiTokens.map((t: { name: string }) => t.name)).toEqual(['second', 'first']);
      const byToken = await http(app).get('/api/user/api-tokens').set('Authorization', `Bearer ${first.raw}`);
      expect(byToken.status).toBe(200);
      expect(byToken.body.apiTokens.map((t: { id: string }) => t.id)).toEqual([second.id, first.id]);
    });

    it("never shows another user's tokens", async () => {
      const a = await register(app);
      const b = await register(app);
      await createToken(app, a.token, { name: 'mine' });
      const res = await http(app).get('/api/user/api-tokens').set('Authorization', `Bearer ${b.token}`);
      expect(res.body).toEqual({ apiTokens: [] });
    });
  });

  describe('GET /api/user/api-tokens/current', () => {
    it('describes the calling token and the address the server sees', async () => {
      const a = await register(app);
      const { raw, id } = await createToken(app, a.token, { allowedIps: ['127.0.0.1'] });
      const res = await http(app).get('/api/user/api-tokens/current').set('Authorization', `Bearer ${raw}`);
      expect(res.status).toBe(200);
      expect(res.body.apiToken).toMatchObject({ id, allowedIps: ['127.0.0.1/32'] });
      expect(res.body.observedIp).toBe('127.0.0.1');
      expect(res.headers['conduit-token-expires-at']).toBe(res.body.apiToken.expiresAt);
    });

    it('is refused with a session (it describes a token) and obeys the allowlist', async () => {
      const a = await register(app);
      const session = await http(app).get('/api/user/api-tokens/current').set('Authorization', `Bearer ${a.token}`);
      expect(session.status).toBe(403);
      const { raw } = await createToken(app, a.token, { allowedIps: ['203.0.113.0/24'] });
      const res = await http(app).get('/api/user/api-tokens/current').set('Authorization', `Bearer ${raw}`);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ errors: { token: ['is not allowed from 127.0.0.1'] } });
    });
  });

  describe('DELETE /api/user/api-tokens/:id', () => {
    it('revokes immediately and permanently; revoking again is 204; the token is refused as revoked', async () => {
      const a = await register(app);
      const { raw, id } = await createToken(app, a.token);
      expect((await http(app).get('/api/user').set('Authorization', `Bearer ${raw}`)).status).toBe(200);
      await http(app).delete(`/api/user/api-tokens/${id}`).set('Authorization', `Bearer ${a.token}`).expect(204);
      const refused = await http(app).get('/api/user').set('Authorization', `Bearer ${raw}`);
      expect(refused.status).toBe(401);
      expect(refused.body).toEqual({ errors: { token: ['has been revoked'] } });
      await http(app).delete(`/api/user/api-tokens/${id}`).set('Authorization', `Bearer ${a.token}`).expect(204);
      const [row] = await sql<{ revoked_at: Date; revoked_reason: string }>('SELECT revoked_at, revoked_reason FROM api_tokens WHERE id = $1', [id]);
      expect(row.revoked_at).toBeInstanceOf(Date);
      expect(row.revoked_reason).toBe('session');
    });

    it('a token may revoke itself but no other id (403, whatever the id: nothing to probe); a session gets 404 for unknown or foreign ids', async () => {
      const a = await register(app);
      const b = await register(app);
      const self = await createToken(app, a.token);
      const sibling = await createToken(app, a.token);
      const foreign = await createToken(app, b.token);
      const bySibling = await http(app).delete(`/api/user/api-tokens/${sibling.id}`).set('Authorization', `Bearer ${self.raw}`);
      expect(bySibling.status).toBe(403);
      expect(bySibling.body).toEqual({ errors: { apiToken: ['an API token can act only on itself; sign in to manage other tokens'] } });
      for (const id of [foreign.id, '00000000-0000-4000-8000-000000000000', 'not-a-uuid', "1' OR '1'='1"]) {
        const bySession = await http(app).delete(`/api/user/api-tokens/${encodeURIComponent(id)}`).set('Authorization', `Bearer ${a.token}`);
        expect(bySession.status).toBe(404);
        expect(bySession.body).toEqual({ errors: { apiToken: ['not found'] } });
      }
      for (const id of [foreign.id, '00000000-0000-4000-8000-000000000000']) {
        expect((await http(app).delete(`/api/user/api-tokens/${id}`).set('Authorization', `Bearer ${self.raw}`)).status).toBe(403);
      }
      await http(app).delete(`/api/user/api-tokens/${self.id}`).set('Authorization', `Bearer ${self.raw}`).expect(204);
      expect((await http(app).get('/api/user').set('Authorization', `Bearer ${self.raw}`)).status).toBe(401);
      const [row] = await sql<{ revoked_reason: string }>('SELECT revoked_reason FROM api_tokens WHERE id = $1', [self.id]);
      expect(row.revoked_reason).toBe('token');
      expect((await http(app).get('/api/user').set('Authorization', `Bearer ${foreign.raw}`)).status).toBe(200);
      expect((await http(app).get('/api/user').set('Authorization', `Bearer ${sibling.raw}`)).status).toBe(200);
    });
  });

  describe('session-only actions refuse tokens with 403', () => {
    it.each([
      ['PUT /api/user email', (h: ReturnType<typeof http>) => h.put('/api/user').send({ user: { email: 'new@example.test' } })],
      ['PUT /api/user password', (h: ReturnType<typeof http>) => h.put('/api/user').send({ user: { password: 'new password 1' } })],
      ['DELETE /api/user', (h: ReturnType<typeof http>) => h.delete('/api/user').send({ user: { password: 'correct horse battery' } })],
    ])('%s', async (_name, call) => {
      const a = await register(app);
      const { raw } = await createToken(app, a.token);
      const res = await call(http(app)).set('Authorization', `Bearer ${raw}`);
      expect(res.status).toBe(403);
      expect(res.body.errors.token).toHaveLength(1);
      expect((await http(app).get('/api/user').set('Authorization', `Bearer ${a.token}`)).body.user.email).toBe(a.email);
    });

    it('a token may still change the bio, and GET /api/user returns no session token for it', async () => {
      const a = await register(app);
      const { raw } = await createToken(app, a.token);
      const res = await http(app).put('/api/user').set('Authorization', `Bearer ${raw}`).send({ user: { bio: 'from CI' } });
      expect(res.status).toBe(200);
      expect(res.body.user).toMatchObject({ bio: 'from CI', token: null });
    });
  });

  it('deleting the account deletes its tokens: they stop working', async () => {
    const a = await register(app);
    const { raw, id } = await createToken(app, a.token);
    await http(app).delete('/api/user').set('Authorization', `Bearer ${a.token}`).send({ user: { password: a.password } }).expect(204);
    const res = await http(app).get('/api/user').set('Authorization', `Bearer ${raw}`);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ errors: { token: ['is invalid'] } });
    expect(await sql('SELECT 1 FROM api_tokens WHERE id = $1', [id])).toEqual([]);
  });
});
