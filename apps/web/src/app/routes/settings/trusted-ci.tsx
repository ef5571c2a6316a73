import { TrustedCiPage } from '@/features/trust-policies/components/trusted-ci-page';
import { useDocumentTitle } from '@/lib/use-document-title';

export function TrustedCiRoute() {
  useDocumentTitle('Trusted CI');
  return <TrustedCiPage />;
}
