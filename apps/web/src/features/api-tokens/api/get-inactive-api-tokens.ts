import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ApiTokenListResponse } from '@conduit/contracts';
import { apiClient } from '@/lib/api-client';
import { apiTokenKeys } from './keys';

/** `GET /api/user/api-tokens?state=inactive`: tokens that ended in the last 90 days, with when and why. */
export function getInactiveApiTokens({ signal }: { signal?: AbortSignal } = {}): Promise<ApiTokenListResponse> {
  return apiClient.get<ApiTokenListResponse>('/user/api-tokens?state=inactive', { signal });
}

export const inactiveApiTokensQueryOptions = () =>
  queryOptions({
    queryKey: apiTokenKeys.inactive(),
    queryFn: ({ signal }) => getInactiveApiTokens({ signal }),
    select: (data) => data.apiTokens,
  });

export function useInactiveApiTokens(options: { enabled: boolean }) {
  return useQuery({ ...inactiveApiTokensQueryOptions(), enabled: options.enabled });
}
