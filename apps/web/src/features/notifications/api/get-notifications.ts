import { queryOptions, useQuery } from '@tanstack/react-query';
import type { NotificationListResponse } from '@conduit/contracts';
import { apiClient } from '@/lib/api-client';
import { notificationKeys } from './keys';

/** Reminders arrive from the server's scheduler: look again every minute while the app is open. */
export const NOTIFICATIONS_REFRESH_MS = 60_000;

export function getNotifications({ signal }: { signal?: AbortSignal } = {}): Promise<NotificationListResponse> {
  return apiClient.get<NotificationListResponse>('/user/notifications', { signal });
}

export const notificationsQueryOptions = () =>
  queryOptions({
    queryKey: notificationKeys.list(),
    queryFn: ({ signal }) => getNotifications({ signal }),
    refetchInterval: NOTIFICATIONS_REFRESH_MS,
  });

export function useNotifications() {
  return useQuery(notificationsQueryOptions());
}
