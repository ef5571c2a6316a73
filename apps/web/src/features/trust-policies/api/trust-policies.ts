import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CreateTrustPolicyRequest, TestTrustPolicyResponse, TrustPolicyListResponse, TrustPolicyResponse,
} from '@conduit/contracts';
import { apiClient } from '@/lib/api-client';

/** Query keys of the Trusted CI feature. */
export const trustPolicyKeys = {
  all: ['trust-policies'] as const,
  list: () => [...trustPolicyKeys.all, 'list'] as const,
};

export function getTrustPolicies({ signal }: { signal?: AbortSignal } = {}): Promise<TrustPolicyListResponse> {
  return apiClient.get<TrustPolicyListResponse>('/user/trust-policies', { signal });
}

export const trustPoliciesQueryOptions = () =>
  queryOptions({ queryKey: trustPolicyKeys.list(), queryFn: ({ signal }) => getTrustPolicies({ signal }) });

export function useTrustPolicies() {
  return useQuery(trustPoliciesQueryOptions());
}

export function useCreateTrustPolicy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateTrustPolicyRequest) => apiClient.post<TrustPolicyResponse>('/user/trust-policies', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: trustPolicyKeys.list() }),
  });
}

export function useDeleteTrustPolicy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiClient.delete(`/user/trust-policies/${encodeURIComponent(id)}`),
    // Its minted tokens were revoked too: the token lists are stale as well.
    onSettled: () => Promise.all([queryClient.invalidateQueries({ queryKey: trustPolicyKeys.list() }), queryClient.invalidateQueries({ queryKey: ['api-tokens'] })]),
  });
}

/** Checks an ID token against a policy; nothing is minted or used up, so nothing is cached either. */
export function useTestTrustPolicy() {
  return useMutation({
    mutationFn: ({ id, idToken }: { id: string; idToken: string }) =>
      apiClient.post<TestTrustPolicyResponse>(`/user/trust-policies/${encodeURIComponent(id)}/test`, { idToken }),
    gcTime: 0,
  });
}
