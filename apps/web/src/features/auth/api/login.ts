import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { LoginUserRequest, UserResponse } from '@conduit/contracts';
import { apiClient } from '@/lib/api-client';
import { setSessionUser } from '@/lib/session';

export function login(body: LoginUserRequest): Promise<UserResponse> {
  return apiClient.post<UserResponse>('/users/login', body, { auth: false });
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: login,
    // The response holds the access token: never keep it in the mutation cache.
    gcTime: 0,
    onSuccess: ({ user }) => {
      queryClient.clear();
      setSessionUser(user);
    },
  });
}
