import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { MultipleArticlesResponse, SingleArticleResponse } from '@conduit/contracts';
import { apiClient } from '@/lib/api-client';
import { articleKeys } from './keys';

/** `POST` (favorite) or `DELETE` (unfavorite) `/api/articles/:slug/favorite`; both are idempotent. */
export function favoriteArticle({ slug, favorite }: { slug: string; favorite: boolean }): Promise<SingleArticleResponse> {
  const path = `/articles/${encodeURIComponent(slug)}/favorite`;
  return favorite ? apiClient.post<SingleArticleResponse>(path) : apiClient.delete<SingleArticleResponse>(path);
}

/** Updates the article wherever it is shown (its page and every cached list) from the API's answer. */
export function useFavoriteArticle() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: favoriteArticle,
    onSuccess: ({ article }) => {
      const { body: _body, ...preview } = article;
      queryClient.setQueryData<SingleArticleResponse>(articleKeys.detail(article.slug), (old) => (old ? { article } : old));
      queryClient.setQueriesData<MultipleArticlesResponse>({ queryKey: articleKeys.lists() }, (old) =>
        old ? { ...old, articles: old.articles.map((a) => (a.slug === article.slug ? preview : a)) } : old,
      );
      // "Favorited Articles" lists gain or lose it.
      void queryClient.invalidateQueries({ queryKey: articleKeys.lists(), refetchType: 'none' });
    },
  });
}
