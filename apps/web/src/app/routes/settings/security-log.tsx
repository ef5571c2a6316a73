import { useSearchParams } from 'react-router';
import { SECURITY_EVENT_TYPES, type SecurityEventType } from '@conduit/contracts';
import { useApiTokens } from '@/features/api-tokens/api/get-api-tokens';
import { useInactiveApiTokens } from '@/features/api-tokens/api/get-inactive-api-tokens';
import { END_REASON_LABELS } from '@/features/api-tokens/components/inactive-api-tokens';
import type { SecurityLogFilters } from '@/features/security-log/api/keys';
import { SecurityLogPage } from '@/features/security-log/components/security-log-page';
import { useDocumentTitle } from '@/lib/use-document-title';

/** The filters live in the URL (?tokenId=…&type=…), so "Activity" on a token card can link here. */
export function SecurityLogRoute() {
  useDocumentTitle('Security log');
  const [params, setParams] = useSearchParams();
  const tokens = useApiTokens();
  // Ended tokens too: a revoked or expired token is the one most worth investigating.
  const ended = useInactiveApiTokens({ enabled: true });
  const type = params.get('type');
  const filters: SecurityLogFilters = {
    tokenId: params.get('tokenId') || undefined,
    type: type && (SECURITY_EVENT_TYPES as readonly string[]).includes(type) ? (type as SecurityEventType) : undefined,
  };
  return (
    <SecurityLogPage
      filters={filters}
      tokens={[
        ...(tokens.data ?? []).map((t) => ({ id: t.id, name: t.name, hint: t.hint })),
        ...(ended.data ?? []).map((t) => ({
          id: t.id,
          name: t.name,
          hint: t.hint,
          ended: t.endReason ? END_REASON_LABELS[t.endReason] : 'Ended',
        })),
      ]}
      onFiltersChange={(next) => {
        const search = new URLSearchParams();
        if (next.tokenId) search.set('tokenId', next.tokenId);
        if (next.type) search.set('type', next.type);
        setParams(search, { replace: true });
      }}
    />
  );
}
