import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ApiTokenResponse, UpdateApiTokenRequest } from '@conduit/contracts';
import { apiClient } from '@/lib/api-client';
import { apiTokenKeys } from './keys';

export function updateApiToken({ id, body }: { id: string; body: UpdateApiTokenRequest }): Promise<ApiTokenResponse> {
  return apiClient.patch<ApiTokenResponse>(`/user/api-tokens/${encodeURIComponent(id)}`, body);
}

export function useUpdateApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateApiToken,
    // Returned, so the mutation stays pending until the list is fresh.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiTokenKeys.all }),
  });
}
