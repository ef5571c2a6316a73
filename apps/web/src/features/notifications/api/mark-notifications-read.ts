import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { MarkNotificationsReadRequest } from '@conduit/contracts';
import { apiClient } from '@/lib/api-client';
import { notificationKeys } from './keys';

export function markNotificationsRead(body: MarkNotificationsReadRequest): Promise<void> {
  return apiClient.post<void>('/user/notifications/read', body);
}

export function useMarkNotificationsRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: markNotificationsRead,
    // Returned, so the mutation stays pending until the list (and the count) is fresh.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: notificationKeys.list() }),
  });
}
