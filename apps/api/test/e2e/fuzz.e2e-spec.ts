import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createToken, http, register, Registered, startApp, unique, tamper } from '../support/app';

/**
 * A seeded, bounded fuzz run over every operation of the OpenAPI document, against the booted
 * app and the real database: each request starts valid (path parameters of real rows, a body
 * built from the operation's schema, a session) and gets one to three mutations of its body,
 * body bytes, content type, path, query or credentials. Whatever comes in, the answer is never a
 * 5xx other than 503, and every error is in the one format. FUZZ_SEED and FUZZ_REQUESTS override
 * the defaults; a failure prints what to send to reproduce it.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 2500);
const CONCURRENCY = 4;
/** Operations that hash or verify a password (argon2, ~150 ms of CPU each) come round less often. */
const PASSWORD_OPERATIONS = /^(POST \/api\/users|POST \/api\/users\/login|DELETE \/api\/user|POST \/api\/user\/reauthenticate)$/;

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  return { next, int, pick };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  required?: string[];
  enum?: Json[];
  format?: string;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
}
interface Operation {
  method: string;
  path: string;
  body?: Schema;
}

const deep = (depth: number, leaf: Json = 1): Json => (depth === 0 ? leaf : [deep(depth - 1, leaf)]);

const NASTY_STRINGS = [
  '', ' ', '\u0000', 'a\u0000b', '\ud800', 'x\udc00', '\ud83d\ude00', '\uffff', '\u202e', 'x'.repeat(100_000), 'é'.repeat(3000),
  "' OR '1'='1", '"; DROP TABLE users; --', '<script>alert(1)</script>', '../../../etc/passwd', '%00', '%FF', '${jndi:ldap://x}',
  '2026-13-45T99:99:99Z', '9999-12-31T23:59:59Z', '-1', '1e400', 'NaN', 'null', 'true', '[]', '{}', '\r\nX-Injected: 1',
  'javascript:alert(1)', 'https://', 'https://img.test/a.png', 'conduit_' + 'A'.repeat(49), 'eyJhbGciOiJub25lIn0.e30.', '127.1', '::1',
  '10.0.0.1/8', 'never', '30d', 'Europe/Paris', 'Mars/Olympus',
];
const NASTY_VALUES: Json[] = [
  null, true, false, 0, -1, 1.5, 2 ** 53 + 1, 1e308, -1e308, [], {}, [null], [1, 'a', null], { a: { b: { c: 1 } } }, deep(20), deep(40),
  ...NASTY_STRINGS,
];
const NASTY_SEGMENTS = ['%00', '%FF', '%C0%AF', '%ED%A0%80', '..', '%2e%2e', 'a%2Fb', 'x'.repeat(900), 'x'.repeat(1200), 'UPPER', '0', '-1',
  '99999999999999999999', '1.5', "o'brien", '%F0%9F%98%80', '%20', '%25', 'caf%C3%A9', 'null', 'undefined', '00000000-0000-0000-0000-000000000000'];
const CONTENT_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1',
  'application/xml', 'application/jsonx', '', 'application/json;', 'APPLICATION/JSON'];

