import { queryOptions, useQuery } from '@tanstack/react-query';
import type { TagsResponse } from '@conduit/contracts';
import { apiClient } from '@/lib/api-client';
import { tagKeys } from './keys';

/** `GET /api/tags`: tags of existing articles, most used first. */
export function getTags({ signal }: { signal?: AbortSignal } = {}): Promise<TagsResponse> {
  return apiClient.get<TagsResponse>('/tags', { signal });
}

export const popularTagsQueryOptions = () =>
  queryOptions({
    queryKey: tagKeys.popular(),
    queryFn: ({ signal }) => getTags({ signal }),
    // The twenty most used: a sidebar, not an index.
    select: (data) => data.tags.slice(0, 20),
    staleTime: 60_000,
  });

export function usePopularTags() {
  return useQuery(popularTagsQueryOptions());
}
