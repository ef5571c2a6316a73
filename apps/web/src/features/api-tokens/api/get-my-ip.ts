import { queryOptions } from '@tanstack/react-query';
import type { ClientIpResponse } from '@conduit/contracts';
import { apiClient } from '@/lib/api-client';
import { apiTokenKeys } from './keys';

/** `GET /api/ip`: the client address as the server sees it. */
export function getMyIp({ signal }: { signal?: AbortSignal } = {}): Promise<ClientIpResponse> {
  return apiClient.get<ClientIpResponse>('/ip', { signal, auth: false });
}

export const myIpQueryOptions = () =>
  queryOptions({
    queryKey: apiTokenKeys.myIp(),
    queryFn: ({ signal }) => getMyIp({ signal }),
    staleTime: 60_000,
  });
