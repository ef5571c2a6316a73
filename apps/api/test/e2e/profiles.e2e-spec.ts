import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { http, register, Registered, startApp, unique } from '../support/app';

const bearer = (u: Registered) => ({ Authorization: `Bearer ${u.token}` });

describe('profiles and follows', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('shows a profile to anyone; following is false for anonymous callers', async () => {
    const celeb = await register(app);
    await http(app).put('/api/user').set(bearer(celeb)).send({ user: { bio: 'famous', image: 'https://img.test/c.png' } }).expect(200);
    const res = await http(app).get(`/api/profiles/${celeb.username}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ profile: { username: celeb.username, bio: 'famous', image: 'https://img.test/c.png', following: false } });
  });

  it('follows and unfollows idempotently; GET reflects it for the follower only', async () => {
    const me = await register(app);
    const other = await register(app);
    const celeb = await register(app);
    for (let i = 0; i < 2; i++) {
      const follow = await http(app).post(`/api/profiles/${celeb.username}/follow`).set('Authorization', `Token ${me.token}`);
      expect(follow.status).toBe(200);
      expect(follow.body).toEqual({ profile: { username: celeb.username, bio: null, image: null, following: true } });
    }
    expect((await http(app).get(`/api/profiles/${celeb.username}`).set(bearer(me))).body.profile.following).toBe(true);
    expect((await http(app).get(`/api/profiles/${celeb.username}`).set(bearer(other))).body.profile.following).toBe(false);
    for (let i = 0; i < 2; i++) {
      const unfollow = await http(app).delete(`/api/profiles/${celeb.username}/follow`).set(bearer(me));
      expect(unfollow.status).toBe(200);
      expect(unfollow.body.profile.following).toBe(false);
    }
    expect((await http(app).get(`/api/profiles/${celeb.username}`).set(bearer(me))).body.profile.following).toBe(false);
  });

  it('refuses to follow yourself with 422', async () => {
    const me = await register(app);
    const res = await http(app).post(`/api/profiles/${me.username}/follow`).set(bearer(me));
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ errors: { profile: ['cannot follow yourself'] } });
  });

  it.each([unique('unknown'), 'x'.repeat(41), 'x'.repeat(900), '%00', '%25', 'caf%C3%A9', 'a%20b', "o'brien"])(
    'answers 404 profile not found for %s (GET, follow, unfollow), never a 500',
    async (username) => {
      const me = await register(app);
      const get = await http(app).get(`/api/profiles/${username}`);
      expect(get.status).toBe(404);
      expect(get.body).toEqual({ errors: { profile: ['not found'] } });
      for (const method of ['post', 'delete'] as const) {
        const res = await http(app)[method](`/api/profiles/${username}/follow`).set(bearer(me));
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ errors: { profile: ['not found'] } });
      }
    },
  );

  it('answers 401 to follow/unfollow without credentials, and to GET with a bad token', async () => {
    const celeb = await register(app);
    for (const method of ['post', 'delete'] as const) {
      const res = await http(app)[method](`/api/profiles/${celeb.username}/follow`);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ errors: { token: ['is missing'] } });
    }
    expect((await http(app).get(`/api/profiles/${celeb.username}`).set('Authorization', 'Bearer not.a.jwt')).status).toBe(401);
  });
});

describe('comments', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app.close();
  });

  async function article(u: Registered): Promise<string> {
    const res = await http(app).post('/api/articles').set(bearer(u)).send({ article: { title: unique('Commented '), description: 'd', body: 'b' } });
    return res.body.article.slug;
  }
  const comment = (u: Registered, slug: string, body: string) =>
    http(app).post(`/api/articles/${slug}/comments`).set(bearer(u)).send({ comment: { body } });

  it('adds, lists (oldest first, following per viewer) and deletes comments', async () => {
    const author = await register(app);
    const reader = await register(app);
    const slug = await article(author);
    const first = await comment(reader, slug, 'first!');
    expect(first.status).toBe(201);
    expect(first.body.comment).toEqual({
      id: expect.any(Number),
      body: 'first!',
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      updatedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      author: { username: reader.username, bio: null, image: null, following: false },
    });
    const second = await comment(author, slug, 'thanks');
    await http(app).post(`/api/profiles/${reader.username}/follow`).set(bearer(author)).expect(200);

    const anonymous = await http(app).get(`/api/articles/${slug}/comments`);
    expect(anonymous.status).toBe(200);
    expect(anonymous.body.comments.map((c: { body: string }) => c.body)).toEqual(['first!', 'thanks']);
    expect(anonymous.body.comments[0].author.following).toBe(false);
    const asAuthor = await http(app).get(`/api/articles/${slug}/comments`).set(bearer(author));
    expect(asAuthor.body.comments[0].author).toEqual({ username: reader.username, bio: null, image: null, following: true });

    const del = await http(app).delete(`/api/articles/${slug}/comments/${first.body.comment.id}`).set(bearer(reader));
    expect(del.status).toBe(204);
    const after = await http(app).get(`/api/articles/${slug}/comments`);
    expect(after.body.comments.map((c: { id: number }) => c.id)).toEqual([second.body.comment.id]);
  });

  it('lists [] for an article without comments', async () => {
    const a = await register(app);
    const slug = await article(a);
    expect((await http(app).get(`/api/articles/${slug}/comments`)).body).toEqual({ comments: [] });
  });

  it("answers 403 for someone else's comment (even the article's author) and keeps it", async () => {
    const a = await register(app);
    const b = await register(app);
    const slug = await article(a);
    const c = await comment(b, slug, "b's comment");
    const res = await http(app).delete(`/api/articles/${slug}/comments/${c.body.comment.id}`).set(bearer(a));
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ errors: { comment: ['forbidden'] } });
    expect((await http(app).get(`/api/articles/${slug}/comments`)).body.comments).toHaveLength(1);
  });

  it('answers 404 article / comment not found as appropriate', async () => {
    const a = await register(app);
    const slug = await article(a);
    const otherSlug = await article(a);
    const c = await comment(a, otherSlug, 'elsewhere');
    const unknownArticle = unique('nope-');
    expect((await comment(a, unknownArticle, 'x')).body).toEqual({ errors: { article: ['not found'] } });
    expect((await http(app).get(`/api/articles/${unknownArticle}/comments`)).status).toBe(404);
    const delUnknownArticle = await http(app).delete(`/api/articles/${unknownArticle}/comments/1`).set(bearer(a));
    expect(delUnknownArticle.status).toBe(404);
    expect(delUnknownArticle.body).toEqual({ errors: { article: ['not found'] } });
    // A comment of another article, an unknown id, and ids that cannot be ids.
    for (const id of [String(c.body.comment.id), '99999999', '0', '-1', 'abc', '1.5', '99999999999999999999999', '%00']) {
      const res = await http(app).delete(`/api/articles/${slug}/comments/${id}`).set(bearer(a));
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ errors: { comment: ['not found'] } });
    }
  });

  it.each([
    [{ comment: { body: '' } }, { body: ["can't be blank"] }],
    [{ comment: { body: '  ' } }, { body: ["can't be blank"] }],
    [{ comment: {} }, { body: ["can't be blank"] }],
    [{ comment: { body: null } }, { body: ["can't be blank"] }],
    [{ comment: { body: 5 } }, { body: ['must be a string'] }],
    [{ comment: { body: 'x'.repeat(10_001) } }, { body: ['is too long (maximum is 10000 characters)'] }],
    [{ body: 'no wrapper' }, expect.objectContaining({ comment: ["can't be blank"] })],
    [{ comment: 'text' }, { comment: ['must be an object'] }],
  ])('answers 422 for %j', async (payload, errors) => {
    const a = await register(app);
    const slug = await article(a);
    const res = await http(app).post(`/api/articles/${slug}/comments`).set(bearer(a)).send(payload);
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ errors });
  });

  it('answers 401 to add/delete without credentials', async () => {
    expect((await http(app).post('/api/articles/x/comments').send({ comment: { body: 'x' } })).body).toEqual({ errors: { token: ['is missing'] } });
    expect((await http(app).delete('/api/articles/x/comments/1')).status).toBe(401);
  });
});
