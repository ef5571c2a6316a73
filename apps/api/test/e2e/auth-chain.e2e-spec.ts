import { createSecretKey } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import * as jwt from 'jsonwebtoken';
import { Client } from 'pg';
import { LastUsedTracker } from '../../src/api-tokens/last-used.tracker';
import { generateApiToken } from '../../src/api-tokens/token-codec';
import { createToken, http, listen, register, startApp } from '../support/app';
import { TcpProxy } from '../support/tcp-proxy';

const INVALID_CHALLENGE = 'Bearer realm="conduit", error="invalid_token"';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function lastUsed(id: string): Promise<{ last_used_at: Date | null; last_used_ip: string | null }> {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return (await client.query('SELECT last_used_at, last_used_ip FROM api_tokens WHERE id = $1', [id])).rows[0];
  } finally {
    await client.end();
  }
}

/** One test per row of the guard-chain table (STYLE.md), plus the refusal reasons. */
describe('the guard chain: jwt first, then api-token', () => {
  const JWT_SECRET = 'e2e-jwt-secret-e2e-jwt-secret-e2e-jwt-secret';
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await startApp({ JWT_SECRET });
  });
  afterAll(async () => {
    await app.close();
  });

  it('valid session JWT → user principal (jwt strategy): token echoed, no token-expiry header', async () => {
    const a = await register(app);
    const res = await http(app).get('/api/user').set('Authorization', `Bearer ${a.token}`);
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ username: a.username, token: a.token });
    expect(res.headers['conduit-token-expires-at']).toBeUndefined();
  });

  it('valid conduit_ token from an allowed IP → token principal, with Conduit-Token-Expires-At', async () => {
    const a = await register(app);
    const { raw, body } = await createToken(app, a.token, { allowedIps: ['127.0.0.0/8'] });
    const res = await http(app).get('/api/user').set('Authorization', `Bearer ${raw}`);
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ username: a.username, token: null });
    expect(res.headers['conduit-token-expires-at']).toBe(body.apiToken.expiresAt);
    expect(res.headers['access-control-expose-headers']).toContain('Conduit-Token-Expires-At');
  });

  it('one or more spaces or a tab after Bearer: accepted alike for a session JWT and an API token (RFC 7235)', async () => {
    const a = await register(app);
    const { raw } = await createToken(app, a.token);
    for (const credential of [a.token, raw]) {
      for (const separator of [' ', '  ', '\t', ' \t ']) {
        const res = await http(app).get('/api/user').set('Authorization', `Bearer${separator}${credential}`);
        expect({ separator, status: res.status }).toEqual({ separator, status: 200 });
        expect(res.body.user.username).toBe(a.username);
      }
      expect((await http(app).get('/api/user').set('Authorization', `bEaReR ${credential}`)).status).toBe(200);
    }
    // A malformed token after two spaces is refused the same way as after one.
    const bad = await http(app).get('/api/user').set('Authorization', `Bearer  ${raw.slice(0, -1)}`);
    expect(bad.status).toBe(401);
    expect(bad.body).toEqual({ errors: { token: ['is invalid'] } });
    // The RealWorld scheme carries session tokens only.
    expect((await http(app).get('/api/user').set('Authorization', `Token  ${a.token}`)).status).toBe(200);
    expect((await http(app).get('/api/user').set('Authorization', `Token ${raw}`)).body).toEqual({ errors: { token: ['is invalid'] } });
  });

  it('a token that never expires carries no Conduit-Token-Expires-At', async () => {
    const a = await register(app);
    const { raw } = await createToken(app, a.token, { expiresIn: 'never' });
    const res = await http(app).get('/api/user').set('Authorization', `Bearer ${raw}`);
    expect(res.status).toBe(200);
    expect(res.headers['conduit-token-expires-at']).toBeUndefined();
  });

  it('expired or tampered JWT, no token → 401 "has expired" / "is invalid"', async () => {
    const a = await register(app);
    const claims = jwt.decode(a.token) as { sub: string; sid: string };
    const key = createSecretKey(Buffer.from(JWT_SECRET));
    const expired = jwt.sign({ sid: claims.sid, exp: Math.floor(Date.now() / 1000) - 10 }, key, { algorithm: 'HS256', subject: claims.sub });
    const res = await http(app).get('/api/user').set('Authorization', `Bearer ${expired}`);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ errors: { token: ['has expired'] } });
    expect(res.headers['www-authenticate']).toBe(INVALID_CHALLENGE);
    const forged = jwt.sign({ sid: claims.sid }, createSecretKey(Buffer.from('x'.repeat(40))), { algorithm: 'HS256', subject: claims.sub });
    const bad = await http(app).get('/api/user').set('Authorization', `Token ${forged}`);
    expect(bad.status).toBe(401);
    expect(bad.body).toEqual({ errors: { token: ['is invalid'] } });
    const none = jwt.sign({ sid: claims.sid, sub: claims.sub }, '', { algorithm: 'none' });
    expect((await http(app).get('/api/user').set('Authorization', `Bearer ${none}`)).status).toBe(401);
  });

  it.each([
    ['unknown (well-formed) token', 'is invalid'],
    ['token with a wrong checksum', 'is invalid'],
    ['truncated token', 'is invalid'],
  ])('%s → 401 "%s"', async (kind, reason) => {
    const a = await register(app);
    const { raw } = await createToken(app, a.token);
    const { raw: other } = await createToken(app, a.token);
    await http(app).delete('/api/user/api-tokens/' + (await http(app).get('/api/user/api-tokens/current').set('Authorization', `Bearer ${other}`)).body.apiToken.id).set('Authorization', `Bearer ${a.token}`);
    const candidates: Record<string, string> = {
      'unknown (well-formed) token': generateApiToken(),
      'token with a wrong checksum': raw.slice(0, 20) + (raw[20] === 'A' ? 'B' : 'A') + raw.slice(21),
      'truncated token': raw.slice(0, -3),
    };
    const res = await http(app).get('/api/user').set('Authorization', `Bearer ${candidates[kind]}`);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ errors: { token: [reason] } });
    expect(res.headers['www-authenticate']).toBe(INVALID_CHALLENGE);
  });

  it('expired token (custom instant a few seconds ahead) → works, then 401 "has expired"', async () => {
    const a = await register(app);
    const expiresAt = new Date(Date.now() + 2500).toISOString();
    const { raw } = await createToken(app, a.token, { expiresAt });
    const before = await http(app).get('/api/user').set('Authorization', `Bearer ${raw}`);
    expect(before.status).toBe(200);
    expect(before.headers['conduit-token-expires-at']).toBe(expiresAt);
    await sleep(Date.parse(expiresAt) - Date.now() + 200);
    const after = await http(app).get('/api/user').set('Authorization', `Bearer ${raw}`);
    expect(after.status).toBe(401);
    expect(after.body).toEqual({ errors: { token: ['has expired'] } });
    const list = await http(app).get('/api/user/api-tokens').set('Authorization', `Bearer ${a.token}`);
    expect(list.body.apiTokens).toEqual([]);
  });

  it('revoked token → 401 "has been revoked"', async () => {
    const a = await register(app);
    const { raw, id } = await createToken(app, a.token);
    await http(app).delete(`/api/user/api-tokens/${id}`).set('Authorization', `Bearer ${a.token}`).expect(204);
    const res = await http(app).get('/api/user').set('Authorization', `Bearer ${raw}`);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ errors: { token: ['has been revoked'] } });
  });

  it('disallowed IP → 401 "is not allowed from <observed ip>"', async () => {
    const a = await register(app);
    const { raw } = await createToken(app, a.token, { allowedIps: ['203.0.113.0/24', '2001:db8::/32'] });
    const res = await http(app).get('/api/user').set('Authorization', `Bearer ${raw}`);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ errors: { token: ['is not allowed from 127.0.0.1'] } });
    expect(res.headers['www-authenticate']).toBe(INVALID_CHALLENGE);
  });

  it('token on a session-only route → 403', async () => {
    const a = await register(app);
    const { raw } = await createToken(app, a.token);
    const res = await http(app).post('/api/user/api-tokens').set('Authorization', `Bearer ${raw}`).send({ apiToken: { name: 'x' } });
    expect(res.status).toBe(403);
  });

  it('@Public() route → no auth, even with garbage credentials', async () => {
    const res = await http(app).get('/api/health').set('Authorization', 'Bearer garbage');
    expect(res.status).toBe(200);
  });

  it('no credentials → 401 "is missing"; an unknown scheme or a token in the query string does not count', async () => {
    const missing = await http(app).get('/api/user');
    expect(missing.body).toEqual({ errors: { token: ['is missing'] } });
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="conduit"');
    const a = await register(app);
    const { raw } = await createToken(app, a.token);
    expect((await http(app).get(`/api/user?access_token=${raw}`)).status).toBe(401);
    const basic = await http(app).get('/api/user').set('Authorization', `Basic ${Buffer.from('a:b').toString('base64')}`);
    expect(basic.status).toBe(401);
    expect(basic.body).toEqual({ errors: { token: ['is invalid'] } });
  });

  it('a session that was signed out → its JWT is refused "has been revoked"', async () => {
    const a = await register(app);
    await http(app).post('/api/users/logout').set('Cookie', a.cookie).expect(204);
    const res = await http(app).get('/api/user').set('Authorization', `Bearer ${a.token}`);
    expect(res.body).toEqual({ errors: { token: ['has been revoked'] } });
  });
});

