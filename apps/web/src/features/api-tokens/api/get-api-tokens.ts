import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ApiTokenListResponse } from '@conduit/contracts';
import { apiClient } from '@/lib/api-client';
import { apiTokenKeys } from './keys';

export function getApiTokens({ signal }: { signal?: AbortSignal } = {}): Promise<ApiTokenListResponse> {
  return apiClient.get<ApiTokenListResponse>('/user/api-tokens', { signal });
}

export const apiTokensQueryOptions = () =>
  queryOptions({
    queryKey: apiTokenKeys.list(),
    queryFn: ({ signal }) => getApiTokens({ signal }),
    select: (data) => data.apiTokens,
  });

export function useApiTokens() {
  return useQuery(apiTokensQueryOptions());
}
