import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { NewUserRequest, UserResponse } from '@conduit/contracts';
import { apiClient } from '@/lib/api-client';
import { setSessionUser } from '@/lib/session';

export function register(body: NewUserRequest): Promise<UserResponse> {
  return apiClient.post<UserResponse>('/users', body, { auth: false });
}

export function useRegister() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: register,
    gcTime: 0,
    onSuccess: ({ user }) => {
      queryClient.clear();
      setSessionUser(user);
    },
  });
}
