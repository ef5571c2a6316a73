import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CreateApiTokenRequest, CreateApiTokenResponse } from '@conduit/contracts';
import { apiClient } from '@/lib/api-client';
import { apiTokenKeys } from './keys';

export function createApiToken(body: CreateApiTokenRequest): Promise<CreateApiTokenResponse> {
  return apiClient.post<CreateApiTokenResponse>('/user/api-tokens', body);
}

/**
 * The response carries the raw token, which must not outlive the page that shows it: the caller
 * takes it from `mutateAsync` into component state and calls `reset()`; `gcTime: 0` drops the
 * finished mutation from the mutation cache as soon as nothing observes it. The list is never
 * seeded from this response (it holds the raw token); it is refetched instead.
 */
export function useCreateApiToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createApiToken,
    gcTime: 0,
    // Returned, so the mutation stays pending until the list is fresh.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiTokenKeys.list() }),
  });
}