describe('client addresses: IPv4, IPv6, IPv4-mapped, and X-Forwarded-For', () => {
  let app: NestFastifyApplication;
  let session: string;
  beforeAll(async () => {
    app = await startApp();
    session = (await register(app)).token;
  });
  afterAll(async () => {
    await app.close();
  });

  const call = (base: string, raw: string, headers: Record<string, string> = {}) =>
    fetch(`${base}/api/user/api-tokens/current`, { headers: { Authorization: `Bearer ${raw}`, ...headers } });

  it('IPv6 (::1) and IPv4 (127.0.0.1) clients against v4, v6 and mapped rules; matching never throws across families', async () => {
    const v4 = await createToken(app, session, { allowedIps: ['127.0.0.1'] });
    const v6 = await createToken(app, session, { allowedIps: ['::1'] });
    const mapped = await createToken(app, session, { allowedIps: ['::ffff:127.0.0.0/104'] });
    expect(mapped.body.apiToken.allowedIps).toEqual(['127.0.0.0/8']);
    const both = await createToken(app, session, { allowedIps: ['10.0.0.0/8', '::1/128'] });

    // '::' listens dual-stack: IPv4 clients arrive as ::ffff:127.0.0.1 and are reported as IPv4.
    const base = await listen(app, '::');
    const port = new URL(base).port;
    const v4Base = `http://127.0.0.1:${port}`;
    const v6Base = `http://[::1]:${port}`;

    const r1 = await call(v4Base, v4.raw);
    expect(r1.status).toBe(200);
    expect(((await r1.json()) as { observedIp: string }).observedIp).toBe('127.0.0.1');
    expect((await call(v4Base, mapped.raw)).status).toBe(200);
    const r2 = await call(v4Base, v6.raw);
    expect(r2.status).toBe(401);
    expect(await r2.json()).toEqual({ errors: { token: ['is not allowed from 127.0.0.1'] } });

    const r3 = await call(v6Base, v6.raw);
    expect(r3.status).toBe(200);
    expect(((await r3.json()) as { observedIp: string }).observedIp).toBe('::1');
    const r4 = await call(v6Base, v4.raw);
    expect(r4.status).toBe(401);
    expect(await r4.json()).toEqual({ errors: { token: ['is not allowed from ::1'] } });
    expect((await call(v6Base, mapped.raw)).status).toBe(401);
    expect((await call(v6Base, both.raw)).status).toBe(200);
    expect((await call(v4Base, both.raw)).status).toBe(401);
  });

  it('ignores X-Forwarded-For when no trusted proxy is configured (spoofing does not pass the allowlist)', async () => {
    const { raw } = await createToken(app, session, { allowedIps: ['203.0.113.0/24'] });
    const res = await http(app).get('/api/user/api-tokens/current').set('Authorization', `Bearer ${raw}`).set('X-Forwarded-For', '203.0.113.9');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ errors: { token: ['is not allowed from 127.0.0.1'] } });
  });

  it('behind a trusted proxy, uses the rightmost X-Forwarded-For entry that is not a trusted proxy', async () => {
    const proxied = await startApp({ TRUSTED_PROXIES: '127.0.0.1/32, ::1, 10.0.0.0/8' });
    try {
      const a = await register(proxied);
      const { raw } = await createToken(proxied, a.token, { allowedIps: ['203.0.113.0/24'] });
      const get = (xff?: string) => {
        const r = http(proxied).get('/api/user/api-tokens/current').set('Authorization', `Bearer ${raw}`);
        return xff ? r.set('X-Forwarded-For', xff) : r;
      };
      const ok = await get('203.0.113.9');
      expect(ok.body).toMatchObject({ observedIp: '203.0.113.9' });
      expect(ok.status).toBe(200);
      expect(ok.body.observedIp).toBe('203.0.113.9');
      // a client writing its own X-Forwarded-For only adds entries on the left
      expect((await get('203.0.113.9, 198.51.100.7')).body).toEqual({ errors: { token: ['is not allowed from 198.51.100.7'] } });
      // trusted hops on the right are skipped
      expect((await get('203.0.113.9, 10.1.2.3')).body.observedIp).toBe('203.0.113.9');
      expect((await get()).body).toEqual({ errors: { token: ['is not allowed from 127.0.0.1'] } });
      expect((await get('not-an-ip')).status).toBe(401);
    } finally {
      await proxied.close();
    }
  });
});

