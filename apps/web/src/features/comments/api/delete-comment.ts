import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { MultipleCommentsResponse } from '@conduit/contracts';
import { apiClient } from '@/lib/api-client';
import { commentKeys } from './keys';

/** `DELETE /api/articles/:slug/comments/:id`: only the comment's author may. */
export function deleteComment({ slug, id }: { slug: string; id: number }): Promise<void> {
  return apiClient.delete(`/articles/${encodeURIComponent(slug)}/comments/${id}`);
}

export function useDeleteComment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteComment,
    onSuccess: (_data, { slug, id }) => {
      queryClient.setQueryData<MultipleCommentsResponse>(commentKeys.list(slug), (old) =>
        old ? { comments: old.comments.filter((c) => c.id !== id) } : old,
      );
    },
  });
}
