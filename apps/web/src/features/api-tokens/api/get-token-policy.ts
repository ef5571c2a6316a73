import { queryOptions, useQuery } from '@tanstack/react-query';
import type { TokenPolicyResponse } from '@conduit/contracts';
import { apiClient } from '@/lib/api-client';
import { apiTokenKeys } from './keys';

export function getTokenPolicy({ signal }: { signal?: AbortSignal } = {}): Promise<TokenPolicyResponse> {
  return apiClient.get<TokenPolicyResponse>('/token-policy', { signal });
}

/** The server's token policy (maximum lifetime, inactivity revocation): instance configuration. */
export const tokenPolicyQueryOptions = () =>
  queryOptions({
    queryKey: apiTokenKeys.policy(),
    queryFn: ({ signal }) => getTokenPolicy({ signal }),
    select: (data) => data.tokenPolicy,
    staleTime: 5 * 60_000,
  });

export function useTokenPolicy() {
  return useQuery(tokenPolicyQueryOptions());
}
