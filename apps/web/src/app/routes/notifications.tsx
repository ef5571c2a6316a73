import { NotificationsPage } from '@/features/notifications/components/notifications-page';
import { useDocumentTitle } from '@/lib/use-document-title';

export function NotificationsRoute() {
  useDocumentTitle('Notifications');
  return <NotificationsPage />;
}
