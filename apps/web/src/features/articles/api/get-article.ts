import { queryOptions, useQuery } from '@tanstack/react-query';
import type { SingleArticleResponse } from '@conduit/contracts';
import { apiClient } from '@/lib/api-client';
import { articleKeys } from './keys';

/** `GET /api/articles/:slug`: one article with its body. */
export function getArticle(slug: string, { signal }: { signal?: AbortSignal } = {}): Promise<SingleArticleResponse> {
  return apiClient.get<SingleArticleResponse>(`/articles/${encodeURIComponent(slug)}`, { signal });
}

export const articleQueryOptions = (slug: string) =>
  queryOptions({
    queryKey: articleKeys.detail(slug),
    queryFn: ({ signal }) => getArticle(slug, { signal }),
    select: (data) => data.article,
  });

export function useArticle(slug: string) {
  return useQuery(articleQueryOptions(slug));
}
