import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ProfileResponse } from '@conduit/contracts';
import { apiClient } from '@/lib/api-client';
import { profileKeys } from './keys';

/** `GET /api/profiles/:username`; `following` says whether the caller follows them. */
export function getProfile(username: string, { signal }: { signal?: AbortSignal } = {}): Promise<ProfileResponse> {
  return apiClient.get<ProfileResponse>(`/profiles/${encodeURIComponent(username)}`, { signal });
}

export const profileQueryOptions = (username: string) =>
  queryOptions({
    queryKey: profileKeys.detail(username),
    queryFn: ({ signal }) => getProfile(username, { signal }),
    select: (data) => data.profile,
  });

export function useProfile(username: string) {
  return useQuery(profileQueryOptions(username));
}
