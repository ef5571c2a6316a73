import { queryOptions } from '@tanstack/react-query';
import { apiClient } from '@/lib/api-client';
import { apiTokenKeys } from './keys';

/** `GET /api/ip`: the client address as the server sees it. (Not in @conduit/contracts yet.) */
export interface MyIpResponse {
  ip: string;
}

export function getMyIp({ signal }: { signal?: AbortSignal } = {}): Promise<MyIpResponse> {
  return apiClient.get<MyIpResponse>('/ip', { signal, auth: false });
}

export const myIpQueryOptions = () =>
  queryOptions({
    queryKey: apiTokenKeys.myIp(),
    queryFn: ({ signal }) => getMyIp({ signal }),
    staleTime: 60_000,
  });