describe('throttling failed token authentications per client address', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await startApp({ AUTH_FAILURE_LIMIT: '3', AUTH_FAILURE_WINDOW: '60', TRUSTED_PROXIES: '127.0.0.1' });
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers 429 with Retry-After past the limit; other addresses and valid credentials are unaffected', async () => {
    const a = await register(app);
    const { raw } = await createToken(app, a.token);
    const attacker = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
    const bad = (ip: string) =>
      http(app).get('/api/user').set('Authorization', 'Bearer conduit_not-a-real-token').set('X-Forwarded-For', ip);
    for (let i = 0; i < 3; i++) expect((await bad(attacker)).status).toBe(401);
    const limited = await bad(attacker);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(limited.body.errors.token[0]).toMatch(/too many failed attempts/);
    // another address still gets its 401, not a 429
    expect((await bad('192.0.2.77')).status).toBe(401);
    // valid session and valid token from the limited address go through
    expect((await http(app).get('/api/user').set('Authorization', `Bearer ${a.token}`).set('X-Forwarded-For', attacker)).status).toBe(200);
    expect((await http(app).get('/api/user').set('Authorization', `Bearer ${raw}`).set('X-Forwarded-For', attacker)).status).toBe(200);
  });
});

describe('fail closed: the database unreachable during authentication', () => {
  it('answers 503 (never 401, never a pass) for a token and for a session, and recovers', async () => {
    const url = new URL(process.env.DATABASE_URL!);
    const proxy = new TcpProxy(url.hostname, Number(url.port));
    await proxy.start();
    const app = await startApp({ DATABASE_URL: TcpProxy.via(process.env.DATABASE_URL!, proxy.port) });
    try {
      const a = await register(app);
      const { raw } = await createToken(app, a.token);
      expect((await http(app).get('/api/user').set('Authorization', `Bearer ${raw}`)).status).toBe(200);
      const port = proxy.port;
      await proxy.cut();
      for (const credential of [raw, a.token]) {
        const res = await http(app).get('/api/user').set('Authorization', `Bearer ${credential}`);
        expect(res.status).toBe(503);
        expect(res.body).toEqual({ errors: { database: ['is unavailable; try again shortly'] } });
      }
      expect((await http(app).get('/api/health')).status).toBe(503);
      await proxy.start(port);
      let status = 0;
      for (let i = 0; i < 20 && status !== 200; i++) {
        status = (await http(app).get('/api/user').set('Authorization', `Bearer ${raw}`)).status;
        if (status !== 200) await sleep(100);
      }
      expect(status).toBe(200);
    } finally {
      await app.close();
      await proxy.cut();
    }
  });
});

