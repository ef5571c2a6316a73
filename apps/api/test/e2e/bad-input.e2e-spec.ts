import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createToken, http, listen, register, Registered, startApp, unique } from '../support/app';
import { rawRequest, RawResponse } from '../support/raw-http';

const CHALLENGE = 'Bearer realm="conduit"';
const NUL = 'must not contain NUL characters';
const SURROGATE = 'must be valid Unicode text (it contains an unpaired surrogate)';
const TOO_DEEP = 'is nested too deeply (at most 32 levels)';

/** The one error format: an object of non-empty lists of strings, nothing else. */
function expectErrorFormat(body: unknown): void {
  expect(body).toEqual({ errors: expect.any(Object) });
  const errors = Object.entries((body as { errors: Record<string, unknown> }).errors);
  expect(errors.length).toBeGreaterThan(0);
  for (const [, messages] of errors) {
    expect(messages).toEqual(expect.arrayContaining([expect.any(String)]));
    expect((messages as unknown[]).every((m) => typeof m === 'string' && m.length > 0)).toBe(true);
  }
}

const nestedArrays = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const nestedObjects = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

describe('bad input answers a 4xx in the error format, never a 500', () => {
  let app: NestFastifyApplication;
  let port: number;
  let me: Registered;
  beforeAll(async () => {
    app = await startApp();
    port = Number(new URL(await listen(app, '127.0.0.1')).port);
    me = await register(app);
  });
  afterAll(async () => {
    await app.close();
  });

  describe('JSON nested 10,000 levels deep is refused before any transformation', () => {
    const bodies = [
      ['arrays', nestedArrays(10_000)],
      ['objects', nestedObjects(10_000)],
      ['inside the wrapper', `{"user":{"email":${nestedArrays(10_000)},"password":"x"}}`],
      ['just past the limit', `{"user":${nestedArrays(32)}}`],
    ];
    it.each(bodies)('sign-in (unauthenticated), %s → 400 body', async (_name, body) => {
      const res = await http(app).post('/api/users/login').set('Content-Type', 'application/json').send(body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ errors: { body: [TOO_DEEP] } });
    });

    it.each([
      ['post', '/api/users'],
      ['put', '/api/user'],
      ['post', '/api/articles'],
      ['post', '/api/user/api-tokens'],
      ['delete', '/api/user'],
    ] as const)('%s %s → 400', async (method, path) => {
      const res = await http(app)[method](path).set('Authorization', `Bearer ${me.token}`).set('Content-Type', 'application/json').send(nestedObjects(10_000));
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ errors: { body: [TOO_DEEP] } });
    });

    it('does not count brackets inside strings, and lets ordinary nesting through to the validators', async () => {
      const brackets = '['.repeat(5000);
      const res = await http(app).post('/api/users/login').send({ user: { email: `${brackets}@example.test`, password: 'x' } });
      expect(res.status).toBe(422);
      expect(res.body.errors.email).toEqual(['is too long']);
      const nested = await http(app).post('/api/users/login').set('Content-Type', 'application/json').send(`{"user":${nestedArrays(30)}}`);
      expect(nested.status).toBe(422);
      expectErrorFormat(nested.body);
    });
  });

  describe('NUL characters and unpaired surrogates in any body string → 422 naming the field', () => {
    it('sign-in email (NUL, lone high and low surrogates)', async () => {
      for (const [email, message] of [
        ['a\u0000b@example.test', NUL],
        ['\ud800x@example.test', SURROGATE],
        ['x\udc00@example.test', SURROGATE],
      ]) {
        const res = await http(app).post('/api/users/login').send({ user: { email, password: 'whatever1' } });
        expect(res.status).toBe(422);
        expect(res.body).toEqual({ errors: { email: [message] } });
      }
      // A well-formed pair (an emoji) is text like any other.
      const emoji = await http(app).post('/api/users/login').send({ user: { email: '\ud83d\ude00@example.test', password: 'whatever1' } });
      expect(emoji.status).toBe(401);
    });

    it('a field named like an Object.prototype member ("constructor", "__proto__") is named too, never a 500', async () => {
      for (const key of ['constructor', 'toString', 'hasOwnProperty']) {
        const res = await app.inject({
          method: 'POST', url: '/api/users/login', headers: { 'content-type': 'application/json' }, payload: `{"${key}":"\\ud800"}`,
        });
        expect({ key, status: res.statusCode, body: JSON.parse(res.body) }).toEqual({ key, status: 422, body: { errors: { [key]: [SURROGATE] } } });
      }
    });

    it('sign-up email with an unpaired surrogate (the email validator used to throw)', async () => {
      const res = await http(app).post('/api/users').send({ user: { username: unique('s'), email: '\ud800x@example.test', password: 'password123' } });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ errors: { email: [SURROGATE] } });
    });

    it.each([
      ['bio', { bio: 'hello\u0000world' }],
      ['image', { image: 'https://img.test/\u0000.png' }],
      ['username', { username: 'a\u0000' }],
    ])('PUT /api/user %s', async (field, user) => {
      const a = await register(app);
      const res = await http(app).put('/api/user').set('Authorization', `Bearer ${a.token}`).send({ user });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ errors: { [field]: [NUL] } });
      const after = await http(app).get('/api/user').set('Authorization', `Bearer ${a.token}`);
      expect(after.body.user).toMatchObject({ username: a.username, bio: null, image: null });
    });

    it('token name, article fields, tags and comments', async () => {
      const token = await http(app).post('/api/user/api-tokens').set('Authorization', `Bearer ${me.token}`).send({ apiToken: { name: 'ci\u0000' } });
      expect(token.status).toBe(422);
      expect(token.body).toEqual({ errors: { name: [NUL] } });
      const article = await http(app)
        .post('/api/articles')
        .set('Authorization', `Bearer ${me.token}`)
        .send({ article: { title: 'T\ud800', description: 'd', body: 'b', tagList: ['ok', 'x\u0000'] } });
      expect(article.status).toBe(422);
      expect(article.body).toEqual({ errors: { title: [SURROGATE], tagList: [NUL] } });
      const created = await http(app).post('/api/articles').set('Authorization', `Bearer ${me.token}`).send({ article: { title: unique('T'), description: 'd', body: 'b' } });
      const comment = await http(app)
        .post(`/api/articles/${created.body.article.slug}/comments`)
        .set('Authorization', `Bearer ${me.token}`)
        .send({ comment: { body: '\u0000' } });
      expect(comment.status).toBe(422);
      expect(comment.body).toEqual({ errors: { body: [NUL] } });
    });
  });

  describe('requests the HTTP parser refuses, and other requests that never reach a route', () => {
    const send = (head: string | Buffer) => rawRequest(port, head);
    const expectRefused = (res: RawResponse, status: number, field: string) => {
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const body = JSON.parse(res.body);
      expectErrorFormat(body);
      expect(Object.keys(body.errors)).toEqual([field]);
    };

    it('raw non-ASCII bytes in the path', async () => {
      const res = await send(Buffer.concat([Buffer.from('GET /api/profiles/'), Buffer.from([0xc3, 0xa9, 0xff]), Buffer.from(' HTTP/1.1\r\nHost: x\r\n\r\n')]));
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expectErrorFormat(JSON.parse(res.body));
    });

    it('a CR inside a header value', async () => {
      expectRefused(await send('GET /api/tags HTTP/1.1\r\nHost: x\r\nX-Note: a\rb\r\n\r\n'), 400, 'headers');
    });

    it('an unknown method', async () => {
      expectRefused(await send('BREW /api/tags HTTP/1.1\r\nHost: x\r\n\r\n'), 400, 'method');
    });

    it('both Transfer-Encoding and Content-Length', async () => {
      const res = await send('POST /api/users/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n');
      expectRefused(res, 400, 'headers');
    });

    it('oversized headers → 431', async () => {
      expectRefused(await send(`GET /api/tags HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`), 431, 'headers');
    });

    it('no Host on HTTP/1.1 → 400 naming host; HTTP/1.0 needs none', async () => {
      expectRefused(await send('GET /api/tags HTTP/1.1\r\n\r\n'), 400, 'host');
      expect((await send('GET /api/tags HTTP/1.0\r\n\r\n')).status).toBe(200);
    });

    it('OPTIONS that is not a CORS preflight → 400 in the format; a real preflight still works', async () => {
      expectRefused(await send('OPTIONS /api/tags HTTP/1.1\r\nHost: x\r\n\r\n'), 400, 'request');
      const preflight = await send('OPTIONS /api/tags HTTP/1.1\r\nHost: x\r\nOrigin: https://app.test\r\nAccess-Control-Request-Method: GET\r\n\r\n');
      expect(preflight.status).toBe(204);
    });
  });

  describe('a body over the 1 MiB limit', () => {
    it.each([1, 2, 3, 4, 5])('413 reaches a client that sends all of its 4 MiB before reading (attempt %i)', async () => {
      const body = Buffer.alloc(4 * 1024 * 1024, 'a');
      const res = await rawRequest(
        port,
        `POST /api/users/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
        body,
      );
      expect(res.reset).toBe(false);
      expect(res.status).toBe(413);
      expect(JSON.parse(res.body)).toEqual({ errors: { body: ['is too large'] } });
    });

    it('413 for a chunked body that grows past the limit', async () => {
      const chunk = Buffer.alloc(256 * 1024, 'b');
      const framed = Buffer.concat(Array.from({ length: 6 }, () => Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')])).concat(Buffer.from('0\r\n\r\n')));
      const res = await rawRequest(port, 'POST /api/users/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n', framed);
      expect(res.reset).toBe(false);
      expect(res.status).toBe(413);
      expect(JSON.parse(res.body)).toEqual({ errors: { body: ['is too large'] } });
    });
  });

  describe('every 401 carries WWW-Authenticate', () => {
    it('a wrong password at sign-in', async () => {
      const res = await http(app).post('/api/users/login').send({ user: { email: me.email, password: 'wrong password' } });
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(CHALLENGE);
      expect(res.body).toEqual({ errors: { credentials: ['invalid'] } });
    });

    it('a refresh without a cookie, and with a bad one', async () => {
      const none = await http(app).post('/api/users/refresh');
      expect(none.status).toBe(401);
      expect(none.headers['www-authenticate']).toBe(CHALLENGE);
      const bad = await http(app).post('/api/users/refresh').set('Cookie', 'conduit_refresh=garbage');
      expect(bad.status).toBe(401);
      expect(bad.headers['www-authenticate']).toBe(CHALLENGE);
      expectErrorFormat(bad.body);
    });
  });

  describe('a malformed Authorization header → 400 invalid_request (RFC 6750 §3.1)', () => {
    const INVALID_REQUEST = `${CHALLENGE}, error="invalid_request"`;

    it('two Authorization headers, whichever comes first', async () => {
      const { raw } = await createToken(app, me.token);
      // A malformed API token too: refused early, but an Authorization header sent twice is a 400 whatever it carries.
      const malformed = raw.slice(0, -1);
      for (const [first, second] of [
        [`Bearer ${me.token}`, 'Bearer garbage'], ['Bearer garbage', `Bearer ${raw}`], [`Bearer ${raw}`, `Bearer ${raw}`], [`Bearer ${malformed}`, `Bearer ${malformed}`],
      ]) {
        const res = await rawRequest(port, `GET /api/user HTTP/1.1\r\nHost: x\r\nAuthorization: ${first}\r\nauthorization: ${second}\r\n\r\n`);
        expect(res.status).toBe(400);
        expect(res.headers['www-authenticate']).toBe(INVALID_REQUEST);
        expect(JSON.parse(res.body)).toEqual({ errors: { authorization: ['must be sent once (the request has several Authorization headers)'] } });
      }
    });

    it('Bearer <credential> <more>, with a session and with an API token', async () => {
      const { raw } = await createToken(app, me.token);
      for (const credential of [me.token, raw]) {
        const res = await http(app).get('/api/user').set('Authorization', `Bearer ${credential} extra`);
        expect(res.status).toBe(400);
        expect(res.headers['www-authenticate']).toBe(INVALID_REQUEST);
        expect(res.body).toEqual({ errors: { authorization: ['must be "Bearer <token>" with nothing after the token'] } });
        expect((await http(app).get('/api/user').set('Authorization', `Bearer ${credential}`)).status).toBe(200);
      }
      // On a route where credentials are optional, too.
      expect((await http(app).get('/api/articles').set('Authorization', `Bearer ${me.token} ${me.token}`)).status).toBe(400);
    });
  });

  describe('usernames are unique case-insensitively', () => {
    it('sign-up with another case of a taken username → 409 username', async () => {
      const base = unique('Case');
      await register(app, { username: base });
      const res = await http(app).post('/api/users').send({ user: { username: base.toLowerCase(), email: `${unique('c')}@example.test`, password: 'password123' } });
      expect(res.status).toBe(409);
      expect(res.body).toEqual({ errors: { username: ['has already been taken'] } });
    });

    it("renaming to another case of someone else's name → 409; of one's own name → 200", async () => {
      const a = await register(app, { username: unique('Ren') });
      const b = await register(app);
      const taken = await http(app).put('/api/user').set('Authorization', `Bearer ${b.token}`).send({ user: { username: a.username.toUpperCase() } });
      expect(taken.status).toBe(409);
      expect(taken.body).toEqual({ errors: { username: ['has already been taken'] } });
      const own = await http(app).put('/api/user').set('Authorization', `Bearer ${a.token}`).send({ user: { username: a.username.toLowerCase() } });
      expect(own.status).toBe(200);
      expect(own.body.user.username).toBe(a.username.toLowerCase());
    });

    it('the database refuses a case-only duplicate even past the service check (unique index)', async () => {
      const a = await register(app, { username: unique('Idx') });
      const { Client } = await import('pg');
      const db = new Client({ connectionString: process.env.DATABASE_URL });
      await db.connect();
      try {
        await expect(
          db.query(`INSERT INTO users (username, email, password_hash) VALUES ($1, $2, 'x')`, [a.username.toUpperCase(), `${unique('i')}@example.test`]),
        ).rejects.toMatchObject({ code: '23505', constraint: 'users_username_lower_key' });
      } finally {
        await db.end();
      }
    });

    it('profiles are still looked up by the exact username (RealWorld), as stored', async () => {
      const a = await register(app, { username: unique('Prof') });
      const exact = await http(app).get(`/api/profiles/${a.username}`);
      expect(exact.status).toBe(200);
      expect(exact.body.profile.username).toBe(a.username);
      expect((await http(app).get(`/api/profiles/${a.username.toLowerCase()}`)).status).toBe(404);
    });
  });
});
