import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { API_ROUTE_ACCESS, RouteAccess } from '@conduit/contracts';
import { generateApiToken } from '../../src/api-tokens/token-codec';
import { AUTH_FAILURES_PURGE_JOB, AuthThrottle } from '../../src/throttle/auth-throttle';
import { SchedulerService } from '../../src/scheduler/scheduler.service';
import { Db } from '../../src/database/db';
import { http, register, startApp, unique } from '../support/app';
import { TcpProxy } from '../support/tcp-proxy';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function db<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
const storedPoints = (key: string) =>
  db(async (c) => (await c.query<{ points: number }>('SELECT points FROM auth_failures WHERE key = $1', [key])).rows[0]?.points ?? null);

/** A random private address, so that runs and tests never share a counter. */
const byte = () => Math.floor(Math.random() * 254) + 1;
const randomV4 = () => `10.${byte()}.${byte()}.${byte()}`;
/** Calls other than the throttle's own periodic write (which may tick at any moment). */
/** Statements other than the throttle's sync (the statement's name is the call's third argument). */
const requestPathCalls = (calls: jest.SpyInstance) => calls.mock.calls.filter(([, , name]) => name !== 'auth_failures_sync');

/** Malformed tokens: wrong length, wrong alphabet, wrong checksum. */
function malformedTokens(): string[] {
  const good = generateApiToken();
  const last = good.at(-1) === 'A' ? 'B' : 'A';
  return [good.slice(0, -1), `${good.slice(0, 20)}-${good.slice(21)}`, good.slice(0, -1) + last];
}

const bad = (app: NestFastifyApplication, ip: string, token = malformedTokens()[2]) =>
  http(app).get('/api/user').set('Authorization', `Bearer ${token}`).set('X-Forwarded-For', ip);

jest.setTimeout(60_000);

