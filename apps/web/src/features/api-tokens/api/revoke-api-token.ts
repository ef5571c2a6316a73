import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiClient, ApiError } from '@/lib/api-client';
import { apiTokenKeys } from './keys';

export function revokeApiToken(id: string): Promise<void> {
  return apiClient.delete(`/user/api-tokens/${encodeURIComponent(id)}`);
}

export function useRevokeApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: revokeApiToken,
    // The active list and the inactive one (where the token now appears).
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiTokenKeys.all }),
    onError: (error) => {
      // Already gone (revoked elsewhere, or expired): the list is stale, refresh it.
      if (error instanceof ApiError && error.status === 404) {
        return queryClient.invalidateQueries({ queryKey: apiTokenKeys.list() });
      }
    },
  });
}
