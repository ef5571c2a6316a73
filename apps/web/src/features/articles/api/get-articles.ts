import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { MultipleArticlesResponse } from '@conduit/contracts';
import { apiClient } from '@/lib/api-client';
import { ARTICLES_PER_PAGE, articleKeys, type ArticleFilter } from './keys';

/**
 * `GET /api/articles` (newest first, filtered by tag, author or favoriting user) or, for
 * `{ feed: true }`, `GET /api/articles/feed` (articles by the people the caller follows).
 * `page` counts from 1.
 */
export function getArticles(filter: ArticleFilter, page: number, { signal }: { signal?: AbortSignal } = {}) {
  const params = new URLSearchParams({ limit: String(ARTICLES_PER_PAGE), offset: String((page - 1) * ARTICLES_PER_PAGE) });
  if (!filter.feed) {
    if (filter.tag) params.set('tag', filter.tag);
    if (filter.author) params.set('author', filter.author);
    if (filter.favorited) params.set('favorited', filter.favorited);
  }
  const path = filter.feed ? '/articles/feed' : '/articles';
  return apiClient.get<MultipleArticlesResponse>(`${path}?${params}`, { signal });
}

export const articlesQueryOptions = (filter: ArticleFilter, page: number) =>
  queryOptions({
    queryKey: articleKeys.list(filter, page),
    queryFn: ({ signal }) => getArticles(filter, page, { signal }),
    // Keep the previous page on screen while the next one loads.
    placeholderData: keepPreviousData,
  });

export function useArticles(filter: ArticleFilter, page: number, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({ ...articlesQueryOptions(filter, page), enabled });
}
