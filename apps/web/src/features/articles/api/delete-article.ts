import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '@/lib/api-client';
import { articleKeys } from './keys';
import { tagKeys } from '@/features/tags/api/keys';

/** `DELETE /api/articles/:slug`: the author deletes the article with its comments and favorites. */
export function deleteArticle(slug: string): Promise<void> {
  return apiClient.delete(`/articles/${encodeURIComponent(slug)}`);
}

export function useDeleteArticle() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteArticle,
    onSuccess: (_data, slug) => {
      queryClient.removeQueries({ queryKey: articleKeys.detail(slug) });
      void queryClient.invalidateQueries({ queryKey: articleKeys.lists() });
      void queryClient.invalidateQueries({ queryKey: tagKeys.all });
    },
  });
}
