import type { Notification } from '@conduit/contracts';
import type { NotificationEntity } from './notification.entity';

export function toNotification(n: NotificationEntity): Notification {
  return {
    id: n.id,
    kind: n.kind,
    createdAt: n.createdAt.toISOString(),
    readAt: n.readAt ? n.readAt.toISOString() : null,
    tokenId: n.tokenId,
    message: n.message,
  };
}