describe('revocation across instances', () => {
  it('a token revoked on instance A is refused at once on instance B (same database, no stale cache)', async () => {
    const a = await startApp();
    const b = await startApp();
    try {
      const user = await register(a);
      const { raw, id } = await createToken(a, user.token, { allowedIps: ['127.0.0.1'] });
      expect((await http(a).get('/api/user').set('Authorization', `Bearer ${raw}`)).status).toBe(200);
      expect((await http(b).get('/api/user').set('Authorization', `Bearer ${raw}`)).status).toBe(200);
      await http(a).delete(`/api/user/api-tokens/${id}`).set('Authorization', `Bearer ${user.token}`).expect(204);
      const res = await http(b).get('/api/user').set('Authorization', `Bearer ${raw}`);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ errors: { token: ['has been revoked'] } });
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('last used', () => {
  it('records the first use within a couple of seconds, then at most once per interval; refused requests never touch it', async () => {
    const app = await startApp({ LAST_USED_INTERVAL: '2s' });
    try {
      const user = await register(app);
      const { raw, id } = await createToken(app, user.token);
      const refusedToken = await createToken(app, user.token, { allowedIps: ['203.0.113.1'] });
      await http(app).get('/api/user').set('Authorization', `Bearer ${refusedToken.raw}`).expect(401);

      await http(app).get('/api/user').set('Authorization', `Bearer ${raw}`).expect(200);
      await app.get(LastUsedTracker).flush();
      const first = await lastUsed(id);
      expect(first.last_used_at).toBeInstanceOf(Date);
      expect(first.last_used_ip).toBe('127.0.0.1');
      const listed = await http(app).get('/api/user/api-tokens').set('Authorization', `Bearer ${user.token}`);
      expect(listed.body.apiTokens.find((t: { id: string }) => t.id === id)).toMatchObject({ lastUsedIp: '127.0.0.1', lastUsedAt: first.last_used_at!.toISOString() });

      for (let i = 0; i < 5; i++) await http(app).get('/api/user').set('Authorization', `Bearer ${raw}`).expect(200);
      await app.get(LastUsedTracker).flush();
      expect((await lastUsed(id)).last_used_at).toEqual(first.last_used_at);

      await sleep(2100);
      await http(app).get('/api/user').set('Authorization', `Bearer ${raw}`).expect(200);
      await app.get(LastUsedTracker).flush();
      expect((await lastUsed(id)).last_used_at!.getTime()).toBeGreaterThan(first.last_used_at!.getTime());

      expect(await lastUsed(refusedToken.id)).toEqual({ last_used_at: null, last_used_ip: null });
    } finally {
      await app.close();
    }
  });

  it('is not recorded at all when tracking is switched off', async () => {
    const app = await startApp({ LAST_USED_TRACKING: 'false' });
    try {
      const user = await register(app);
      const { raw, id } = await createToken(app, user.token);
      await http(app).get('/api/user').set('Authorization', `Bearer ${raw}`).expect(200);
      await app.get(LastUsedTracker).flush();
      expect((await lastUsed(id)).last_used_at).toBeNull();
    } finally {
      await app.close();
    }
  });
});
