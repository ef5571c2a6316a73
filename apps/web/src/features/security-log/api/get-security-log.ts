import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import type { SecurityLogResponse } from '@conduit/contracts';
import { apiClient } from '@/lib/api-client';
import { securityLogKeys, type SecurityLogFilters } from './keys';

export const SECURITY_LOG_PAGE_SIZE = 50;

export function getSecurityLog(
  filters: SecurityLogFilters,
  before: string | null,
  { signal }: { signal?: AbortSignal } = {},
): Promise<SecurityLogResponse> {
  const params = new URLSearchParams({ limit: String(SECURITY_LOG_PAGE_SIZE) });
  if (filters.tokenId) params.set('tokenId', filters.tokenId);
  if (filters.type) params.set('type', filters.type);
  if (before) params.set('before', before);
  return apiClient.get<SecurityLogResponse>(`/user/security-log?${params}`, { signal });
}

export const securityLogQueryOptions = (filters: SecurityLogFilters) =>
  infiniteQueryOptions({
    queryKey: securityLogKeys.list(filters),
    queryFn: ({ pageParam, signal }) => getSecurityLog(filters, pageParam, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });

export function useSecurityLog(filters: SecurityLogFilters) {
  return useInfiniteQuery(securityLogQueryOptions(filters));
}
