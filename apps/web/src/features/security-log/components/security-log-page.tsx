import { useId } from 'react';
import { SECURITY_EVENT_TYPES, describeUserAgent, type SecurityEventType } from '@conduit/contracts';
import { Alert } from '@/components/ui/alert';
import { PageLoader } from '@/components/ui/spinner';
import { errorMessage } from '@/lib/api-client';
import { describeTimeZone, formatDateTime } from '@/lib/format-date';
import { useTimeZone } from '@/lib/time-zone';
import { useSecurityLog } from '../api/get-security-log';
import type { SecurityLogFilters } from '../api/keys';
import { describeEvent, EVENT_TYPE_LABELS } from './describe-event';

export interface TokenOption {
  id: string;
  name: string;
  hint: string;
  /** For a token that no longer works: why (“Revoked by you”, “Expired”…). */
  ended?: string;
}

function optionLabel(t: TokenOption): string {
  const name = t.hint ? `${t.name} (…${t.hint})` : t.name;
  return t.ended ? `${name}: ${t.ended.toLowerCase()}` : name;
}

interface SecurityLogPageProps {
  filters: SecurityLogFilters;
  onFiltersChange: (filters: SecurityLogFilters) => void;
  /** Tokens to filter by: the active ones, then the ended ones (a filtered token missing from both is added). */
  tokens: TokenOption[];
}

/** The account's security log: newest first, filtered by token and type, "Load more" for older events. */
export function SecurityLogPage({ filters, onFiltersChange, tokens }: SecurityLogPageProps) {
  const log = useSecurityLog(filters);
  const timeZone = useTimeZone();
  const tokenSelectId = useId();
  const typeSelectId = useId();
  const events = log.data?.pages.flatMap((p) => p.events) ?? [];

  const active = tokens.filter((t) => !t.ended);
  const ended = tokens.filter((t) => t.ended);
  // A token filtered by the URL that neither list knows (ended long ago, or the lists are loading).
  let other: TokenOption | null = null;
  if (filters.tokenId && !tokens.some((t) => t.id === filters.tokenId)) {
    const seen = events.find((e) => e.tokenId === filters.tokenId);
    other = { id: filters.tokenId, name: seen?.tokenName ?? 'This token', hint: seen?.tokenHint ?? '' };
  }

  return (
    <div className="page">
      <header className="page__header">
        <div>
          <h1 className="page__title">Security log</h1>
          <p className="page__lead">
            Sign-ins, changes to your account and tokens, where your tokens were used from, and when they were refused. Times
            are in {describeTimeZone(timeZone)}.
          </p>
        </div>
      </header>

      <form className="filters" role="search" aria-label="Filter the security log" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor={tokenSelectId}>Token</label>
          <select
            id={tokenSelectId}
            value={filters.tokenId ?? ''}
            onChange={(e) => onFiltersChange({ ...filters, tokenId: e.target.value || undefined })}
          >
            <option value="">All activity</option>
            {other ? <option value={other.id}>{optionLabel(other)}</option> : null}
            {active.length > 0 ? (
              <optgroup label="Active tokens">
                {active.map((t) => (
                  <option key={t.id} value={t.id}>
                    {optionLabel(t)}
                  </option>
                ))}
              </optgroup>
            ) : null}
            {ended.length > 0 ? (
              <optgroup label="Expired and revoked">
                {ended.map((t) => (
                  <option key={t.id} value={t.id}>
                    {optionLabel(t)}
                  </option>
                ))}
              </optgroup>
            ) : null}
          </select>
        </div>
        <div className="field">
          <label htmlFor={typeSelectId}>Event</label>
          <select
            id={typeSelectId}
            value={filters.type ?? ''}
            onChange={(e) => onFiltersChange({ ...filters, type: (e.target.value || undefined) as SecurityEventType | undefined })}
          >
            <option value="">All events</option>
            {SECURITY_EVENT_TYPES.map((type) => (
              <option key={type} value={type}>
                {EVENT_TYPE_LABELS[type]}
              </option>
            ))}
          </select>
        </div>
      </form>

      {log.isPending ? (
        <PageLoader label="Loading the security log…" />
      ) : log.isError && !log.isFetchNextPageError ? (
        <Alert tone="error" title="Could not load the security log">
          {errorMessage(log.error)}
        </Alert>
      ) : events.length === 0 ? (
        <p className="empty-state">No events{filters.tokenId || filters.type ? ' match these filters' : ' yet'}.</p>
      ) : (
        <>
          <table className="security-log">
            <caption className="visually-hidden">Security events, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">What happened</th>
                <th scope="col">From</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.id} data-testid="security-event" data-type={e.type}>
                  <td className="security-log__time">
                    <time dateTime={e.createdAt}>{formatDateTime(e.createdAt, timeZone)}</time>
                  </td>
                  <td>
                    {describeEvent(e)}
                    {e.tokenHint ? <span className="token__hint"> <code>…{e.tokenHint}</code></span> : null}
                  </td>
                  <td className="security-log__from">
                    {e.ip ? <code className="security-log__ip">{e.ip}</code> : '—'}
                    {e.userAgent ? (
                      <details className="security-log__agent">
                        <summary>{describeUserAgent(e.userAgent)}</summary>
                        <code className="security-log__ua">{e.userAgent}</code>
                      </details>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {log.hasNextPage ? (
            <button type="button" className="btn" disabled={log.isFetchingNextPage} onClick={() => void log.fetchNextPage()}>
              {log.isFetchingNextPage ? 'Loading…' : 'Load more'}
            </button>
          ) : null}
          {log.isFetchNextPageError ? <Alert tone="error" title="Could not load more">{errorMessage(log.error)}</Alert> : null}
        </>
      )}
    </div>
  );
}
