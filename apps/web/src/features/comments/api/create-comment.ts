import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { MultipleCommentsResponse, SingleCommentResponse } from '@conduit/contracts';
import { apiClient } from '@/lib/api-client';
import { commentKeys } from './keys';

/** `POST /api/articles/:slug/comments`. */
export function createComment({ slug, body }: { slug: string; body: string }): Promise<SingleCommentResponse> {
  return apiClient.post<SingleCommentResponse>(`/articles/${encodeURIComponent(slug)}/comments`, { comment: { body } });
}

export function useCreateComment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createComment,
    onSuccess: ({ comment }, { slug }) => {
      queryClient.setQueryData<MultipleCommentsResponse>(commentKeys.list(slug), (old) =>
        old ? { comments: [...old.comments.filter((c) => c.id !== comment.id), comment] } : old,
      );
      return queryClient.invalidateQueries({ queryKey: commentKeys.list(slug) });
    },
  });
}
