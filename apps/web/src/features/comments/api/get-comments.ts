import { queryOptions, useQuery } from '@tanstack/react-query';
import type { MultipleCommentsResponse } from '@conduit/contracts';
import { apiClient } from '@/lib/api-client';
import { commentKeys } from './keys';

/** `GET /api/articles/:slug/comments`: oldest first. */
export function getComments(slug: string, { signal }: { signal?: AbortSignal } = {}): Promise<MultipleCommentsResponse> {
  return apiClient.get<MultipleCommentsResponse>(`/articles/${encodeURIComponent(slug)}/comments`, { signal });
}

export const commentsQueryOptions = (slug: string) =>
  queryOptions({
    queryKey: commentKeys.list(slug),
    queryFn: ({ signal }) => getComments(slug, { signal }),
    select: (data) => data.comments,
  });

export function useComments(slug: string) {
  return useQuery(commentsQueryOptions(slug));
}
