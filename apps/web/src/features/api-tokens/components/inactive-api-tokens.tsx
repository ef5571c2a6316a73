import { useState } from 'react';
import { Link } from 'react-router';
import { INACTIVE_TOKEN_DAYS, type ApiTokenInactiveReason } from '@conduit/contracts';
import { Alert } from '@/components/ui/alert';
import { errorMessage } from '@/lib/api-client';
import { describeTimeZone, formatDateTime } from '@/lib/format-date';
import { useTimeZone } from '@/lib/time-zone';
import { useInactiveApiTokens } from '../api/get-inactive-api-tokens';

/** The security log filtered to one token (active or ended): its “Activity”. */
export function securityLogOf(tokenId: string): string {
  return `/app/settings/security-log?tokenId=${encodeURIComponent(tokenId)}`;
}

export const END_REASON_LABELS: Record<ApiTokenInactiveReason, string> = {
  expired: 'Expired',
  session: 'Revoked by you',
  token: 'Revoked by the token itself',
  rotation: 'Rotated',
  inactivity: 'Revoked for inactivity',
  leak_report: 'Reported as leaked',
};

/** Below the active list, collapsed: the tokens that ended in the last 90 days, loaded when opened. */
export function InactiveApiTokens() {
  const [open, setOpen] = useState(false);
  const tokens = useInactiveApiTokens({ enabled: open });
  const timeZone = useTimeZone();

  return (
    <details className="inactive-tokens" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary className="section-title">Expired and revoked</summary>
      <p className="field__hint">Tokens that stopped working in the last {INACTIVE_TOKEN_DAYS} days.</p>
      {!open ? null : tokens.isPending ? (
        <p role="status">Loading…</p>
      ) : tokens.isError ? (
        <Alert tone="error" title="These tokens could not be loaded.">
          {errorMessage(tokens.error)}
        </Alert>
      ) : tokens.data.length === 0 ? (
        <p>None in the last {INACTIVE_TOKEN_DAYS} days.</p>
      ) : (
        <table className="inactive-tokens__table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Token</th>
              <th scope="col">When</th>
              <th scope="col">Why</th>
              <th scope="col">
                <span className="visually-hidden">Activity</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.data.map((t) => (
              <tr key={t.id}>
                <th scope="row">{t.name}</th>
                <td>
                  <span className="visually-hidden">ending in </span>
                  <code>…{t.hint}</code>
                </td>
                <td>
                  {t.endedAt ? (
                    <time dateTime={t.endedAt} title={describeTimeZone(timeZone, t.endedAt)}>
                      {formatDateTime(t.endedAt, timeZone)}
                    </time>
                  ) : null}
                </td>
                <td>{t.endReason ? END_REASON_LABELS[t.endReason] : null}</td>
                <td>
                  <Link to={securityLogOf(t.id)} aria-label={`Activity of ${t.name} (…${t.hint})`}>
                    Activity
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </details>
  );
}
