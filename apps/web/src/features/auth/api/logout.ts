import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '@/lib/api-client';
import { clearSession } from '@/lib/session';

export function logout(): Promise<void> {
  return apiClient.post<void>('/users/logout', undefined, { retryOn401: false });
}

/** Revokes the session on the server, then forgets everything in memory, whatever the answer. */
export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      try {
        await logout();
      } catch {
        // The session ends locally anyway; the refresh cookie is httpOnly and expires on its own.
      }
    },
    onSettled: () => {
      clearSession('signed-out');
      queryClient.clear();
    },
  });
}
