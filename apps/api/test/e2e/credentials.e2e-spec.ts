import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { generateApiToken } from '../../src/api-tokens/token-codec';
import { createToken, http, register, startApp } from '../support/app';
import { allEvents } from '../support/security-log';

jest.setTimeout(30_000);

const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });
const report = (app: NestFastifyApplication, body: unknown) => http(app).post('/api/credentials/revoke').send(body as object);

describe('POST /api/credentials/revoke (leak reports)', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await startApp({ LEAK_REPORT_LIMIT: '1000' });
  });
  afterAll(async () => {
    await app.close();
  });

  it('a valid active token: 202 {"received": 1}, revoked at once, the owner sees token.revoked by leak_report', async () => {
    const a = await register(app);
    const t = await createToken(app, a.token, { name: 'leaked in a gist' });
    await http(app).get('/api/user').set(bearer(t.raw)).expect(200);
    const res = await report(app, { credentials: [t.raw] });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ received: 1 });
    const refused = await http(app).get('/api/user').set(bearer(t.raw));
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({ errors: { token: ['has been revoked'] } });
    const list = await http(app).get('/api/user/api-tokens').set(bearer(a.token)).expect(200);
    expect(list.body.apiTokens).toEqual([]);
    const revoked = (await allEvents(app, a.token)).filter((e) => e.type === 'token.revoked');
    expect(revoked).toEqual([
      expect.objectContaining({ tokenId: t.id, tokenName: 'leaked in a gist', tokenHint: t.raw.slice(-4), detail: { by: 'leak_report' }, ip: null }),
    ]);
  });

  it('the same 202 and body for unknown, malformed, already revoked and mixed lists; only the live tokens are revoked', async () => {
    const a = await register(app);
    const b = await register(app);
    const live = await createToken(app, a.token, { name: 'live' });
    const others = await createToken(app, b.token, { name: 'someone else' });
    const gone = await createToken(app, a.token, { name: 'already revoked' });
    await http(app).delete(`/api/user/api-tokens/${gone.id}`).set(bearer(a.token)).expect(204);
    const kept = await createToken(app, a.token, { name: 'not reported' });
    const lists: string[][] = [
      [generateApiToken()],
      ['not a token at all', 'conduit_short', `${live.raw.slice(0, -1)}0`, ''],
      [gone.raw],
      [generateApiToken(), live.raw, 'garbage', gone.raw, others.raw, live.raw],
    ];
    const answers = [];
    for (const credentials of lists) {
      const res = await report(app, { credentials });
      answers.push([res.status, res.body, res.headers['content-type']]);
    }
    for (const [i, answer] of answers.entries()) {
      expect(answer).toEqual([202, { received: lists[i].length }, 'application/json; charset=utf-8']);
    }
    expect((await http(app).get('/api/user').set(bearer(live.raw))).status).toBe(401);
    expect((await http(app).get('/api/user').set(bearer(others.raw))).status).toBe(401);
    expect((await http(app).get('/api/user').set(bearer(kept.raw))).status).toBe(200);
    const eventsA = (await allEvents(app, a.token)).filter((e) => e.type === 'token.revoked');
    expect(eventsA.map((e) => [e.tokenName, e.detail.by])).toEqual([
      ['already revoked', 'session'],
      ['live', 'leak_report'],
    ]);
    const eventsB = (await allEvents(app, b.token)).filter((e) => e.type === 'token.revoked');
    expect(eventsB.map((e) => [e.tokenName, e.detail.by])).toEqual([['someone else', 'leak_report']]);
  });

  it('is documented in OpenAPI, as is the security log: DTOs, errors, security', async () => {
    const doc = (await http(app).get('/api/docs/openapi.json').expect(200)).body;
    const revoke = doc.paths['/api/credentials/revoke'].post;
    expect(Object.keys(revoke.responses).sort()).toEqual(['202', '400', '413', '415', '422', '429']);
    expect(revoke.security).toEqual([]);
    expect(revoke.requestBody.content['application/json'].schema.$ref).toMatch(/RevokeCredentialsDto$/);
    expect(doc.components.schemas.RevokeCredentialsDto.properties.credentials).toMatchObject({ type: 'array', maxItems: 100, minItems: 1 });
    const log = doc.paths['/api/user/security-log'].get;
    expect(Object.keys(log.responses).sort()).toEqual(['200', '400', '401', '403', '422', '429', '503']);
    expect(log.security).toEqual([{ bearer: [] }]);
    expect(log.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['before', 'limit', 'tokenId', 'type']);
    expect(doc.components.schemas.SecurityEventDto.properties.type.enum).toContain('token.new_ip');
    expect(doc.components.schemas.SecurityLogResponseDto.required).toEqual(expect.arrayContaining(['events', 'nextCursor']));
  });

  it('ignores an Authorization header, even a bad one', async () => {
    const res = await http(app).post('/api/credentials/revoke').set('Authorization', 'Bearer conduit_nonsense').send({ credentials: ['x'] });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ received: 1 });
  });

  it.each([
    ['missing credentials', {}],
    ['null', { credentials: null }],
    ['a string', { credentials: 'conduit_x' }],
    ['numbers', { credentials: [1, 2] }],
    ['an empty list', { credentials: [] }],
    ['101 entries', { credentials: Array.from({ length: 101 }, () => generateApiToken()) }],
    ['an over-long entry', { credentials: ['x'.repeat(1001)] }],
    ['an unknown field', { credentials: ['x'], extra: true }],
  ])('%s → 422 naming the problem', async (_name, body) => {
    const res = await report(app, body);
    expect(res.status).toBe(422);
    const fields = Object.keys(res.body.errors);
    expect(fields).toHaveLength(1);
    expect(['credentials', 'extra']).toContain(fields[0]);
  });

  it('100 entries are accepted; a body that is not JSON is the usual 400; the raw values never reach the logs', async () => {
    const lines: string[] = [];
    const logged = await startApp(
      { LOG_LEVEL: 'trace' },
      { logStream: { write: (line: string) => void lines.push(line) } as unknown as NodeJS.WritableStream },
    );
    try {
      const a = await register(logged);
      const t = await createToken(logged, a.token);
      const hundred = [t.raw, ...Array.from({ length: 99 }, () => generateApiToken())];
      const ok = await report(logged, { credentials: hundred });
      expect(ok.status).toBe(202);
      expect(ok.body).toEqual({ received: 100 });
      const bad = await http(logged).post('/api/credentials/revoke').set('Content-Type', 'application/json').send('{"credentials": [');
      expect(bad.status).toBe(400);
      expect(bad.body).toEqual({ errors: { body: ['is not valid JSON'] } });
      await report(logged, { credentials: [t.raw, 'x'.repeat(1001)] }).expect(422);
      await new Promise((r) => setTimeout(r, 50));
      expect(lines.length).toBeGreaterThan(0);
      const all = lines.join('\n');
      expect(all).not.toContain(t.raw);
      expect(all).not.toContain(hundred[50]);
    } finally {
      await logged.close();
    }
  });

  it('throttled per client address: beyond LEAK_REPORT_LIMIT a 429 with Retry-After, malformed reports counted too', async () => {
    const limited = await startApp({ LEAK_REPORT_LIMIT: '3', LEAK_REPORT_WINDOW: '1h', TRUSTED_PROXIES: '127.0.0.1/32' });
    try {
      const from = (ip: string, body: unknown) => http(limited).post('/api/credentials/revoke').set('X-Forwarded-For', ip).send(body as object);
      expect((await from('198.51.100.7', { credentials: ['a'] })).status).toBe(202);
      expect((await from('198.51.100.7', { credentials: [] })).status).toBe(422);
      expect((await from('198.51.100.7', { credentials: ['b'] })).status).toBe(202);
      const over = await from('198.51.100.7', { credentials: ['c'] });
      expect(over.status).toBe(429);
      expect(Number(over.headers['retry-after'])).toBeGreaterThan(3000);
      expect(Number(over.headers['retry-after'])).toBeLessThanOrEqual(3600);
      expect(over.body).toEqual({ errors: { requests: [expect.stringContaining('too many')] } });
      // Another address is not affected.
      expect((await from('198.51.100.8', { credentials: ['a'] })).status).toBe(202);
      // IPv6: one budget per /64, as for failed authentications and sign-ups.
      for (const ip of ['2001:db8:5:6::1', '2001:db8:5:6::2', '2001:db8:5:6:a:b:c:d']) expect((await from(ip, { credentials: ['a'] })).status).toBe(202);
      expect((await from('2001:db8:5:6::99', { credentials: ['a'] })).status).toBe(429);
      expect((await from('2001:db8:5:7::1', { credentials: ['a'] })).status).toBe(202);
    } finally {
      await limited.close();
    }
  });
});
