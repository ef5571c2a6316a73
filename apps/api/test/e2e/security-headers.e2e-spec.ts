import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createToken, http, register, startApp } from '../support/app';

jest.setTimeout(60_000);

const CSP_PARTS = ["default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'"];

function expectBrowserHeaders(headers: Record<string, string>): void {
  for (const part of CSP_PARTS) expect(headers['content-security-policy']).toContain(part);
  expect(headers['content-security-policy']).not.toContain("'unsafe-eval'");
  expect(headers['content-security-policy']).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
}

describe('browser security headers, no-store on secrets, the refresh cookie behind proxies', () => {
  let trusted: NestFastifyApplication;
  let untrusted: NestFastifyApplication;
  let webDist: string;
  beforeAll(async () => {
    webDist = fs.mkdtempSync(path.join(os.tmpdir(), 'conduit-web-'));
    fs.writeFileSync(path.join(webDist, 'index.html'), '<!doctype html><title>Conduit</title><div id="root"></div>');
    [trusted, untrusted] = await Promise.all([
      startApp({ WEB_DIST: webDist, TRUSTED_PROXIES: '127.0.0.1/32', COOKIE_SECURE: 'auto' }),
      startApp({ WEB_DIST: webDist, COOKIE_SECURE: 'auto' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([trusted.close(), untrusted.close()]);
    fs.rmSync(webDist, { recursive: true, force: true });
  });

  it('the SPA, the API, the docs and errors carry CSP, framing denied, nosniff and no-referrer', async () => {
    const spa = await http(trusted).get('/app/settings/api-tokens').expect(200);
    expect(spa.headers['content-type']).toMatch(/^text\/html/);
    expectBrowserHeaders(spa.headers);
    expectBrowserHeaders((await http(trusted).get('/api/tags').expect(200)).headers);
    expectBrowserHeaders((await http(trusted).get('/api/user').expect(401)).headers);
    const docs = await http(trusted).get('/api/docs').expect(200);
    expect(docs.text).toContain('swagger-ui');
    expectBrowserHeaders(docs.headers);
    expectBrowserHeaders((await http(trusted).get('/api/docs/openapi.json').expect(200)).headers);
  });

  it('HSTS only when the request came over HTTPS, as said by a trusted proxy', async () => {
    const viaTls = await http(trusted).get('/api/tags').set('X-Forwarded-Proto', 'https').expect(200);
    expect(viaTls.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect((await http(trusted).get('/api/tags').expect(200)).headers['strict-transport-security']).toBeUndefined();
    expect((await http(trusted).get('/api/tags').set('X-Forwarded-Proto', 'http').expect(200)).headers['strict-transport-security']).toBeUndefined();
    // From a peer that is not a trusted proxy the header means nothing.
    expect((await http(untrusted).get('/api/tags').set('X-Forwarded-Proto', 'https').expect(200)).headers['strict-transport-security']).toBeUndefined();
  });

  it('Cache-Control: no-store on every answer that carries a secret, and not on others', async () => {
    const u = await register(trusted);
    const noStore = (res: { headers: Record<string, string> }) => expect(res.headers['cache-control']).toBe('no-store');
    const login = await http(trusted).post('/api/users/login').send({ user: { email: u.email, password: u.password } }).expect(200);
    noStore(login);
    const cookie = ([] as string[]).concat(login.headers['set-cookie'] ?? [])[0].split(';')[0];
    noStore(await http(trusted).post('/api/users/refresh').set('Cookie', cookie).expect(200));
    noStore(await http(trusted).get('/api/user').set('Authorization', `Bearer ${u.token}`).expect(200));
    const signup = await http(trusted).post('/api/users').send({ user: { username: `h${Date.now()}`, email: `h${Date.now()}@example.test`, password: 'correct horse battery' } }).expect(201);
    noStore(signup);
    const created = await http(trusted).post('/api/user/api-tokens').set('Authorization', `Bearer ${u.token}`).send({ apiToken: { name: 'ci' } }).expect(201);
    noStore(created);
    const rotated = await http(trusted).post(`/api/user/api-tokens/${created.body.apiToken.id}/rotate`).set('Authorization', `Bearer ${u.token}`).send({ rotation: { overlapSeconds: 60 } }).expect(201);
    noStore(rotated);
    noStore(await http(trusted).post('/api/user/api-tokens/current/rotate').set('Authorization', `Bearer ${rotated.body.token}`).send({}).expect(201));
    expect((await http(trusted).get('/api/tags').expect(200)).headers['cache-control']).not.toBe('no-store');
    const t = await createToken(trusted, u.token);
    expect((await http(trusted).get('/api/user/api-tokens').set('Authorization', `Bearer ${t.raw}`).expect(200)).headers['cache-control']).not.toBe('no-store');
  });

  it('COOKIE_SECURE=auto: Secure behind a trusted proxy that says https; never on the word of anyone else', async () => {
    const u = await register(trusted);
    const signIn = (app: NestFastifyApplication, proto?: string) => {
      const req = http(app).post('/api/users/login');
      if (proto) void req.set('X-Forwarded-Proto', proto);
      return req.send({ user: { email: u.email, password: u.password } }).expect(200);
    };
    const cookieOf = (res: { headers: Record<string, unknown> }) => ([] as string[]).concat((res.headers['set-cookie'] as string[]) ?? [])[0];
    expect(cookieOf(await signIn(trusted, 'https'))).toMatch(/; Secure/);
    expect(cookieOf(await signIn(trusted, 'http'))).not.toMatch(/; Secure/);
    expect(cookieOf(await signIn(trusted))).not.toMatch(/; Secure/);
    expect(cookieOf(await signIn(untrusted, 'https'))).not.toMatch(/; Secure/);
  });
});
