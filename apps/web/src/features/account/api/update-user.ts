import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { UpdateUserRequest, UserResponse } from '@conduit/contracts';
import { apiClient } from '@/lib/api-client';
import { setSessionUser } from '@/lib/session';
import { accountKeys } from './keys';

export function updateUser(body: UpdateUserRequest): Promise<UserResponse> {
  return apiClient.put<UserResponse>('/user', body);
}

/** Saves profile, password or time zone; the shared session picks up the new user at once. */
export function useUpdateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: UpdateUserRequest) => {
      const { user } = await updateUser(body);
      setSessionUser(user);
      // Hand back the user without its access token so it never sits in the mutation cache.
      const { token: _token, ...rest } = user;
      return rest;
    },
    // The response is the fresh user: no refetch needed.
    onSuccess: (user) => queryClient.setQueryData(accountKeys.currentUser(), user),
  });
}
