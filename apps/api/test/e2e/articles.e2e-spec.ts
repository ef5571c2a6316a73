import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { ARTICLE_LIST_MAX_LIMIT } from '@conduit/contracts';
import { http, register, Registered, startApp, unique } from '../support/app';

const bearer = (u: Registered) => ({ Authorization: `Bearer ${u.token}` });

describe('articles, favorites and tags', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app.close();
  });

  async function write(u: Registered, article: Record<string, unknown> = {}) {
    const res = await http(app)
      .post('/api/articles')
      .set(bearer(u))
      .send({ article: { title: unique('Title '), description: 'desc', body: 'body', ...article } });
    if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.article as { slug: string; title: string; tagList: string[]; createdAt: string; updatedAt: string };
  }

  describe('POST /api/articles', () => {
    it('creates an article: 201 with the RealWorld shape, tags in order, slug from the title', async () => {
      const a = await register(app);
      const title = `How to Train Your Dragon ${unique('')}`;
      const res = await http(app)
        .post('/api/articles')
        .set('Authorization', `Token ${a.token}`)
        .send({ article: { title, description: 'Ever wonder how?', body: 'You have to believe', tagList: [' dragons ', 'training', 'dragons'] } });
      expect(res.status).toBe(201);
      expect(res.body.article).toEqual({
        slug: expect.stringMatching(/^how-to-train-your-dragon-[a-z0-9]+$/),
        title,
        description: 'Ever wonder how?',
        body: 'You have to believe',
        tagList: ['dragons', 'training'],
        createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        updatedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        favorited: false,
        favoritesCount: 0,
        author: { username: a.username, bio: null, image: null, following: false },
      });
    });

    it('gives duplicate titles distinct slugs', async () => {
      const a = await register(app);
      const title = unique('Same title ');
      const first = await write(a, { title });
      const second = await write(a, { title });
      expect(first.slug).not.toBe(second.slug);
      expect(second.slug.startsWith(first.slug)).toBe(true);
    });

    it('gives a title without letters a usable slug', async () => {
      const a = await register(app);
      const art = await write(a, { title: '🚀 你好' });
      expect(art.slug).toMatch(/^article(-[a-z0-9]+)?$/);
      expect((await http(app).get(`/api/articles/${art.slug}`)).status).toBe(200);
    });

    it.each([
      ['title', { title: '' }, "can't be blank"],
      ['title', { title: '   ' }, "can't be blank"],
      ['description', { description: '' }, "can't be blank"],
      ['body', { body: '' }, "can't be blank"],
      ['body', { body: undefined }, "can't be blank"],
      ['title', { title: 42 }, 'must be a string'],
      ['title', { title: 'x'.repeat(201) }, 'is too long (maximum is 200 characters)'],
      ['body', { body: 'a\u0000b' }, 'must not contain NUL characters'],
      ['tagList', { tagList: null }, 'must be an array of strings'],
      ['tagList', { tagList: 'dragons' }, 'must be an array of strings'],
      ['tagList', { tagList: [1, 2] }, 'must contain only strings'],
      ['tagList', { tagList: [''] }, "can't contain blank tags"],
      ['tagList', { tagList: ['x'.repeat(51)] }, 'has a tag that is too long (maximum is 50 characters)'],
      ['tagList', { tagList: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 'has too many tags (maximum is 20)'],
    ])('answers 422 for a bad %s (%j)', async (field, change, message) => {
      const a = await register(app);
      const res = await http(app)
        .post('/api/articles')
        .set(bearer(a))
        .send({ article: { title: 'T', description: 'd', body: 'b', ...change } });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ errors: { [field]: [message] } });
    });

    it.each([
      ['no wrapper', { title: 'T', description: 'd', body: 'b' }],
      ['a null wrapper', { article: null }],
      ['an array wrapper', { article: [] }],
      ['an unknown field', { article: { title: 'T', description: 'd', body: 'b', slug: 'mine' } }],
      ['a JSON array', [1, 2]],
    ])('answers 422 in the error format for %s', async (_name, body) => {
      const a = await register(app);
      const res = await http(app).post('/api/articles').set(bearer(a)).send(body as object);
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ errors: expect.any(Object) });
    });

    it('answers 401 without credentials', async () => {
      const res = await http(app).post('/api/articles').send({ article: { title: 'T', description: 'd', body: 'b' } });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ errors: { token: ['is missing'] } });
    });
  });

  describe('GET /api/articles/:slug', () => {
    it('shows an article to anyone, and favorited/following to its viewer', async () => {
      const a = await register(app);
      const b = await register(app);
      const art = await write(a);
      await http(app).post(`/api/profiles/${a.username}/follow`).set(bearer(b)).expect(200);
      await http(app).post(`/api/articles/${art.slug}/favorite`).set(bearer(b)).expect(200);
      const anonymous = await http(app).get(`/api/articles/${art.slug}`);
      expect(anonymous.status).toBe(200);
      expect(anonymous.body.article).toMatchObject({ slug: art.slug, body: 'body', favorited: false, favoritesCount: 1, author: { following: false } });
      const viewer = await http(app).get(`/api/articles/${art.slug}`).set(bearer(b));
      expect(viewer.body.article).toMatchObject({ favorited: true, favoritesCount: 1, author: { username: a.username, following: true } });
    });

    it.each(['unknown-slug', 'UPPER', 'with%20space', '%25', 'caf%C3%A9', '%F0%9F%98%80', '%00', 'x'.repeat(500), 'a%2Fb', "'%3B--"])(
      'answers 404 article not found for %s, never a 500',
      async (slug) => {
        for (const path of [`/api/articles/${slug}`, `/api/articles/${slug}/comments`]) {
          const res = await http(app).get(path);
          expect(res.status).toBe(404);
          expect(res.body).toEqual({ errors: { article: ['not found'] } });
        }
      },
    );

    // Fastify refuses these before routing (not valid percent-encoding; a parameter over 1000 characters).
    it.each([['%FF', 400], ['a'.repeat(2000), 414]])('answers a 4xx for %s, never a 500', async (slug, status) => {
      const res = await http(app).get(`/api/articles/${slug}`);
      expect(res.status).toBe(status);
    });
  });

  describe('PUT /api/articles/:slug', () => {
    it('updates given fields only, keeps createdAt, moves updatedAt, keeps tags unless tagList is given', async () => {
      const a = await register(app);
      const art = await write(a, { tagList: ['one', 'two'] });
      const res = await http(app).put(`/api/articles/${art.slug}`).set(bearer(a)).send({ article: { body: 'new body' } });
      expect(res.status).toBe(200);
      expect(res.body.article).toMatchObject({ slug: art.slug, title: art.title, body: 'new body', description: 'desc', tagList: ['one', 'two'], createdAt: art.createdAt });
      expect(res.body.article.updatedAt > art.updatedAt).toBe(true);
      const again = await http(app).put(`/api/articles/${art.slug}`).set(bearer(a)).send({ article: { body: 'newer' } });
      expect(again.body.article.updatedAt > res.body.article.updatedAt).toBe(true);
      const retag = await http(app).put(`/api/articles/${art.slug}`).set(bearer(a)).send({ article: { tagList: ['three', 'one'] } });
      expect(retag.body.article.tagList).toEqual(['one', 'three']); // sorted, whatever order they were sent in
      const cleared = await http(app).put(`/api/articles/${art.slug}`).set(bearer(a)).send({ article: { tagList: [] } });
      expect(cleared.body.article.tagList).toEqual([]);
      expect((await http(app).get(`/api/articles/${art.slug}`)).body.article.tagList).toEqual([]);
    });

    it('gives a new title a new slug; the old slug is gone; a title with the same slug keeps it', async () => {
      const a = await register(app);
      const art = await write(a, { title: unique('Before ') });
      const sameSlug = await http(app).put(`/api/articles/${art.slug}`).set(bearer(a)).send({ article: { title: `${art.title.toUpperCase()}!` } });
      expect(sameSlug.body.article.slug).toBe(art.slug);
      const newTitle = unique('After ');
      const res = await http(app).put(`/api/articles/${art.slug}`).set(bearer(a)).send({ article: { title: newTitle } });
      expect(res.status).toBe(200);
      expect(res.body.article.slug).toBe(newTitle.toLowerCase().replace(/ /g, '-'));
      expect((await http(app).get(`/api/articles/${art.slug}`)).status).toBe(404);
      expect((await http(app).get(`/api/articles/${res.body.article.slug}`)).body.article.title).toBe(newTitle);
      // A title whose slug another article has gets a suffix.
      const other = await write(a);
      const clash = await http(app).put(`/api/articles/${other.slug}`).set(bearer(a)).send({ article: { title: newTitle } });
      expect(clash.body.article.slug).toMatch(new RegExp(`^${res.body.article.slug}-[a-z0-9]{8}$`));
    });

    it("answers 403 for someone else's article and leaves it unchanged; 404 for an unknown one", async () => {
      const a = await register(app);
      const b = await register(app);
      const art = await write(a);
      const res = await http(app).put(`/api/articles/${art.slug}`).set(bearer(b)).send({ article: { body: 'hijacked' } });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ errors: { article: ['forbidden'] } });
      expect((await http(app).get(`/api/articles/${art.slug}`)).body.article.body).toBe('body');
      const unknown = await http(app).put(`/api/articles/${unique('nope-')}`).set(bearer(b)).send({ article: { body: 'x' } });
      expect(unknown.status).toBe(404);
      expect(unknown.body).toEqual({ errors: { article: ['not found'] } });
      const odd = await http(app).put('/api/articles/%C3%A9t%C3%A9').set(bearer(b)).send({ article: { body: 'x' } });
      expect(odd.status).toBe(404);
    });

    it.each([{ tagList: null }, { title: null }, { title: '' }, { body: 7 }, { tagList: [null] }, { tagList: { a: 1 } }])('refuses %j with 422', async (article) => {
      const a = await register(app);
      const art = await write(a);
      const res = await http(app).put(`/api/articles/${art.slug}`).set(bearer(a)).send({ article });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ errors: expect.any(Object) });
    });
  });

  describe('DELETE /api/articles/:slug', () => {
    it('deletes the article with its comments and favorites (cascade); 403 for others, 404 after', async () => {
      const a = await register(app);
      const b = await register(app);
      const art = await write(a, { tagList: [unique('gone')] });
      await http(app).post(`/api/articles/${art.slug}/favorite`).set(bearer(b)).expect(200);
      await http(app).post(`/api/articles/${art.slug}/comments`).set(bearer(b)).send({ comment: { body: 'hi' } }).expect(201);
      const forbidden = await http(app).delete(`/api/articles/${art.slug}`).set(bearer(b));
      expect(forbidden.status).toBe(403);
      expect(forbidden.body).toEqual({ errors: { article: ['forbidden'] } });
      const del = await http(app).delete(`/api/articles/${art.slug}`).set(bearer(a));
      expect(del.status).toBe(204);
      expect(del.text).toBe('');
      expect((await http(app).get(`/api/articles/${art.slug}`)).status).toBe(404);
      expect((await http(app).delete(`/api/articles/${art.slug}`).set(bearer(a))).status).toBe(404);
      expect((await http(app).get(`/api/articles/${art.slug}/comments`)).status).toBe(404);
      const favorites = await http(app).get(`/api/articles?favorited=${b.username}`);
      expect(favorites.body).toEqual({ articles: [], articlesCount: 0 });
      const tags = await http(app).get('/api/tags');
      expect(tags.body.tags).not.toContain(art.tagList[0]);
      const db = new Client({ connectionString: process.env.DATABASE_URL });
      await db.connect();
      try {
        const left = await db.query(
          `SELECT (SELECT count(*) FROM comments c JOIN users u ON u.id = c.author_id WHERE u.username = $1)::int AS comments,
                  (SELECT count(*) FROM favorites f JOIN users u ON u.id = f.user_id WHERE u.username = $1)::int AS favorites`,
          [b.username],
        );
        expect(left.rows[0]).toEqual({ comments: 0, favorites: 0 });
      } finally {
        await db.end();
      }
    });

    it('answers 401 without credentials', async () => {
      const res = await http(app).delete('/api/articles/some-slug');
      expect(res.status).toBe(401);
    });
  });

  describe('favorites', () => {
    it('favorites and unfavorites idempotently, counting each user once', async () => {
      const a = await register(app);
      const b = await register(app);
      const c = await register(app);
      const art = await write(a);
      const fav = await http(app).post(`/api/articles/${art.slug}/favorite`).set(bearer(b));
      expect(fav.status).toBe(200);
      expect(fav.body.article).toMatchObject({ slug: art.slug, favorited: true, favoritesCount: 1, body: 'body' });
      expect((await http(app).post(`/api/articles/${art.slug}/favorite`).set(bearer(b))).body.article.favoritesCount).toBe(1);
      expect((await http(app).post(`/api/articles/${art.slug}/favorite`).set(bearer(c))).body.article.favoritesCount).toBe(2);
      const unfav = await http(app).delete(`/api/articles/${art.slug}/favorite`).set(bearer(b));
      expect(unfav.status).toBe(200);
      expect(unfav.body.article).toMatchObject({ favorited: false, favoritesCount: 1 });
      expect((await http(app).delete(`/api/articles/${art.slug}/favorite`).set(bearer(b))).body.article.favoritesCount).toBe(1);
    });

    it('answers 404 for an unknown article and 401 without credentials', async () => {
      const a = await register(app);
      for (const method of ['post', 'delete'] as const) {
        const res = await http(app)[method](`/api/articles/${unique('nope-')}/favorite`).set(bearer(a));
        expect(res.status).toBe(404);
        expect(res.body).toEqual({ errors: { article: ['not found'] } });
        expect((await http(app)[method]('/api/articles/x/favorite')).status).toBe(401);
        expect((await http(app)[method]('/api/articles/%00/favorite').set(bearer(a))).status).toBe(404);
      }
    });

    it("a deleted user's favorites stop counting", async () => {
      const a = await register(app);
      const b = await register(app);
      const art = await write(a);
      await http(app).post(`/api/articles/${art.slug}/favorite`).set(bearer(b)).expect(200);
      await http(app).delete('/api/user').set(bearer(b)).send({ user: { password: b.password } }).expect(204);
      expect((await http(app).get(`/api/articles/${art.slug}`)).body.article.favoritesCount).toBe(0);
    });
  });

  describe('GET /api/articles (list)', () => {
    it('lists newest first without bodies, filtered by author, tag and favorited, with limit/offset and a total count', async () => {
      const a = await register(app);
      const b = await register(app);
      const tag = unique('tag');
      const first = await write(a, { tagList: [tag] });
      const second = await write(a);
      const third = await write(a, { tagList: ['other', tag] });
      await http(app).post(`/api/articles/${first.slug}/favorite`).set(bearer(b)).expect(200);

      const byAuthor = await http(app).get(`/api/articles?author=${a.username}`);
      expect(byAuthor.status).toBe(200);
      expect(byAuthor.body.articlesCount).toBe(3);
      expect(byAuthor.body.articles.map((x: { slug: string }) => x.slug)).toEqual([third.slug, second.slug, first.slug]);
      expect(byAuthor.body.articles[0]).not.toHaveProperty('body');
      expect(byAuthor.body.articles[0]).toMatchObject({ tagList: ['other', tag], favorited: false, author: { username: a.username, following: false } });

      const page = await http(app).get(`/api/articles?author=${a.username}&limit=1&offset=1`);
      expect(page.body).toMatchObject({ articlesCount: 3, articles: [{ slug: second.slug }] });
      const past = await http(app).get(`/api/articles?author=${a.username}&limit=10&offset=5`);
      expect(past.body).toEqual({ articles: [], articlesCount: 3 });

      const byTag = await http(app).get(`/api/articles?tag=${tag}`);
      expect(byTag.body.articles.map((x: { slug: string }) => x.slug)).toEqual([third.slug, first.slug]);
      expect(byTag.body.articlesCount).toBe(2);

      const byFavorite = await http(app).get(`/api/articles?favorited=${b.username}`).set(bearer(b));
      expect(byFavorite.body).toMatchObject({ articlesCount: 1, articles: [{ slug: first.slug, favorited: true, favoritesCount: 1 }] });

      const combined = await http(app).get(`/api/articles?author=${a.username}&tag=${tag}&favorited=${b.username}`);
      expect(combined.body).toMatchObject({ articlesCount: 1, articles: [{ slug: first.slug }] });

      for (const filter of ['author', 'favorited', 'tag']) {
        const none = await http(app).get(`/api/articles?${filter}=${unique('nobody')}`);
        expect(none.body).toEqual({ articles: [], articlesCount: 0 });
      }
    });

    it('uses the default limit of 20 and accepts the maximum', async () => {
      const a = await register(app);
      const tag = unique('many');
      for (let i = 0; i < 21; i++) await write(a, { tagList: [tag] });
      const dflt = await http(app).get(`/api/articles?tag=${tag}`);
      expect(dflt.body.articlesCount).toBe(21);
      expect(dflt.body.articles).toHaveLength(20);
      const max = await http(app).get(`/api/articles?tag=${tag}&limit=${ARTICLE_LIST_MAX_LIMIT}`);
      expect(max.status).toBe(200);
      expect(max.body.articles).toHaveLength(21);
    });

    it.each([
      ['limit', 'limit=-1', 'must be at least 1'],
      ['limit', 'limit=0', 'must be at least 1'],
      ['limit', `limit=${ARTICLE_LIST_MAX_LIMIT + 1}`, `must be at most ${ARTICLE_LIST_MAX_LIMIT}`],
      ['limit', 'limit=99999999999999999999999', `must be at most ${ARTICLE_LIST_MAX_LIMIT}`],
      ['limit', 'limit=abc', 'must be an integer'],
      ['limit', 'limit=1.5', 'must be an integer'],
      ['limit', 'limit=', 'must be an integer'],
      ['limit', 'limit=1&limit=2', 'must be an integer'],
      ['offset', 'offset=-5', 'must be at least 0'],
      ['offset', 'offset=1e3', 'must be an integer'],
      ['offset', 'offset=10000000000', 'must be at most 1000000'],
      ['tag', 'tag=a&tag=b', 'must be a string'],
    ])('answers 422 {"errors":{"%s":[...]}} for ?%s', async (field, qs, message) => {
      const res = await http(app).get(`/api/articles?${qs}`);
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ errors: { [field]: [message] } });
    });

    it.each(['tag=%00', `tag=${'x'.repeat(51)}`, 'author=%00', `author=${'y'.repeat(5000)}`, 'favorited=%C3%A9%F0%9F%98%80', 'tag=%25%27%22'])(
      'answers an empty list for an impossible filter value (?%s)',
      async (qs) => {
        const res = await http(app).get(`/api/articles?${qs}`);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ articles: [], articlesCount: 0 });
      },
    );
  });

  describe('GET /api/articles/feed', () => {
    it('shows articles by followed authors only, newest first, paginated; 422 for bad paging; 401 anonymous', async () => {
      const me = await register(app);
      const celeb = await register(app);
      const stranger = await register(app);
      expect((await http(app).get('/api/articles/feed').set(bearer(me))).body).toEqual({ articles: [], articlesCount: 0 });
      await http(app).post(`/api/profiles/${celeb.username}/follow`).set(bearer(me)).expect(200);
      const one = await write(celeb);
      const two = await write(celeb);
      await write(stranger);
      const feed = await http(app).get('/api/articles/feed').set(bearer(me));
      expect(feed.status).toBe(200);
      expect(feed.body.articlesCount).toBe(2);
      expect(feed.body.articles.map((x: { slug: string }) => x.slug)).toEqual([two.slug, one.slug]);
      expect(feed.body.articles[0].author).toEqual({ username: celeb.username, bio: null, image: null, following: true });
      const page = await http(app).get('/api/articles/feed?limit=1&offset=1').set(bearer(me));
      expect(page.body).toMatchObject({ articlesCount: 2, articles: [{ slug: one.slug }] });
      expect((await http(app).get('/api/articles/feed?limit=0').set(bearer(me))).status).toBe(422);
      expect((await http(app).get('/api/articles/feed?tag=x').set(bearer(me))).status).toBe(422);
      const anonymous = await http(app).get('/api/articles/feed');
      expect(anonymous.status).toBe(401);
      expect(anonymous.body).toEqual({ errors: { token: ['is missing'] } });
      await http(app).delete(`/api/profiles/${celeb.username}/follow`).set(bearer(me)).expect(200);
      expect((await http(app).get('/api/articles/feed').set(bearer(me))).body.articlesCount).toBe(0);
    });
  });

  describe('GET /api/tags', () => {
    it('lists tags in use, most used first, without authentication', async () => {
      const a = await register(app);
      const popular = unique('popular');
      const rare = unique('rare');
      await write(a, { tagList: [rare, popular] });
      await write(a, { tagList: [popular] });
      const res = await http(app).get('/api/tags');
      expect(res.status).toBe(200);
      expect(res.body.tags).toEqual(expect.arrayContaining([popular, rare]));
      expect(res.body.tags.indexOf(popular)).toBeLessThan(res.body.tags.indexOf(rare));
      const withBadToken = await http(app).get('/api/tags').set('Authorization', 'Bearer nonsense');
      expect(withBadToken.status).toBe(200);
    });
  });

  it('lets concurrent writers share tags (no deadlock, no 500) and keeps tag usage counts exact', async () => {
    const writers = [await register(app), await register(app), await register(app)];
    const tags = [unique('ta'), unique('tb'), unique('tc'), unique('td')];
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        http(app)
          .post('/api/articles')
          .set(bearer(writers[i % 3]))
          .send({ article: { title: unique('Race '), description: 'd', body: 'b', tagList: i % 2 ? [...tags].reverse() : tags } }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(201));
    const db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    try {
      const counts = await db.query('SELECT name, articles_count FROM tags WHERE name = ANY($1) ORDER BY name', [tags]);
      expect(counts.rows.map((r) => r.articles_count)).toEqual([12, 12, 12, 12]);
      for (const r of results.slice(0, 6)) {
        await http(app).delete(`/api/articles/${r.body.article.slug}`).set(bearer(writers[results.indexOf(r) % 3])).expect(204);
      }
      await http(app).put(`/api/articles/${results[6].body.article.slug}`).set(bearer(writers[0])).send({ article: { tagList: [tags[0]] } }).expect(200);
      const after = await db.query('SELECT name, articles_count FROM tags WHERE name = ANY($1) ORDER BY name', [tags]);
      expect(after.rows.map((r) => r.articles_count)).toEqual([6, 5, 5, 5]);
    } finally {
      await db.end();
    }
  });

  it('documents every RealWorld resource route in the OpenAPI document', async () => {
    const doc = (await http(app).get('/api/docs/openapi.json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    const expected: Array<[string, string[]]> = [
      ['/api/articles', ['get', 'post']],
      ['/api/articles/feed', ['get']],
      ['/api/articles/{slug}', ['get', 'put', 'delete']],
      ['/api/articles/{slug}/favorite', ['post', 'delete']],
      ['/api/articles/{slug}/comments', ['get', 'post']],
      ['/api/articles/{slug}/comments/{id}', ['delete']],
      ['/api/profiles/{username}', ['get']],
      ['/api/profiles/{username}/follow', ['post', 'delete']],
      ['/api/tags', ['get']],
    ];
    for (const [path, methods] of expected) {
      expect(Object.keys(doc.paths[path] ?? {}).sort()).toEqual([...methods].sort());
    }
  });

  describe('deleting a user', () => {
    it('deletes their articles, comments, favorites and follows', async () => {
      const a = await register(app);
      const b = await register(app);
      const mine = await write(a);
      const theirs = await write(b);
      await http(app).post(`/api/articles/${theirs.slug}/comments`).set(bearer(a)).send({ comment: { body: 'by a' } }).expect(201);
      await http(app).post(`/api/articles/${theirs.slug}/favorite`).set(bearer(a)).expect(200);
      await http(app).post(`/api/profiles/${b.username}/follow`).set(bearer(a)).expect(200);
      await http(app).post(`/api/profiles/${a.username}/follow`).set(bearer(b)).expect(200);
      await http(app).delete('/api/user').set(bearer(a)).send({ user: { password: a.password } }).expect(204);
      expect((await http(app).get(`/api/articles/${mine.slug}`)).status).toBe(404);
      expect((await http(app).get(`/api/articles/${theirs.slug}/comments`)).body.comments).toEqual([]);
      expect((await http(app).get(`/api/articles/${theirs.slug}`)).body.article.favoritesCount).toBe(0);
      expect((await http(app).get('/api/articles/feed').set(bearer(b))).body.articlesCount).toBe(0);
      expect((await http(app).get(`/api/profiles/${a.username}`)).status).toBe(404);
    });
  });
});
