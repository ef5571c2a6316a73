import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  CompletePasswordResetRequest, PasswordResetRequest, PasswordResetRequestedResponse, PasswordResetStatusResponse,
} from '@conduit/contracts';
import { apiClient } from '@/lib/api-client';
import { clearSession } from '@/lib/session';

export const passwordResetStatusKey = ['password-reset', 'status'] as const;

/** Whether this server can email reset links (the operator configured mail), and how long one lasts. */
export function usePasswordResetStatus() {
  return useQuery({
    queryKey: passwordResetStatusKey,
    queryFn: ({ signal }) => apiClient.get<PasswordResetStatusResponse>('/users/password-reset', { auth: false, signal }),
    staleTime: 5 * 60_000,
  });
}

/** The same 202 whether or not the email has an account: the answer never says which. */
export function useRequestPasswordReset() {
  return useMutation({
    mutationFn: (body: PasswordResetRequest) => apiClient.post<PasswordResetRequestedResponse>('/users/password-reset', body, { auth: false }),
  });
}

/** Sets the new password; every session of the account ends, so this browser's too. */
export function useCompletePasswordReset() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CompletePasswordResetRequest) => apiClient.post<void>('/users/password-reset/complete', body, { auth: false }),
    // The body holds the link's token and the new password: never keep it in the mutation cache.
    gcTime: 0,
    onSuccess: () => {
      clearSession();
      queryClient.clear();
    },
  });
}
