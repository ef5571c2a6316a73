import { AccountPage } from '@/features/account/components/account-page';
import { useDocumentTitle } from '@/lib/use-document-title';

export function AccountSettingsRoute() {
  useDocumentTitle('Account settings');
  return <AccountPage />;
}
