import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { SingleArticleResponse, UpdateArticleRequest } from '@conduit/contracts';
import { apiClient } from '@/lib/api-client';
import { articleKeys } from './keys';
import { tagKeys } from '@/features/tags/api/keys';

/** `PUT /api/articles/:slug`: the author's edit; a new title gives a new slug. */
export function updateArticle({ slug, body }: { slug: string; body: UpdateArticleRequest }): Promise<SingleArticleResponse> {
  return apiClient.put<SingleArticleResponse>(`/articles/${encodeURIComponent(slug)}`, body);
}

export function useUpdateArticle() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateArticle,
    onSuccess: ({ article }, { slug }) => {
      if (slug !== article.slug) queryClient.removeQueries({ queryKey: articleKeys.detail(slug) });
      queryClient.setQueryData(articleKeys.detail(article.slug), { article });
      void queryClient.invalidateQueries({ queryKey: articleKeys.lists() });
      void queryClient.invalidateQueries({ queryKey: tagKeys.all });
    },
  });
}
