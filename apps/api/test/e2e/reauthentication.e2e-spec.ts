import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PgStatements } from '../../src/database/pg-statements';
import { createToken, http, register, startApp, unique } from '../support/app';

jest.setTimeout(60_000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const REQUIRED = { errors: { reauthentication: ['is required: confirm your password'] } };

describe('re-authentication for sensitive actions (REAUTH_WINDOW)', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await startApp({ REAUTH_WINDOW: '2s' });
  });
  afterAll(async () => {
    await app.close();
  });

  const as = (token: string) => ({
    put: (user: Record<string, unknown>) => http(app).put('/api/user').set('Authorization', `Bearer ${token}`).send({ user }),
    createToken: () => http(app).post('/api/user/api-tokens').set('Authorization', `Bearer ${token}`).send({ apiToken: { name: unique('t') } }),
    reauthenticate: (password: unknown) => http(app).post('/api/user/reauthenticate').set('Authorization', `Bearer ${token}`).send({ password }),
  });

  it('allows them right after sign-up, refuses them with 403 "reauthentication" once the window is over', async () => {
    const a = await register(app);
    expect((await as(a.token).createToken()).status).toBe(201);
    expect((await as(a.token).put({ email: `${unique('e')}@example.test` })).status).toBe(200);
    await sleep(2100);
    for (const res of [
      await as(a.token).put({ email: `${unique('e')}@example.test` }),
      await as(a.token).put({ password: 'a brand new password' }),
      await as(a.token).createToken(),
    ]) {
      expect(res.status).toBe(403);
      expect(res.body).toEqual(REQUIRED);
    }
    // nothing sensitive: no password needed
    expect((await as(a.token).put({ bio: 'still me' })).status).toBe(200);
  });

  it('rotating a token by id reveals a new secret: it needs a recent password too (403, then 201 after re-authenticating)', async () => {
    const a = await register(app);
    const t = await createToken(app, a.token);
    const rotate = () => http(app).post(`/api/user/api-tokens/${t.id}/rotate`).set('Authorization', `Bearer ${a.token}`).send({});
    await sleep(2100);
    const refused = await rotate();
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual(REQUIRED);
    // Nothing happened: the token is not retiring, and the old secret still works.
    await http(app).get('/api/user').set('Authorization', `Bearer ${t.raw}`).expect(200);
    expect((await http(app).get('/api/user/api-tokens/current').set('Authorization', `Bearer ${t.raw}`)).body.apiToken.state).toBe('active');
    expect((await as(a.token).reauthenticate(a.password)).status).toBe(204);
    const ok = await rotate();
    expect(ok.status).toBe(201);
    expect(ok.body.token).toMatch(/^conduit_/);
  });

  it('POST /api/user/reauthenticate renews the window: 204; a wrong password is a 422 naming password', async () => {
    const a = await register(app);
    await sleep(2100);
    const wrong = await as(a.token).reauthenticate('not my password');
    expect(wrong.status).toBe(422);
    expect(wrong.body).toEqual({ errors: { password: ['is incorrect'] } });
    const missing = await as(a.token).reauthenticate(undefined);
    expect(missing.status).toBe(422);
    expect(missing.body.errors.password).toBeDefined();
    expect((await as(a.token).createToken()).status).toBe(403);
    const ok = await as(a.token).reauthenticate(a.password);
    expect(ok.status).toBe(204);
    expect(ok.text).toBe('');
    expect((await as(a.token).createToken()).status).toBe(201);
    expect((await as(a.token).put({ password: 'another new password' })).status).toBe(200);
  });

  it('currentPassword in PUT /api/user stands in for a recent sign-in; a wrong one is a 422', async () => {
    const a = await register(app);
    await sleep(2100);
    const wrong = await as(a.token).put({ email: `${unique('e')}@example.test`, currentPassword: 'nope nope nope' });
    expect(wrong.status).toBe(422);
    expect(wrong.body).toEqual({ errors: { currentPassword: ['is incorrect'] } });
    const email = `${unique('e')}@example.test`;
    const ok = await as(a.token).put({ email, currentPassword: a.password });
    expect(ok.status).toBe(200);
    expect(ok.body.user.email).toBe(email);
    expect((await as(a.token).put({ password: 'changed with current', currentPassword: a.password })).status).toBe(200);
  });

  it('a refresh does not renew the window (only the password does); a sign-in does', async () => {
    const a = await register(app);
    await sleep(2100);
    const refreshed = await http(app).post('/api/users/refresh').set('Cookie', a.cookie);
    expect(refreshed.status).toBe(200);
    expect((await as(refreshed.body.user.token).createToken()).body).toEqual(REQUIRED);
    const login = await http(app).post('/api/users/login').send({ user: { email: a.email, password: a.password } });
    expect((await as(login.body.user.token).createToken()).status).toBe(201);
  });

  it('PATCH /api/user/api-tokens/:id: a rename needs no recent password; changing the allowlist or permissions does', async () => {
    const a = await register(app);
    const { id } = await createToken(app, a.token);
    const patch = (apiToken: Record<string, unknown>) =>
      http(app).patch(`/api/user/api-tokens/${id}`).set('Authorization', `Bearer ${a.token}`).send({ apiToken });
    await sleep(2100);
    const renamed = await patch({ name: 'renamed outside the window' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.apiToken.name).toBe('renamed outside the window');
    for (const change of [{ allowedIps: ['203.0.113.0/24'] }, { permissions: { articles: 'write' } }, { name: 'and wider', allowedIps: [] }]) {
      const res = await patch(change);
      expect(res.status).toBe(403);
      expect(res.body).toEqual(REQUIRED);
    }
    // nothing was written by the refused edits
    const listed = await http(app).get('/api/user/api-tokens').set('Authorization', `Bearer ${a.token}`);
    const row = listed.body.apiTokens.find((t: { id: string }) => t.id === id);
    expect(row).toMatchObject({ name: 'renamed outside the window', allowedIps: [] });
    expect((await as(a.token).reauthenticate(a.password)).status).toBe(204);
    const widened = await patch({ allowedIps: ['203.0.113.0/24'], permissions: { articles: 'write' } });
    expect(widened.status).toBe(200);
    expect(widened.body.apiToken.allowedIps).toEqual(['203.0.113.0/24']);
    expect(widened.body.apiToken.permissions.articles).toBe('write');
  });

  it('API tokens can neither re-authenticate nor do the sensitive actions', async () => {
    const a = await register(app);
    const { raw } = await createToken(app, a.token);
    const res = await as(raw).reauthenticate(a.password);
    expect(res.status).toBe(403);
    expect(res.body.errors.token).toBeDefined();
    expect((await as(raw).createToken()).status).toBe(403);
  });

  it('deleting the account takes the password in its body as the confirmation, outside the window too', async () => {
    const a = await register(app);
    await sleep(2100);
    const del = (password: string) => http(app).delete('/api/user').set('Authorization', `Bearer ${a.token}`).send({ user: { password } });
    expect((await del('wrong password!')).status).toBe(422);
    expect((await del(a.password)).status).toBe(204);
  });

  it('reads the window in the session check’s one query: one statement per authenticated request', async () => {
    const a = await register(app);
    const calls = jest.spyOn(app.get(PgStatements), 'query');
    try {
      expect((await http(app).get('/api/user').set('Authorization', `Bearer ${a.token}`)).status).toBe(200);
      expect(calls.mock.calls.map(([name]) => name)).toEqual(['auth_session_user']);
    } finally {
      calls.mockRestore();
    }
  });
});
