import { useEffect, useRef, useState } from 'react';
import type { ApiToken, RotateApiTokenResponse } from '@conduit/contracts';
import { Alert } from '@/components/ui/alert';
import { Skeleton } from '@/components/ui/skeleton';
import { errorMessage } from '@/lib/api-client';
import { useTimeZone } from '@/lib/time-zone';
import { useNow } from '@/lib/use-now';
import { useApiTokens } from '../api/get-api-tokens';
import { ApiTokenItem } from './api-token-item';
import { RevokeApiTokenDialog } from './revoke-api-token-dialog';
import { RotateApiTokenDialog } from './rotate-api-token-dialog';

interface ApiTokenListProps {
  /** Opens the creation form; offered by the empty state. Hidden when undefined. */
  onNew?: () => void;
  /** Opens the edit form for a token. Hidden when undefined. */
  onEdit?: (token: ApiToken) => void;
  /** Receives a rotation's new raw token once. Rotate is hidden when undefined. */
  onRotated?: (result: RotateApiTokenResponse, oldName: string) => void;
}

export function ApiTokenList({ onNew, onEdit, onRotated }: ApiTokenListProps) {
  const tokens = useApiTokens();
  const timeZone = useTimeZone();
  const now = useNow();
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const [rotating, setRotating] = useState<ApiToken | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [focusHeading, setFocusHeading] = useState(false);

  useEffect(() => {
    if (focusHeading && !revoking) {
      headingRef.current?.focus();
      setFocusHeading(false);
    }
  }, [focusHeading, revoking]);

  return (
    <section className="token-list" aria-labelledby="token-list-title" aria-busy={tokens.isPending}>
      <h2 id="token-list-title" className="section-title" tabIndex={-1} ref={headingRef}>
        Active tokens
      </h2>
      <div role="status" aria-live="polite" className="live-region">
        {notice ? <p className="inline-notice">{notice}</p> : null}
      </div>
      {tokens.isPending ? (
        <>
          <span className="visually-hidden">Loading tokens…</span>
          <ul className="tokens" aria-hidden="true" data-testid="token-skeleton">
            {[0, 1].map((i) => (
              <li key={i} className="token token--skeleton">
                <div className="token__head">
                  <Skeleton width="14rem" height="1.5rem" />
                </div>
                <div className="token__meta token__meta--skeleton">
                  {[0, 1, 2, 3].map((j) => (
                    <div key={j}>
                      <Skeleton width="4rem" height="0.8rem" />
                      <Skeleton width="7rem" height="1.1rem" />
                    </div>
                  ))}
                </div>
                <div className="token__actions">
                  <Skeleton width="5.5rem" height="2.5rem" />
                </div>
              </li>
            ))}
          </ul>
        </>
      ) : tokens.isError ? (
        <Alert
          tone="error"
          title="Your tokens could not be loaded."
          action={
            <button type="button" className="btn btn--secondary" onClick={() => tokens.refetch()} disabled={tokens.isFetching}>
              {tokens.isFetching ? 'Retrying…' : 'Try again'}
            </button>
          }
        >
          {errorMessage(tokens.error)}
        </Alert>
      ) : tokens.data.length === 0 ? (
        <div className="empty-state">
          <p className="empty-state__title">You have no active API tokens.</p>
          <p>
            API tokens let scripts and services call the Conduit API for you: CI/CD pipelines, cron jobs,
            server-to-server integrations and scripts where refreshing short-lived sessions is impractical. Issue one
            token per integration, give it an expiry, and restrict it to the IPs it runs from.
          </p>
          {onNew ? (
            <button type="button" className="btn btn--primary" onClick={onNew}>
              + New Token
            </button>
          ) : null}
        </div>
      ) : (
        <ul className="tokens">
          {tokens.data.map((token) => (
            <ApiTokenItem
              key={token.id}
              token={token}
              timeZone={timeZone}
              now={now}
              onRevoke={(t) => setRevoking(t)}
              onEdit={onEdit}
              onRotate={onRotated ? (t) => setRotating(t) : undefined}
            />
          ))}
        </ul>
      )}
      {rotating && onRotated ? (
        <RotateApiTokenDialog
          token={rotating}
          onClose={() => setRotating(null)}
          onRotated={(result, oldName) => {
            setRotating(null);
            onRotated(result, oldName);
          }}
        />
      ) : null}
      {revoking ? (
        <RevokeApiTokenDialog
          token={revoking}
          onClose={() => setRevoking(null)}
          onRevoked={(t) => {
            setNotice(`Token “${t.name}” revoked.`);
            setRevoking(null);
            setFocusHeading(true);
          }}
        />
      ) : null}
    </section>
  );
}
