import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { RotateApiTokenRequest, RotateApiTokenResponse } from '@conduit/contracts';
import { apiClient } from '@/lib/api-client';
import { apiTokenKeys } from './keys';

export function rotateApiToken({ id, body }: { id: string; body: RotateApiTokenRequest }): Promise<RotateApiTokenResponse> {
  return apiClient.post<RotateApiTokenResponse>(`/user/api-tokens/${encodeURIComponent(id)}/rotate`, body);
}

/**
 * Like creation, the response carries a raw token: the caller takes it from `mutateAsync` into
 * component state and calls `reset()`; `gcTime: 0` drops the finished mutation at once.
 */
export function useRotateApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: rotateApiToken,
    gcTime: 0,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiTokenKeys.all }),
  });
}