describe('fuzz: mutated requests over every operation', () => {
  let app: NestFastifyApplication;
  let a: Registered;
  let b: Registered;
  let fixtures: { slug: string; commentId: string; tokenId: string; rawToken: string };
  let operations: Operation[];
  let schemas: Record<string, Schema>;

  beforeAll(async () => {
    app = await startApp();
    a = await register(app);
    b = await register(app);
    fixtures = await makeFixtures();
    const doc = (await http(app).get('/api/docs/openapi.json').expect(200)).body as {
      paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: Schema }> } }>>;
      components?: { schemas?: Record<string, Schema> };
    };
    schemas = doc.components?.schemas ?? {};
    operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), path, body: op.requestBody?.content?.['application/json']?.schema })),
    );
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  async function makeFixtures() {
    const article = await http(app).post('/api/articles').set('Authorization', `Bearer ${a.token}`).send({ article: { title: unique('Fuzz '), description: 'd', body: 'b', tagList: ['fuzz'] } });
    const comment = await http(app).post(`/api/articles/${article.body.article.slug}/comments`).set('Authorization', `Bearer ${a.token}`).send({ comment: { body: 'c' } });
    const token = await createToken(app, a.token);
    return { slug: article.body.article.slug as string, commentId: String(comment.body.comment.id), tokenId: token.id, rawToken: token.raw };
  }

  it(`finds no 5xx other than 503 and no error outside the format (seed ${SEED}, ${REQUESTS} requests)`, async () => {
    const rnd = prng(SEED);
    const resolve = (s: Schema): Schema => (s.$ref ? resolve(schemas[s.$ref.split('/').pop()!] ?? {}) : s.allOf?.length ? resolve(s.allOf[0]) : s);

    /** A valid-looking value for a schema; credentials and identities are fresh, never a fixture's. */
    const sample = (schema: Schema, name = ''): Json => {
      const s = resolve(schema);
      if (s.enum?.length) return rnd.pick(s.enum);
      if (s.oneOf?.length || s.anyOf?.length) return sample(rnd.pick((s.oneOf ?? s.anyOf)!), name);
      if (s.type === 'object' || s.properties) {
        return Object.fromEntries(Object.entries(s.properties ?? {}).map(([key, prop]) => [key, sample(prop, key)]));
      }
      if (s.type === 'array') return [sample(s.items ?? { type: 'string' }, name)];
      if (s.type === 'integer' || s.type === 'number') return rnd.int(100);
      if (s.type === 'boolean') return rnd.next() < 0.5;
      if (/email/i.test(name)) return `${unique('fz')}@example.test`;
      if (/username/i.test(name)) return unique('fz');
      if (/password/i.test(name)) return `fuzz password ${rnd.int(1000)}`;
      if (/image/i.test(name)) return 'https://img.test/fuzz.png';
      if (/allowedIps/i.test(name)) return '127.0.0.1';
      if (s.format === 'date-time' || /At$/.test(name)) return new Date(Date.now() + 86_400_000).toISOString();
      return `fuzz ${rnd.int(1e6)}`;
    };

    /** Every (parent, key) pair of a JSON value, to pick a place to mutate. */
    const places = (value: Json, out: Array<[Record<string, Json> | Json[], string | number]> = []) => {
      if (Array.isArray(value)) value.forEach((v, i) => (out.push([value, i]), places(v, out)));
      else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push([value, k]), places(v, out);
      return out;
    };

    const fill = (path: string): string =>
      path
        .replace('{slug}', fixtures.slug)
        .replace('{username}', rnd.next() < 0.5 ? b.username : a.username)
        .replace('{id}', path.includes('comments') ? fixtures.commentId : fixtures.tokenId)
        .replace(/\{[^}]+\}/g, 'x');

    const schedule = operations.flatMap((op) => Array<Operation>(PASSWORD_OPERATIONS.test(`${op.method} ${op.path}`) ? 1 : 5).fill(op));
    const statuses: Record<number, number> = {};
    const perOperation: Record<string, number> = {};
    const failures: string[] = [];
    const started = Date.now();

    /** One mutated request, drawn from the seeded sequence. */
    const build = (n: number) => {
      const op = schedule[n % schedule.length];
      let method = op.method;
      let url = fill(op.path);
      let body: Json | undefined = op.body ? sample(op.body) : undefined;
      let raw: string | Buffer | undefined;
      // Signing out ends the caller's session: B's, so that A (whose rows the paths name) lives on.
      const headers: Record<string, string> = { authorization: `Bearer ${/logout/.test(op.path) ? b.token : a.token}` };
      let contentType: string | undefined = 'application/json';

      const mutations = 1 + rnd.int(3);
      for (let m = 0; m < mutations; m++) {
        const kind = rnd.int(12);
        if (kind <= 2 && body !== undefined) {
          const spots = places(body);
          if (spots.length) {
            const [parent, key] = rnd.pick(spots);
            (parent as Record<string | number, Json>)[key] = rnd.pick(NASTY_VALUES);
          } else body = rnd.pick(NASTY_VALUES);
        } else if (kind === 3 && body !== undefined) {
          const spots = places(body);
          if (spots.length) {
            const [parent, key] = rnd.pick(spots);
            if (Array.isArray(parent)) parent.splice(Number(key), 1);
            else delete parent[key as string];
          }
          if (rnd.next() < 0.3 && body && typeof body === 'object' && !Array.isArray(body)) body[rnd.pick(['extra', '__proto__', 'constructor', 'user', 'a\u0000'])] = rnd.pick(NASTY_VALUES);
        } else if (kind === 4) {
          const choice = rnd.int(7);
          if (choice === 0) raw = `{"user":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
          else if (choice === 1) raw = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
          else body = rnd.pick([deep(33), deep(31, 'x'), NASTY_VALUES[rnd.int(NASTY_VALUES.length)], [body ?? null], { wrapper: body ?? null }]);
        } else if (kind === 5) {
          const text = JSON.stringify(body ?? {});
          const at = rnd.int(text.length + 1);
          raw = rnd.pick([
            text.slice(0, at),
            text.slice(0, at) + rnd.pick(['{', '}', '"', '\\', ',', ':', '\u0000', '\\u0000', '\\ud800', '\\x', 'NaN']) + text.slice(at),
            Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(text.slice(at))]),
            '\ufeff' + text,
            '',
            '{"__proto__":{"admin":true},"user":{}}',
            '{"constructor":{"prototype":{"admin":true}}}',
            '{"user":{"email":"a@b.test","email":"c@d.test","password":"xxxxxxxx"}}',
            '['.repeat(200_000),
          ]);
        } else if (kind === 6) {
          contentType = rnd.pick(CONTENT_TYPES);
          if (contentType === 'application/x-www-form-urlencoded') raw = rnd.pick(['user[email]=a%40b.test&user[password]=x', 'a=1&a=2', '%', '__proto__=1']);
        } else if (kind === 7) {
          const segments = url.split('/');
          const i = 2 + rnd.int(Math.max(1, segments.length - 2));
          if (i < segments.length) segments[i] = rnd.pick(NASTY_SEGMENTS);
          else segments.push(rnd.pick(NASTY_SEGMENTS));
          url = segments.join('/');
        } else if (kind === 8) {
          const key = rnd.pick(['limit', 'offset', 'tag', 'author', 'favorited', 'state', 'unknown', 'access_token', 'limit[]', '__proto__']);
          const value = rnd.pick(['-1', '0', '1', '1e3', '99999999999999999999', 'abc', '', '%00', '%FF', 'x'.repeat(5000), '1&limit=2']);
          url += `${url.includes('?') ? '&' : '?'}${key}=${value}`;
        } else if (kind === 9) {
          const credential = rnd.pick([
            undefined, 'Bearer', 'Bearer ', 'Bearer garbage', `Bearer ${a.token} extra`, `Token ${a.token}`, `bearer ${a.token}`, `Bearer ${b.token}`,
            `Bearer ${fixtures.rawToken}`, `Bearer ${tamper(fixtures.rawToken)}`, `Bearer conduit_${'0'.repeat(49)}`, 'Basic YTpi',
            `Bearer ${'x'.repeat(10_000)}`, `Bearer ${a.token.split('.').slice(0, 2).join('.')}.`, 'Bearer \u00e9', 'Bearer a.b.c',
          ]);
          if (credential === undefined) delete headers.authorization;
          else headers.authorization = credential;
        } else if (kind === 10) {
          method = rnd.pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']);
        } else {
          const [name, value] = rnd.pick([
            ['x-forwarded-for', rnd.pick(['garbage', '1.2.3.4, ::1', '::ffff:1.2.3.4', '999.1.1.1', ''])],
            ['cookie', rnd.pick(['conduit_refresh=garbage', 'conduit_refresh=', 'conduit_refresh=%FF', `conduit_refresh=${'a'.repeat(4000)}`])],
            ['accept', rnd.pick(['text/html', 'application/xml', '*/*', ''])],
            ['origin', rnd.pick(['https://evil.test', 'null', ''])],
            ['access-control-request-method', 'DELETE'],
          ]);
          headers[name] = value;
        }
      }

      let payload: string | Buffer | undefined = raw ?? (body === undefined ? undefined : JSON.stringify(body));
      if (method === 'GET' || method === 'HEAD') payload = undefined;
      if (payload !== undefined && contentType) headers['content-type'] = contentType;
      return { n, op, method, url, headers, payload };
    };
    type Built = ReturnType<typeof build>;

    const check = ({ n, op, method, url, headers, payload }: Built, res: Awaited<ReturnType<NestFastifyApplication['inject']>>) => {
      statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
      perOperation[`${op.method} ${op.path}`] = (perOperation[`${op.method} ${op.path}`] ?? 0) + 1;

      let problem: string | null = null;
      if (res.statusCode >= 500 && res.statusCode !== 503) problem = `status ${res.statusCode}`;
      else if (res.statusCode >= 400 && method !== 'HEAD') {
        try {
          const parsed = JSON.parse(res.body) as { errors?: Record<string, unknown>; error?: unknown; error_description?: unknown };
          const errors = parsed.errors;
          // The OAuth token endpoint answers its 400s in OAuth's format (RFC 6749 §5.2), as its clients expect.
          const oauth = op.path === '/api/oauth/token' && res.statusCode === 400;
          const oauthFormat = oauth && typeof parsed.error === 'string' && typeof parsed.error_description === 'string' && Object.keys(parsed).length === 2;
          const ok =
            oauthFormat ||
            (Object.keys(parsed).length === 1 && errors && typeof errors === 'object' && Object.keys(errors).length > 0 &&
              Object.values(errors).every((list) => Array.isArray(list) && list.length > 0 && list.every((m) => typeof m === 'string' && m.length > 0)));
          if (!ok) problem = 'error body outside the format';
          if (!String(res.headers['content-type']).startsWith('application/json')) problem = `content-type ${res.headers['content-type']}`;
          if (res.statusCode === 401 && !res.headers['www-authenticate']) problem = '401 without WWW-Authenticate';
        } catch {
          problem = 'error body is not JSON';
        }
      }
      if (problem && failures.length < 20) {
        const shown = payload === undefined ? '' : (Buffer.isBuffer(payload) ? payload.toString('latin1') : payload).slice(0, 300);
        failures.push(`#${n} ${problem}: ${method} ${url.slice(0, 200)} ${JSON.stringify(headers).slice(0, 300)} ${shown} → ${res.statusCode} ${res.body.slice(0, 300)}`);
      }
    };

    // A few requests in flight at once, as clients would send them (and the argon2 work overlaps).
    for (let n = 0; n < REQUESTS; n += CONCURRENCY) {
      const batch = Array.from({ length: Math.min(CONCURRENCY, REQUESTS - n) }, (_, k) => build(n + k));
      const results = await Promise.all(batch.map((r) => app.inject({ method: r.method as 'GET', url: r.url, headers: r.headers, payload: r.payload })));
      batch.forEach((r, k) => check(r, results[k]));
      const removals = batch.filter((r, k) => results[k].statusCode < 300 && (r.method === 'DELETE' || /logout/.test(r.url)));
      // Keep the fixtures alive: a successful deletion or sign-out takes them away.
      if (removals.length > 0) {
        const gone = async (path: string, token = a.token) => (await http(app).get(path).set('Authorization', `Bearer ${token}`)).status >= 400;
        if (await gone('/api/user')) {
          a = await register(app);
          fixtures = await makeFixtures();
        } else if ((await gone(`/api/articles/${fixtures.slug}`)) || (await gone('/api/user/api-tokens/current', fixtures.rawToken))) {
          fixtures = await makeFixtures();
        } else if (removals.some((r) => /comments/.test(r.url))) {
          const comments = (await http(app).get(`/api/articles/${fixtures.slug}/comments`)).body.comments as Array<{ id: number }>;
          if (!comments.some((c) => String(c.id) === fixtures.commentId)) fixtures = await makeFixtures();
        }
      }
    }

    const seconds = (Date.now() - started) / 1000;
    console.log(
      `fuzz: seed ${SEED}, ${REQUESTS} requests over ${operations.length} operations in ${seconds.toFixed(1)} s; ` +
        `statuses ${JSON.stringify(statuses)}; per operation ${JSON.stringify(perOperation)}`,
    );
    expect(failures).toEqual([]);
    expect(Object.keys(perOperation)).toHaveLength(operations.length);
    expect(operations.length).toBeGreaterThanOrEqual(25);
  }, 120_000);
});
