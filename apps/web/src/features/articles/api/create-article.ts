import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { NewArticleRequest, SingleArticleResponse } from '@conduit/contracts';
import { apiClient } from '@/lib/api-client';
import { articleKeys } from './keys';
import { tagKeys } from '@/features/tags/api/keys';

/** `POST /api/articles`; the slug comes from the title. */
export function createArticle(body: NewArticleRequest): Promise<SingleArticleResponse> {
  return apiClient.post<SingleArticleResponse>('/articles', body);
}

export function useCreateArticle() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createArticle,
    onSuccess: ({ article }) => {
      queryClient.setQueryData(articleKeys.detail(article.slug), { article });
      void queryClient.invalidateQueries({ queryKey: articleKeys.lists() });
      void queryClient.invalidateQueries({ queryKey: tagKeys.all });
    },
  });
}
