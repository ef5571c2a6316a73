import { queryOptions, useQuery } from '@tanstack/react-query';
import type { User, UserResponse } from '@conduit/contracts';
import { apiClient } from '@/lib/api-client';
import { accountKeys } from './keys';

/** The user without its access token: the token never goes into the query cache. */
export type AccountUser = Omit<User, 'token'>;

export async function getCurrentUser({ signal }: { signal?: AbortSignal } = {}): Promise<AccountUser> {
  const { user } = await apiClient.get<UserResponse>('/user', { signal });
  const { token: _token, ...rest } = user;
  return rest;
}

export const currentUserQueryOptions = () =>
  queryOptions({
    queryKey: accountKeys.currentUser(),
    queryFn: ({ signal }) => getCurrentUser({ signal }),
  });

export function useCurrentUser() {
  return useQuery(currentUserQueryOptions());
}
