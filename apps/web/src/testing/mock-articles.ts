import { http, HttpResponse } from 'msw';
import type {
  Article,
  Comment,
  ErrorResponse,
  MultipleArticlesResponse,
  MultipleCommentsResponse,
  NewArticleRequest,
  NewCommentRequest,
  Profile,
  ProfileResponse,
  SingleArticleResponse,
  SingleCommentResponse,
  TagsResponse,
  UpdateArticleRequest,
} from '@conduit/contracts';

export interface MockArticlesInitial {
  /** Newest first, as the API lists them. `favorited`/`following` are as the signed-in user sees them. */
  articles?: Article[];
  comments?: Record<string, Comment[]>;
  /** People other than the signed-in user, by username. */
  profiles?: Profile[];
}


/**
 * The articles, comments, profiles and tags part of the imitation API (see `createMockApi`). A
 * request is the signed-in user's when it carries an Authorization header.
 */
export function createMockArticlesApi(
  initial: MockArticlesInitial,
  me: () => { username: string; bio: string | null; image: string | null },
  record: (request: Request) => Promise<void>,
) {
  const state = {
    articles: (initial.articles ?? []).map((a) => ({ ...a })),
    comments: { ...(initial.comments ?? {}) } as Record<string, Comment[]>,
    profiles: new Map((initial.profiles ?? []).map((p) => [p.username, { ...p }])),
    nextCommentId: 1000,
  };
  for (const article of state.articles) {
    if (!state.profiles.has(article.author.username) && article.author.username !== me().username) {
      state.profiles.set(article.author.username, { ...article.author });
    }
  }

  const signedIn = (request: Request) => request.headers.get('authorization') !== null;
  const profileOf = (username: string, request: Request): Profile | null => {
    if (username === me().username) return { ...me(), following: false };
    const p = state.profiles.get(username);
    return p ? { ...p, following: signedIn(request) && p.following } : null;
  };
  const view = (a: Article, request: Request): Article => ({
    ...a,
    favorited: signedIn(request) && a.favorited,
    author: profileOf(a.author.username, request) ?? a.author,
  });
  const preview = (a: Article, request: Request) => {
    const { body: _body, ...rest } = view(a, request);
    return rest;
  };
  const find = (slug: string) => state.articles.find((a) => a.slug === slug);
  const notFound = (what: string): ErrorResponse => ({ errors: { [what]: ['not found'] } });
  const unauthorized = () => HttpResponse.json<ErrorResponse>({ errors: { token: ['is missing'] } }, { status: 401 });
  const page = (list: Article[], request: Request): MultipleArticlesResponse => {
    const url = new URL(request.url);
    const limit = Number(url.searchParams.get('limit') ?? 20);
    const offset = Number(url.searchParams.get('offset') ?? 0);
    return { articles: list.slice(offset, offset + limit).map((a) => preview(a, request)), articlesCount: list.length };
  };
  const blank = (fields: Record<string, unknown>, required: boolean) => {
    const errors: Record<string, string[]> = {};
    for (const [field, value] of Object.entries(fields)) {
      if ((required && value === undefined) || (value !== undefined && (typeof value !== 'string' || !value.trim()))) {
        errors[field] = ["can't be blank"];
      }
    }
    return errors;
  };
  const slugify = (title: string) => title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

  const handlers = [
    http.get<never, never, TagsResponse>('*/api/tags', async ({ request }) => {
      await record(request);
      const counts = new Map<string, number>();
      for (const a of state.articles) for (const t of a.tagList) counts.set(t, (counts.get(t) ?? 0) + 1);
      return HttpResponse.json({ tags: [...counts.entries()].sort((x, y) => y[1] - x[1]).map(([t]) => t) });
    }),
    http.get<never, never, MultipleArticlesResponse | ErrorResponse>('*/api/articles/feed', async ({ request }) => {
      await record(request);
      if (!signedIn(request)) return unauthorized();
      return HttpResponse.json(page(state.articles.filter((a) => state.profiles.get(a.author.username)?.following), request));
    }),
    http.get<never, never, MultipleArticlesResponse>('*/api/articles', async ({ request }) => {
      await record(request);
      const url = new URL(request.url);
      const tag = url.searchParams.get('tag');
      const author = url.searchParams.get('author');
      const favorited = url.searchParams.get('favorited');
      const list = state.articles.filter(
        (a) =>
          (!tag || a.tagList.includes(tag)) &&
          (!author || a.author.username === author) &&
          // Only the signed-in user's favorites are known to this imitation.
          (!favorited || (favorited === me().username && a.favorited)),
      );
      return HttpResponse.json(page(list, request));
    }),
    http.get<{ slug: string }, never, SingleArticleResponse | ErrorResponse>('*/api/articles/:slug', async ({ request, params }) => {
      await record(request);
      const article = find(params.slug);
      if (!article) return HttpResponse.json(notFound('article'), { status: 404 });
      return HttpResponse.json({ article: view(article, request) });
    }),
    http.post<never, NewArticleRequest, SingleArticleResponse | ErrorResponse>('*/api/articles', async ({ request }) => {
      await record(request);
      if (!signedIn(request)) return unauthorized();
      const { article } = await request.json();
      const errors = blank({ title: article.title, description: article.description, body: article.body }, true);
      if (Object.keys(errors).length > 0) return HttpResponse.json({ errors }, { status: 422 });
      const now = new Date().toISOString();
      const created: Article = {
        slug: slugify(article.title),
        title: article.title.trim(),
        description: article.description.trim(),
        body: article.body,
        tagList: [...new Set((article.tagList ?? []).map((t) => t.trim()))],
        createdAt: now,
        updatedAt: now,
        favorited: false,
        favoritesCount: 0,
        author: { ...me(), following: false },
      };
      state.articles.unshift(created);
      return HttpResponse.json({ article: created }, { status: 201 });
    }),
    http.put<{ slug: string }, UpdateArticleRequest, SingleArticleResponse | ErrorResponse>(
      '*/api/articles/:slug',
      async ({ request, params }) => {
        await record(request);
        const article = find(params.slug);
        if (!article) return HttpResponse.json(notFound('article'), { status: 404 });
        if (article.author.username !== me().username) return HttpResponse.json({ errors: { article: ['forbidden'] } }, { status: 403 });
        const { article: changes } = await request.json();
        const errors = blank({ title: changes.title, description: changes.description, body: changes.body }, false);
        if (Object.keys(errors).length > 0) return HttpResponse.json({ errors }, { status: 422 });
        Object.assign(article, changes, changes.title ? { slug: slugify(changes.title) } : {}, { updatedAt: new Date().toISOString() });
        return HttpResponse.json({ article: view(article, request) });
      },
    ),
    http.delete<{ slug: string }, never, ErrorResponse>('*/api/articles/:slug', async ({ request, params }) => {
      await record(request);
      const article = find(params.slug);
      if (!article) return HttpResponse.json(notFound('article'), { status: 404 });
      state.articles = state.articles.filter((a) => a !== article);
      return new HttpResponse(null, { status: 204 });
    }),
    ...(['post', 'delete'] as const).map((method) =>
      http[method]<{ slug: string }, never, SingleArticleResponse | ErrorResponse>('*/api/articles/:slug/favorite', async ({ request, params }) => {
        await record(request);
        if (!signedIn(request)) return unauthorized();
        const article = find(params.slug);
        if (!article) return HttpResponse.json(notFound('article'), { status: 404 });
        const on = method === 'post';
        if (article.favorited !== on) article.favoritesCount += on ? 1 : -1;
        article.favorited = on;
        return HttpResponse.json({ article: view(article, request) });
      }),
    ),
    http.get<{ slug: string }, never, MultipleCommentsResponse | ErrorResponse>('*/api/articles/:slug/comments', async ({ request, params }) => {
      await record(request);
      if (!find(params.slug)) return HttpResponse.json(notFound('article'), { status: 404 });
      return HttpResponse.json({ comments: state.comments[params.slug] ?? [] });
    }),
    http.post<{ slug: string }, NewCommentRequest, SingleCommentResponse | ErrorResponse>(
      '*/api/articles/:slug/comments',
      async ({ request, params }) => {
        await record(request);
        if (!signedIn(request)) return unauthorized();
        if (!find(params.slug)) return HttpResponse.json(notFound('article'), { status: 404 });
        const { comment } = await request.json();
        if (!comment.body?.trim()) return HttpResponse.json({ errors: { body: ["can't be blank"] } }, { status: 422 });
        const now = new Date().toISOString();
        const created: Comment = { id: state.nextCommentId++, body: comment.body, createdAt: now, updatedAt: now, author: { ...me(), following: false } };
        state.comments[params.slug] = [...(state.comments[params.slug] ?? []), created];
        return HttpResponse.json({ comment: created }, { status: 201 });
      },
    ),
    http.delete<{ slug: string; id: string }, never, ErrorResponse>('*/api/articles/:slug/comments/:id', async ({ request, params }) => {
      await record(request);
      const list = state.comments[params.slug] ?? [];
      const comment = list.find((c) => String(c.id) === params.id);
      if (!comment) return HttpResponse.json(notFound('comment'), { status: 404 });
      if (comment.author.username !== me().username) return HttpResponse.json({ errors: { comment: ['forbidden'] } }, { status: 403 });
      state.comments[params.slug] = list.filter((c) => c !== comment);
      return new HttpResponse(null, { status: 204 });
    }),
    http.get<{ username: string }, never, ProfileResponse | ErrorResponse>('*/api/profiles/:username', async ({ request, params }) => {
      await record(request);
      const profile = profileOf(params.username, request);
      if (!profile) return HttpResponse.json(notFound('profile'), { status: 404 });
      return HttpResponse.json({ profile });
    }),
    ...(['post', 'delete'] as const).map((method) =>
      http[method]<{ username: string }, never, ProfileResponse | ErrorResponse>('*/api/profiles/:username/follow', async ({ request, params }) => {
        await record(request);
        if (!signedIn(request)) return unauthorized();
        const profile = state.profiles.get(params.username);
        if (!profile) return HttpResponse.json(notFound('profile'), { status: 404 });
        profile.following = method === 'post';
        return HttpResponse.json({ profile: { ...profile } });
      }),
    ),
  ];

  return { state, handlers };
}

