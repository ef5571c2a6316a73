import type { ReauthenticateRequest } from '@conduit/contracts';
import { apiClient } from '@/lib/api-client';

/** Confirms the password of this session (204), so that sensitive actions are allowed again for a while. */
export function reauthenticate(body: ReauthenticateRequest): Promise<void> {
  return apiClient.post<void>('/user/reauthenticate', body);
}