describe('failed-authentication throttling: counted in memory, shared sparingly', () => {
  it('refuses malformed tokens with no database round trip: 401 even while the database is down', async () => {
    const url = new URL(process.env.DATABASE_URL!);
    const proxy = new TcpProxy(url.hostname, Number(url.port));
    await proxy.start();
    const app = await startApp({ DATABASE_URL: TcpProxy.via(process.env.DATABASE_URL!, proxy.port), TRUSTED_PROXIES: '127.0.0.1' });
    const ip = randomV4();
    const calls = jest.spyOn(app.get(Db), 'query');
    try {
      const port = proxy.port;
      await proxy.cut();
      for (const token of malformedTokens()) {
        const res = await bad(app, ip, token);
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ errors: { token: ['is invalid'] } });
      }
      expect(requestPathCalls(calls)).toEqual([]);
      // A well-formed token needs its lookup: that one is a 503, never a 401 or a pass.
      expect((await http(app).get('/api/user').set('Authorization', `Bearer ${generateApiToken()}`)).status).toBe(503);
      // The counts written while the database was away are kept and written once it is back.
      await app.get(AuthThrottle).sync();
      await proxy.start(port);
      calls.mockClear();
      await app.get(AuthThrottle).sync();
      expect(calls.mock.calls.filter(([, , name]) => name === 'auth_failures_sync')).toHaveLength(1);
      expect(await storedPoints(ip)).toBe(3);
    } finally {
      calls.mockRestore();
      await app.close();
      await proxy.cut();
    }
  });

  it('answers a malformed token before the request reaches the API: every authenticating route, never a public one', async () => {
    const app = await startApp({ TRUSTED_PROXIES: '127.0.0.1' });
    try {
      const token = malformedTokens()[2];
      for (const [route, routeAccess] of Object.entries(API_ROUTE_ACCESS) as [string, RouteAccess][]) {
        const [method, pattern] = route.split(' ');
        const path = pattern.replace(/:id\b/, '1').replace(/:\w+/g, 'x');
        const res = await http(app)[method.toLowerCase() as 'get'](path).set('Authorization', `Bearer ${token}`).set('X-Forwarded-For', randomV4());
        if (routeAccess.kind === 'public') {
          // Public routes do not read the header at all.
          expect({ route, token: res.body.errors?.token }).toEqual({ route, token: undefined });
        } else {
          expect({ route, status: res.status, body: res.body }).toEqual({ route, status: 401, body: { errors: { token: ['is invalid'] } } });
          expect(res.headers['www-authenticate']).toBe('Bearer realm="conduit", error="invalid_token"');
        }
      }
      // Before the body is even read: the API would have answered this one 400 (not JSON).
      const early = await http(app)
        .post('/api/articles')
        .set('Authorization', `Bearer ${token}`)
        .set('Content-Type', 'application/json')
        .set('Origin', 'https://elsewhere.example')
        .send('{"article": ');
      expect(early.status).toBe(401);
      expect(early.body).toEqual({ errors: { token: ['is invalid'] } });
      // with the CORS headers a browser on another origin needs to read it
      expect(early.headers['access-control-allow-origin']).toBe('*');
    } finally {
      await app.close();
    }
  });

  it('writes every address’s new failures in one statement per sync interval, not one per request', async () => {
    const app = await startApp({ AUTH_FAILURE_LIMIT: '1000', TRUSTED_PROXIES: '127.0.0.1' });
    const throttle = app.get(AuthThrottle);
    await throttle.sync();
    const calls = jest.spyOn(app.get(Db), 'query');
    try {
      const addresses = Array.from({ length: 20 }, () => randomV4());
      const started = Date.now();
      for (const ip of addresses) for (let i = 0; i < 3; i++) expect((await bad(app, ip)).status).toBe(401);
      const elapsed = Date.now() - started;
      await throttle.sync();
      // 60 refusals; one statement per elapsed second (the timer), plus the final sync
      expect(requestPathCalls(calls)).toEqual([]);
      expect(calls.mock.calls.length).toBeGreaterThanOrEqual(1);
      expect(calls.mock.calls.length).toBeLessThanOrEqual(Math.floor(elapsed / 1000) + 2);
      for (const ip of new Set(addresses)) {
        expect(await storedPoints(ip)).toBe(3 * addresses.filter((a) => a === ip).length);
      }
      // and the timer does it by itself within about a second
      const ip = randomV4();
      await bad(app, ip);
      await sleep(1500);
      expect(await storedPoints(ip)).toBe(1);
    } finally {
      calls.mockRestore();
      await app.close();
    }
  });

  it('counts IPv6 clients per /64: fresh addresses in the same /64 share one budget', async () => {
    const app = await startApp({ AUTH_FAILURE_LIMIT: '3', TRUSTED_PROXIES: '127.0.0.1' });
    try {
      const net = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:7`;
      expect((await bad(app, `${net}::1`)).status).toBe(401);
      expect((await bad(app, `${net}:aaaa::2`)).status).toBe(401);
      expect((await bad(app, `${net}:ffff:ffff:ffff:ffff`)).status).toBe(401);
      const limited = await bad(app, `${net}:1234::99`);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // the neighbouring /64 is another client
      expect((await bad(app, `2001:db8:${net.split(':')[2]}:8::1`)).status).toBe(401);
      await app.get(AuthThrottle).sync();
      expect(await storedPoints(`${net}::/64`)).toBe(4);
    } finally {
      await app.close();
    }
  });

  it('holds the limit across two instances sharing the database', async () => {
    const env = { AUTH_FAILURE_LIMIT: '4', TRUSTED_PROXIES: '127.0.0.1' };
    const a = await startApp(env);
    const b = await startApp(env);
    try {
      const ip = randomV4();
      const user = await register(a);
      // Failures alternate between the instances, a sync interval apart.
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) {
        const app = i % 2 === 0 ? a : b;
        statuses.push((await bad(app, ip)).status);
        await app.get(AuthThrottle).sync();
      }
      const allowed = statuses.filter((s) => s === 401).length;
      // Each instance learns the others' counts at its next write: at most one more per other instance.
      expect(allowed).toBeGreaterThanOrEqual(4);
      expect(allowed).toBeLessThanOrEqual(5);
      expect(statuses.slice(-2)).toEqual([429, 429]);
      // A 4 failures on one instance are not a fresh budget on the other.
      const ip2 = randomV4();
      for (let i = 0; i < 4; i++) expect((await bad(a, ip2)).status).toBe(401);
      await a.get(AuthThrottle).sync();
      expect((await bad(b, ip2)).status).toBe(401); // b has not heard yet: its first failure is its write
      await b.get(AuthThrottle).sync();
      expect((await bad(b, ip2)).status).toBe(429);
      // valid credentials from the limited address still pass
      expect((await http(b).get('/api/user').set('Authorization', `Bearer ${user.token}`).set('X-Forwarded-For', ip)).status).toBe(200);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('wrong passwords (sign-in, confirmation) and bad tokens share the address budget; over it, 429 before any password is checked', async () => {
    const app = await startApp({ AUTH_FAILURE_LIMIT: '3', TRUSTED_PROXIES: '127.0.0.1' });
    try {
      const ip = randomV4();
      const user = await register(app);
      const login = (password: string, from = ip) =>
        http(app).post('/api/users/login').set('X-Forwarded-For', from).send({ user: { email: user.email, password } });
      const confirm = (password: string) =>
        http(app).post('/api/user/reauthenticate').set('Authorization', `Bearer ${user.token}`).set('X-Forwarded-For', ip).send({ password });
      expect((await login('not the password')).status).toBe(401);
      expect((await confirm('not it either')).status).toBe(422);
      expect((await bad(app, ip)).status).toBe(401);
      // Three failures: the right password is not even checked now, at sign-in or in a confirmation.
      const limited = await login(user.password);
      expect(limited.status).toBe(429);
      expect(limited.body).toEqual({ errors: { credentials: [expect.stringMatching(/^too many failed attempts from this address; retry in \d+ seconds$/)] } });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      const confirmLimited = await confirm(user.password);
      expect(confirmLimited.status).toBe(429);
      expect(Object.keys(confirmLimited.body.errors)).toEqual(['password']);
      // Another address is another budget; a valid session still works from this one.
      expect((await login(user.password, randomV4())).status).toBe(200);
      expect((await http(app).get('/api/user').set('Authorization', `Bearer ${user.token}`).set('X-Forwarded-For', ip)).status).toBe(200);
      // The refusals before any check are not failures: three were counted.
      await app.get(AuthThrottle).sync();
      expect(await storedPoints(ip)).toBe(3);
    } finally {
      await app.close();
    }
  });

  it('purges counters whose window has ended, in memory and in the shared store (a scheduler job)', async () => {
    const app = await startApp({ AUTH_FAILURE_LIMIT: '2', AUTH_FAILURE_WINDOW: '1s', TRUSTED_PROXIES: '127.0.0.1' });
    const throttle = app.get(AuthThrottle);
    try {
      const ip = randomV4();
      const other = unique('x');
      expect((await bad(app, ip)).status).toBe(401);
      expect((await bad(app, ip)).status).toBe(401);
      expect((await bad(app, ip)).status).toBe(429);
      await throttle.sync();
      expect(await storedPoints(ip)).toBe(3);
      await db((c) => c.query('INSERT INTO auth_failures (key, points, expire) VALUES ($1, 1, $2)', [other, Date.now() + 3_600_000]));
      await sleep(1100);
      // the window is over: the expired row is deleted (the live one stays), and a fresh budget
      expect(app.get(SchedulerService).jobNames).toContain(AUTH_FAILURES_PURGE_JOB);
      await app.get(SchedulerService).run(AUTH_FAILURES_PURGE_JOB);
      expect(await storedPoints(ip)).toBeNull();
      expect(await storedPoints(other)).toBe(1);
      expect((await bad(app, ip)).status).toBe(401);
      await throttle.sync();
      expect(await storedPoints(ip)).toBe(1);
    } finally {
      await app.close();
      await db((c) => c.query("DELETE FROM auth_failures WHERE key LIKE 'x%'"));
    }
  });

  it('writes the counts still in memory when the server shuts down, before the pool closes', async () => {
    const app = await startApp({ AUTH_FAILURE_LIMIT: '1000', TRUSTED_PROXIES: '127.0.0.1' });
    const ip = randomV4();
    for (let i = 0; i < 5; i++) expect((await bad(app, ip)).status).toBe(401);
    await app.close();
    expect(await storedPoints(ip)).toBe(5);
  });
});
