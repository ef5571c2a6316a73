/** Which list of articles: the signed-in person's feed, or the global list filtered by tag, author or favoriting user. */
export type ArticleFilter =
  | { feed: true }
  | { feed?: false; tag?: string; author?: string; favorited?: string };

/** Query keys of the articles feature, from one factory so invalidation cannot drift. */
export const articleKeys = {
  all: ['articles'] as const,
  lists: () => [...articleKeys.all, 'list'] as const,
  list: (filter: ArticleFilter, page: number) => [...articleKeys.lists(), filter, page] as const,
  details: () => [...articleKeys.all, 'detail'] as const,
  detail: (slug: string) => [...articleKeys.details(), slug] as const,
};

/** Articles per page, as the RealWorld front-end spec pages them. */
export const ARTICLES_PER_PAGE = 10;
