import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createToken, http, listen, register, Registered, startApp, unique } from '../support/app';

/**
 * Clients such as Postman, many fetch wrappers and the RealWorld Postman collection send
 * `Content-Type: application/json` with an empty body on requests that have none. That is "no
 * body", not bad JSON; a non-empty body that is not JSON is still a 400 in the error format.
 */
describe('Content-Type: application/json with an empty body', () => {
  let app: NestFastifyApplication;
  let base: string;
  beforeAll(async () => {
    app = await startApp();
    base = await listen(app, '127.0.0.1');
  });
  afterAll(async () => {
    await app.close();
  });

  /** A real request with the header and a zero-length body (Content-Length: 0). */
  const send = (method: string, url: string, headers: Record<string, string> = {}, body = '') =>
    fetch(`${base}${url}`, { method, headers: { 'Content-Type': 'application/json', ...headers }, body });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const json = async (res: Response): Promise<any> => res.json();
  const auth = (u: Registered) => ({ Authorization: `Bearer ${u.token}` });

  async function article(author: Registered): Promise<string> {
    const res = await http(app).post('/api/articles').set(auth(author)).send({ article: { title: unique('Empty '), description: 'd', body: 'b' } });
    expect(res.status).toBe(201);
    return res.body.article.slug as string;
  }

  it('favorite and unfavorite', async () => {
    const me = await register(app);
    const slug = await article(me);
    const favorite = await send('POST', `/api/articles/${slug}/favorite`, auth(me));
    expect(favorite.status).toBe(200);
    expect((await json(favorite)).article).toMatchObject({ slug, favorited: true, favoritesCount: 1 });
    const unfavorite = await send('DELETE', `/api/articles/${slug}/favorite`, auth(me));
    expect(unfavorite.status).toBe(200);
    expect((await json(unfavorite)).article).toMatchObject({ slug, favorited: false, favoritesCount: 0 });
  });

  it('follow and unfollow', async () => {
    const me = await register(app);
    const celeb = await register(app);
    const follow = await send('POST', `/api/profiles/${celeb.username}/follow`, auth(me));
    expect(follow.status).toBe(200);
    expect((await json(follow)).profile).toMatchObject({ username: celeb.username, following: true });
    const unfollow = await send('DELETE', `/api/profiles/${celeb.username}/follow`, auth(me));
    expect(unfollow.status).toBe(200);
    expect((await json(unfollow)).profile).toMatchObject({ username: celeb.username, following: false });
  });

  it('deleting a comment and an article', async () => {
    const me = await register(app);
    const slug = await article(me);
    const comment = await http(app).post(`/api/articles/${slug}/comments`).set(auth(me)).send({ comment: { body: 'hi' } });
    expect(comment.status).toBe(201);
    expect((await send('DELETE', `/api/articles/${slug}/comments/${comment.body.comment.id}`, auth(me))).status).toBe(204);
    expect((await http(app).get(`/api/articles/${slug}/comments`)).body.comments).toEqual([]);
    expect((await send('DELETE', `/api/articles/${slug}`, auth(me))).status).toBe(204);
    expect((await http(app).get(`/api/articles/${slug}`)).status).toBe(404);
  });

  it('revoking an API token', async () => {
    const me = await register(app);
    const token = await createToken(app, me.token);
    expect((await send('DELETE', `/api/user/api-tokens/${token.id}`, auth(me))).status).toBe(204);
    expect((await http(app).get('/api/user').set('Authorization', `Bearer ${token.raw}`)).status).toBe(401);
  });

  it('refresh and sign-out with the refresh cookie', async () => {
    const me = await register(app);
    const refreshed = await send('POST', '/api/users/refresh', { Cookie: me.cookie });
    expect(refreshed.status).toBe(200);
    expect((await json(refreshed)).user.username).toBe(me.username);
    const cookie = refreshed.headers.getSetCookie()[0]?.split(';')[0] ?? '';
    expect(cookie).not.toBe('');
    expect((await send('POST', '/api/users/logout', { Cookie: cookie })).status).toBe(204);
    expect((await send('POST', '/api/users/refresh', { Cookie: cookie })).status).toBe(401);
  });

  it('on a route that needs a body, answers as if none had been sent (422 naming the field)', async () => {
    const res = await send('POST', '/api/users');
    expect(res.status).toBe(422);
    expect(await json(res)).toEqual({ errors: { user: ["can't be blank"] } });
  });

  it.each([
    ['text that is not JSON', 'not json'],
    ['truncated JSON', '{"user":'],
    ['only whitespace', '   '],
  ])('still refuses %s with 400 in the error format', async (_what, body) => {
    const me = await register(app);
    const res = await send('DELETE', `/api/profiles/${me.username}/follow`, auth(me), body);
    expect(res.status).toBe(400);
    expect(await json(res)).toEqual({ errors: { body: ['is not valid JSON'] } });
  });

  it('still refuses a prototype-poisoning body with 400', async () => {
    const res = await send('POST', '/api/users/login', {}, '{"__proto__":{"admin":true},"user":{"email":"a@b.c","password":"x"}}');
    expect(res.status).toBe(400);
    expect((await json(res)).errors).toBeDefined();
  });
});
