import { ApiTokensPage } from '@/features/api-tokens/components/api-tokens-page';
import { useDocumentTitle } from '@/lib/use-document-title';

export function ApiTokensRoute() {
  useDocumentTitle('API tokens');
  return <ApiTokensPage />;
}
