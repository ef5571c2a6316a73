import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import * as argon2 from 'argon2';
import { Client } from 'pg';
import { http, register, startApp, unique } from '../support/app';

describe('accounts and sessions', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app.close();
  });

  describe('POST /api/users (register)', () => {
    it('creates the user and starts a session: 201 with the RealWorld shape and a refresh cookie', async () => {
      const username = unique('reg');
      const res = await http(app).post('/api/users').send({ user: { username, email: `${username}@example.test`, password: 'password123' } });
      expect(res.status).toBe(201);
      expect(res.body.user).toEqual({ email: `${username}@example.test`, username, bio: null, image: null, timezone: 'UTC', token: expect.any(String) });
      const cookie = String(res.headers['set-cookie']);
      expect(cookie).toMatch(/conduit_refresh=[^;]+; Path=\/api\/users;.*HttpOnly; SameSite=Strict/);
    });

    it.each([
      ['username', { username: '', email: 'a@b.test', password: 'password123' }],
      ['email', { username: 'someone', email: '', password: 'password123' }],
      ['password', { username: 'someone', email: 'a@b.test', password: '' }],
      ['email', { username: 'someone', password: 'password123' }],
    ])('answers 422 "can\'t be blank" for a blank %s', async (field, user) => {
      const res = await http(app).post('/api/users').send({ user });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ errors: { [field]: ["can't be blank"] } });
    });

    it('refuses passwords outside 8..64 characters and invalid emails', async () => {
      const short = await http(app).post('/api/users').send({ user: { username: unique('p'), email: `${unique('p')}@x.test`, password: 'short7c' } });
      expect(short.status).toBe(422);
      expect(short.body.errors.password[0]).toMatch(/too short/);
      const long = await http(app).post('/api/users').send({ user: { username: unique('p'), email: `${unique('p')}@x.test`, password: 'a'.repeat(65) } });
      expect(long.body.errors.password[0]).toMatch(/too long/);
      const email = await http(app).post('/api/users').send({ user: { username: unique('p'), email: 'not-an-email', password: 'password123' } });
      expect(email.body).toEqual({ errors: { email: ['is invalid'] } });
    });

    it('answers 409 per taken field; emails are unique case-insensitively', async () => {
      const a = await register(app);
      const res = await http(app).post('/api/users').send({ user: { username: a.username, email: a.email.toUpperCase(), password: 'password123' } });
      expect(res.status).toBe(409);
      expect(res.body).toEqual({ errors: { username: ['has already been taken'], email: ['has already been taken'] } });
    });

    it.each([
      ['invalid JSON', '{"user":', 'application/json', 400],
      ['a text body', 'hello', 'text/plain', 415],
      ['a JSON array', '[1,2]', 'application/json', 422],
      ['wrong types', '{"user":{"username":1,"email":true,"password":[]}}', 'application/json', 422],
      ['a null wrapper', '{"user":null}', 'application/json', 422],
      ['a huge string', JSON.stringify({ user: { username: 'x'.repeat(100_000), email: 'a@b.test', password: 'password123' } }), 'application/json', 422],
      ['an oversized body', JSON.stringify({ user: { username: 'x'.repeat(2_000_000) } }), 'application/json', 413],
    ])('answers a 4xx in the error format for %s, never a 500', async (_name, body, type, status) => {
      const res = await http(app).post('/api/users').set('Content-Type', type).send(body);
      expect(res.status).toBe(status);
      expect(res.body).toEqual({ errors: expect.any(Object) });
      expect(Object.values(res.body.errors).flat().length).toBeGreaterThan(0);
    });
  });

  describe('POST /api/users/login', () => {
    it('signs in with the right password (email case-insensitive) and refuses a wrong one with 401 credentials invalid', async () => {
      const a = await register(app);
      const ok = await http(app).post('/api/users/login').send({ user: { email: a.email.toUpperCase(), password: a.password } });
      expect(ok.status).toBe(200);
      expect(ok.body.user.username).toBe(a.username);
      const bad = await http(app).post('/api/users/login').send({ user: { email: a.email, password: 'wrong password' } });
      expect(bad.status).toBe(401);
      expect(bad.body).toEqual({ errors: { credentials: ['invalid'] } });
      const unknown = await http(app).post('/api/users/login').send({ user: { email: 'nobody@example.test', password: 'whatever1' } });
      expect(unknown.body).toEqual({ errors: { credentials: ['invalid'] } });
    });

    it('answers 422 for blank fields', async () => {
      const res = await http(app).post('/api/users/login').send({ user: { email: '', password: 'x' } });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ errors: { email: ["can't be blank"] } });
    });
  });

  describe('GET /api/user', () => {
    it('accepts the session token with the Bearer and the Token scheme', async () => {
      const a = await register(app);
      for (const scheme of ['Bearer', 'Token']) {
        const res = await http(app).get('/api/user').set('Authorization', `${scheme} ${a.token}`);
        expect(res.status).toBe(200);
        expect(res.body.user).toMatchObject({ username: a.username, email: a.email, token: a.token });
      }
    });

    it('answers 401 "is missing" without credentials and "is invalid" for a tampered token', async () => {
      const missing = await http(app).get('/api/user');
      expect(missing.status).toBe(401);
      expect(missing.body).toEqual({ errors: { token: ['is missing'] } });
      const a = await register(app);
      const tampered = await http(app).get('/api/user').set('Authorization', `Bearer ${a.token.slice(0, -2)}xx`);
      expect(tampered.status).toBe(401);
      expect(tampered.body).toEqual({ errors: { token: ['is invalid'] } });
      expect(tampered.headers['www-authenticate']).toBe('Bearer realm="conduit", error="invalid_token"');
    });
  });

  describe('PUT /api/user', () => {
    it('updates fields partially, normalises an empty bio to null and keeps the timezone valid', async () => {
      const a = await register(app);
      const auth = { Authorization: `Token ${a.token}` };
      const res = await http(app).put('/api/user').set(auth).send({ user: { bio: 'Hello', image: 'https://img.test/a.png', timezone: 'Europe/Paris' } });
      expect(res.status).toBe(200);
      expect(res.body.user).toMatchObject({ bio: 'Hello', image: 'https://img.test/a.png', timezone: 'Europe/Paris', username: a.username });
      const cleared = await http(app).put('/api/user').set(auth).send({ user: { bio: '' } });
      expect(cleared.body.user.bio).toBeNull();
      const badTz = await http(app).put('/api/user').set(auth).send({ user: { timezone: 'Mars/Olympus' } });
      expect(badTz.status).toBe(422);
      expect(badTz.body.errors.timezone).toHaveLength(1);
    });

    it('stores an http(s) image URL of up to 2,048 characters; an empty string or null clears it', async () => {
      const a = await register(app);
      const put = (image: unknown) => http(app).put('/api/user').set('Authorization', `Bearer ${a.token}`).send({ user: { image } });
      const longest = `https://img.test/${'a'.repeat(2048 - 'https://img.test/'.length)}`;
      for (const image of ['https://img.test/a.png', 'http://img.test:8080/a.png?size=2#x', longest]) {
        const res = await put(image);
        expect(res.status).toBe(200);
        expect(res.body.user.image).toBe(image);
        expect((await http(app).get(`/api/profiles/${a.username}`)).body.profile.image).toBe(image);
      }
      expect((await put('')).body.user.image).toBeNull();
      await put('https://img.test/b.png').expect(200);
      expect((await put(null)).body.user.image).toBeNull();
    });

    it.each([
      ['javascript:alert(1)', 'must be an http(s) URL, e.g. https://example.com/me.png'],
      ['data:image/png;base64,iVBORw0KGgo=', 'must be an http(s) URL, e.g. https://example.com/me.png'],
      ['ftp://img.test/a.png', 'must be an http(s) URL, e.g. https://example.com/me.png'],
      ['//img.test/a.png', 'must be an http(s) URL, e.g. https://example.com/me.png'],
      ['/a.png', 'must be an http(s) URL, e.g. https://example.com/me.png'],
      ['https://', 'must be an http(s) URL, e.g. https://example.com/me.png'],
      ['https://img.test/a b.png', 'must be an http(s) URL, e.g. https://example.com/me.png'],
      [' https://img.test/a.png', 'must be an http(s) URL, e.g. https://example.com/me.png'],
      ['not a url', 'must be an http(s) URL, e.g. https://example.com/me.png'],
      [`https://img.test/${'a'.repeat(2048)}`, 'is too long (maximum is 2048 characters)'],
      [42, 'must be a string'],
    ])('refuses the image %j with 422 naming image, and keeps the stored one', async (image, message) => {
      const a = await register(app);
      await http(app).put('/api/user').set('Authorization', `Bearer ${a.token}`).send({ user: { image: 'https://img.test/kept.png' } }).expect(200);
      const res = await http(app).put('/api/user').set('Authorization', `Bearer ${a.token}`).send({ user: { image } });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ errors: { image: [message] } });
      expect((await http(app).get(`/api/profiles/${a.username}`)).body.profile.image).toBe('https://img.test/kept.png');
    });

    it('does not take an image at sign-up (422 naming image)', async () => {
      const username = unique('img');
      const res = await http(app)
        .post('/api/users')
        .send({ user: { username, email: `${username}@example.test`, password: 'password123', image: 'javascript:alert(1)' } });
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.errors)).toEqual(['image']);
    });

    it.each([{ email: null }, { username: null }, { email: '' }, { username: '' }, { password: '' }, { password: null }, { password: 'short7c' }])(
      'refuses %j with 422',
      async (user) => {
        const a = await register(app);
        const res = await http(app).put('/api/user').set('Authorization', `Bearer ${a.token}`).send({ user });
        expect(res.status).toBe(422);
      },
    );

    it('answers 409 when the new username or email is taken', async () => {
      const a = await register(app);
      const b = await register(app);
      const res = await http(app).put('/api/user').set('Authorization', `Bearer ${b.token}`).send({ user: { username: a.username } });
      expect(res.status).toBe(409);
      expect(res.body).toEqual({ errors: { username: ['has already been taken'] } });
    });

    it('checks currentPassword when given, and a password change ends the other sessions but not this one', async () => {
      const a = await register(app);
      const other = await http(app).post('/api/users/login').send({ user: { email: a.email, password: a.password } });
      const wrong = await http(app).put('/api/user').set('Authorization', `Bearer ${a.token}`).send({ user: { password: 'new password 1', currentPassword: 'nope nope' } });
      expect(wrong.status).toBe(422);
      expect(wrong.body).toEqual({ errors: { currentPassword: ['is incorrect'] } });
      const ok = await http(app).put('/api/user').set('Authorization', `Bearer ${a.token}`).send({ user: { password: 'new password 1', currentPassword: a.password } });
      expect(ok.status).toBe(200);
      expect((await http(app).get('/api/user').set('Authorization', `Bearer ${a.token}`)).status).toBe(200);
      const otherNow = await http(app).get('/api/user').set('Authorization', `Bearer ${other.body.user.token}`);
      expect(otherNow.status).toBe(401);
      expect(otherNow.body).toEqual({ errors: { token: ['has been revoked'] } });
      const login = await http(app).post('/api/users/login').send({ user: { email: a.email, password: 'new password 1' } });
      expect(login.status).toBe(200);
    });
  });

  describe('refresh, sign out and reuse detection', () => {
    it('rotates the refresh cookie on every use; reusing an old one revokes the whole session', async () => {
      const a = await register(app);
      const first = await http(app).post('/api/users/refresh').set('Cookie', a.cookie);
      expect(first.status).toBe(200);
      expect(first.body.user.username).toBe(a.username);
      const second = String(first.headers['set-cookie']).split(';')[0];
      expect(second).not.toBe(a.cookie);
      const reuse = await http(app).post('/api/users/refresh').set('Cookie', a.cookie);
      expect(reuse.status).toBe(401);
      // the whole session is gone: the newest cookie and the access tokens too
      expect((await http(app).post('/api/users/refresh').set('Cookie', second)).status).toBe(401);
      expect((await http(app).get('/api/user').set('Authorization', `Bearer ${first.body.user.token}`)).status).toBe(401);
    });

    it('sign out ends the session: the refresh cookie and access token stop working', async () => {
      const a = await register(app);
      const out = await http(app).post('/api/users/logout').set('Cookie', a.cookie);
      expect(out.status).toBe(204);
      expect((await http(app).post('/api/users/refresh').set('Cookie', a.cookie)).status).toBe(401);
      expect((await http(app).get('/api/user').set('Authorization', `Bearer ${a.token}`)).status).toBe(401);
    });

    it('refresh without a cookie is 401', async () => {
      const res = await http(app).post('/api/users/refresh');
      expect(res.status).toBe(401);
      expect(res.body.errors.session).toHaveLength(1);
    });
  });

  describe('DELETE /api/user', () => {
    it('needs the current password, then deletes the account and its sessions', async () => {
      const a = await register(app);
      const auth = { Authorization: `Bearer ${a.token}` };
      const wrong = await http(app).delete('/api/user').set(auth).send({ user: { password: 'nope nope' } });
      expect(wrong.status).toBe(422);
      const missing = await http(app).delete('/api/user').set(auth).send({});
      expect(missing.status).toBe(422);
      const ok = await http(app).delete('/api/user').set(auth).send({ user: { password: a.password } });
      expect(ok.status).toBe(204);
      expect((await http(app).get('/api/user').set(auth)).status).toBe(401);
      const login = await http(app).post('/api/users/login').send({ user: { email: a.email, password: a.password } });
      expect(login.status).toBe(401);
    });
  });

  it('stores an argon2id hash of the password, and the password in no column', async () => {
    const a = await register(app);
    const client = new Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT password_hash, u::text AS row FROM users u WHERE username = $1', [a.username]);
      expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
      // The hash is of this password (and only of it), not some other value.
      expect(await argon2.verify(rows[0].password_hash, a.password)).toBe(true);
      expect(await argon2.verify(rows[0].password_hash, `${a.password}!`)).toBe(false);
      for (const form of [a.password, Buffer.from(a.password).toString('hex'), Buffer.from(a.password).toString('base64')]) {
        expect(rows[0].row).not.toContain(form);
      }
    } finally {
      await client.end();
    }
  });

  it('GET /api/health answers 200 when the database answers', async () => {
    const res = await http(app).get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('URLs the router cannot read answer in the error format too', async () => {
    const bad = await http(app).get('/api/profiles/%FF');
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ errors: { url: ['is not a valid URL (bad percent-encoding)'] } });
    const long = await http(app).get(`/api/profiles/${'a'.repeat(2000)}`);
    expect(long.status).toBe(414);
    expect(long.body).toEqual({ errors: { url: ['is too long'] } });
  });

  it('unknown /api paths answer a JSON 404', async () => {
    const res = await http(app).get('/api/does-not-exist');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ errors: { route: ['not found'] } });
  });
});
