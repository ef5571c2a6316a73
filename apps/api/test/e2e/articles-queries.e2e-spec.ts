import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { http, register, Registered, startApp, unique } from '../support/app';

/**
 * Lists cost one round of queries whatever their length (no N+1): every statement the app sends to
 * PostgreSQL during a request is counted at the driver (pg's Client#query, under TypeORM and the
 * named statements alike).
 */
describe('article lists: a constant number of SQL statements per request', () => {
  let app: NestFastifyApplication;
  let statements: string[] = [];
  let spy: jest.SpyInstance;

  beforeAll(async () => {
    // The security log's batched background writes (sign-ups, sign-ins) would be counted with a
    // request's statements: they are measured on their own (security-log e2e, bench:auth).
    app = await startApp({ SECURITY_LOG: 'false' });
    const original = Client.prototype.query;
    spy = jest.spyOn(Client.prototype, 'query').mockImplementation(function (this: Client, ...args: unknown[]) {
      const config = args[0] as string | { text?: string };
      statements.push(typeof config === 'string' ? config : config?.text ?? '?');
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as never);
  });
  afterAll(async () => {
    spy.mockRestore();
    await app.close();
  });

  async function count(run: () => Promise<unknown>): Promise<string[]> {
    statements = [];
    await run();
    const sent = statements;
    statements = [];
    return sent;
  }

  const bearer = (u: Registered) => ({ Authorization: `Bearer ${u.token}` });

  it('list, tag filter, favorited filter and feed: the same statement count for 1 article as for 20', async () => {
    const me = await register(app);
    const authors = [await register(app), await register(app), await register(app)];
    const tag = unique('n1');
    for (const author of authors) await http(app).post(`/api/profiles/${author.username}/follow`).set(bearer(me)).expect(200);
    const write = async (author: Registered) => {
      const res = await http(app)
        .post('/api/articles')
        .set(bearer(author))
        .send({ article: { title: unique('N1 '), description: 'd', body: 'b', tagList: [tag, unique('x'), unique('y')] } });
      await http(app).post(`/api/articles/${res.body.article.slug}/favorite`).set(bearer(me)).expect(200);
      await http(app).post(`/api/articles/${res.body.article.slug}/comments`).set(bearer(me)).send({ comment: { body: 'c' } }).expect(201);
    };
    await write(authors[0]);
    const commented = (await http(app).get(`/api/articles?tag=${tag}`).set(bearer(me))).body.articles[0].slug as string;

    const requests: Array<[string, () => Promise<unknown>]> = [
      ['list (anonymous)', () => http(app).get('/api/articles?limit=20').expect(200)],
      ['list (signed in)', () => http(app).get('/api/articles?limit=20').set(bearer(me)).expect(200)],
      ['tag filter', () => http(app).get(`/api/articles?tag=${tag}`).set(bearer(me)).expect(200)],
      ['favorited filter', () => http(app).get(`/api/articles?favorited=${me.username}`).set(bearer(me)).expect(200)],
      ['author filter', () => http(app).get(`/api/articles?author=${authors[0].username}`).set(bearer(me)).expect(200)],
      ['feed', () => http(app).get('/api/articles/feed').set(bearer(me)).expect(200)],
      ['comments', () => http(app).get(`/api/articles/${commented}/comments`).set(bearer(me)).expect(200)],
    ];
    const before: Record<string, number> = {};
    for (const [name, run] of requests) before[name] = (await count(run)).length;

    for (let i = 1; i < 20; i++) await write(authors[i % authors.length]);
    const tagged = await http(app).get(`/api/articles?tag=${tag}`).set(bearer(me));
    expect(tagged.body.articles).toHaveLength(20);
    expect(tagged.body.articles.every((a: { favorited: boolean; author: { following: boolean }; tagList: string[] }) =>
      a.favorited && a.author.following && a.tagList.length === 3)).toBe(true);

    for (const [name, run] of requests) {
      const sent = await count(run);
      expect({ name, count: sent.length }).toEqual({ name, count: before[name] });
    }
    // Anonymous: the list itself is one statement; signed in: plus the session lookup.
    expect(before['list (anonymous)']).toBe(1);
    expect(before['list (signed in)']).toBe(2);
    expect(before['tag filter']).toBe(2);
    expect(before['feed']).toBe(2);
  });

  it('a page past the end still carries the total, from the same single statement', async () => {
    const a = await register(app);
    await http(app).post('/api/articles').set(bearer(a)).send({ article: { title: 'T', description: 'd', body: 'b' } }).expect(201);
    let body: unknown;
    const sent = await count(async () => {
      body = (await http(app).get(`/api/articles?author=${a.username}&offset=40`).expect(200)).body;
    });
    expect(sent).toHaveLength(1);
    expect(body).toEqual({ articles: [], articlesCount: 1 });
  });

  it("a single article's comments are one statement however many there are", async () => {
    const a = await register(app);
    const res = await http(app).post('/api/articles').set(bearer(a)).send({ article: { title: 'C', description: 'd', body: 'b' } });
    const slug = res.body.article.slug;
    await http(app).post(`/api/articles/${slug}/comments`).set(bearer(a)).send({ comment: { body: '1' } });
    const one = await count(() => http(app).get(`/api/articles/${slug}/comments`).expect(200));
    for (let i = 0; i < 10; i++) await http(app).post(`/api/articles/${slug}/comments`).set(bearer(a)).send({ comment: { body: `${i}` } });
    const many = await count(() => http(app).get(`/api/articles/${slug}/comments`).expect(200));
    expect(one).toHaveLength(1);
    expect(many).toHaveLength(1);
  });
});
