import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { DeleteUserRequest } from '@conduit/contracts';
import { apiClient } from '@/lib/api-client';
import { clearSession } from '@/lib/session';

export function deleteUser(body: DeleteUserRequest): Promise<void> {
  return apiClient.delete('/user', body);
}

export function useDeleteUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteUser,
    onSuccess: () => {
      clearSession('deleted');
      queryClient.clear();
    },
  });
}
