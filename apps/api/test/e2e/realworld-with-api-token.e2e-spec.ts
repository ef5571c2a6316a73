import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createToken, http, register, startApp, unique } from '../support/app';

/**
 * The RealWorld journeys with an API token (`Authorization: Bearer conduit_…`) in place of the
 * session JWT: everything a session can do with articles, comments, favorites and follows.
 */
describe('RealWorld resources with an API token', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('creates, updates, favorites, comments on and deletes an article; follows a profile', async () => {
    const me = await register(app);
    const other = await register(app);
    const { raw } = await createToken(app, me.token, { expiresIn: '30d' });
    expect(raw).toMatch(/^conduit_/);
    const auth = { Authorization: `Bearer ${raw}` };

    const created = await http(app)
      .post('/api/articles')
      .set(auth)
      .send({ article: { title: unique('Token article '), description: 'from CI', body: 'written by a pipeline', tagList: ['ci'] } });
    expect(created.status).toBe(201);
    expect(created.headers['conduit-token-expires-at']).toEqual(expect.any(String));
    expect(created.body.article).toMatchObject({ body: 'written by a pipeline', tagList: ['ci'], author: { username: me.username } });
    const slug = created.body.article.slug;

    const updated = await http(app).put(`/api/articles/${slug}`).set(auth).send({ article: { body: 'edited by a pipeline' } });
    expect(updated.status).toBe(200);
    expect(updated.body.article.body).toBe('edited by a pipeline');

    const favorited = await http(app).post(`/api/articles/${slug}/favorite`).set(auth);
    expect(favorited.status).toBe(200);
    expect(favorited.body.article).toMatchObject({ favorited: true, favoritesCount: 1 });
    // The session sees what the token did: same user.
    expect((await http(app).get(`/api/articles/${slug}`).set('Authorization', `Bearer ${me.token}`)).body.article.favorited).toBe(true);
    expect((await http(app).get(`/api/articles?favorited=${me.username}`).set(auth)).body.articlesCount).toBe(1);

    const comment = await http(app).post(`/api/articles/${slug}/comments`).set(auth).send({ comment: { body: 'automated note' } });
    expect(comment.status).toBe(201);
    expect(comment.body.comment.author.username).toBe(me.username);
    expect((await http(app).get(`/api/articles/${slug}/comments`).set(auth)).body.comments).toHaveLength(1);
    expect((await http(app).delete(`/api/articles/${slug}/comments/${comment.body.comment.id}`).set(auth)).status).toBe(204);

    expect((await http(app).delete(`/api/articles/${slug}/favorite`).set(auth)).body.article.favoritesCount).toBe(0);

    const follow = await http(app).post(`/api/profiles/${other.username}/follow`).set(auth);
    expect(follow.status).toBe(200);
    expect(follow.body.profile.following).toBe(true);
    const theirs = await http(app)
      .post('/api/articles')
      .set('Authorization', `Bearer ${other.token}`)
      .send({ article: { title: unique('Followed '), description: 'd', body: 'b' } });
    const feed = await http(app).get('/api/articles/feed').set(auth);
    expect(feed.status).toBe(200);
    expect(feed.body.articles.map((a: { slug: string }) => a.slug)).toEqual([theirs.body.article.slug]);
    expect((await http(app).delete(`/api/profiles/${other.username}/follow`).set(auth)).body.profile.following).toBe(false);

    const deleted = await http(app).delete(`/api/articles/${slug}`).set(auth);
    expect(deleted.status).toBe(204);
    expect((await http(app).get(`/api/articles/${slug}`)).status).toBe(404);
  });

  it("gets the same 403 as a session for someone else's article", async () => {
    const me = await register(app);
    const author = await register(app);
    const { raw } = await createToken(app, me.token);
    const art = await http(app)
      .post('/api/articles')
      .set('Authorization', `Bearer ${author.token}`)
      .send({ article: { title: unique('Not yours '), description: 'd', body: 'b' } });
    const res = await http(app).delete(`/api/articles/${art.body.article.slug}`).set('Authorization', `Bearer ${raw}`);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ errors: { article: ['forbidden'] } });
  });

  it('refuses a token revoked mid-journey with 401 "has been revoked"', async () => {
    const me = await register(app);
    const { raw, id } = await createToken(app, me.token);
    const auth = { Authorization: `Bearer ${raw}` };
    const created = await http(app).post('/api/articles').set(auth).send({ article: { title: unique('Revoked '), description: 'd', body: 'b' } });
    expect(created.status).toBe(201);
    const slug = created.body.article.slug;

    expect((await http(app).delete(`/api/user/api-tokens/${id}`).set('Authorization', `Bearer ${me.token}`)).status).toBe(204);

    for (const req of [
      () => http(app).put(`/api/articles/${slug}`).set(auth).send({ article: { body: 'too late' } }),
      () => http(app).post(`/api/articles/${slug}/favorite`).set(auth),
      () => http(app).post(`/api/articles/${slug}/comments`).set(auth).send({ comment: { body: 'too late' } }),
      () => http(app).delete(`/api/articles/${slug}`).set(auth),
      () => http(app).get('/api/articles/feed').set(auth),
      // Optional-auth routes refuse bad credentials too, rather than answering as if anonymous.
      () => http(app).get(`/api/articles/${slug}`).set(auth),
    ]) {
      const res = await req();
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ errors: { token: ['has been revoked'] } });
    }
    const untouched = await http(app).get(`/api/articles/${slug}`);
    expect(untouched.body.article).toMatchObject({ body: 'b', favoritesCount: 0 });
  });
});
