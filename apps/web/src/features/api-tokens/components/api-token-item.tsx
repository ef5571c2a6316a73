import { Link } from 'react-router';
import { formatPermissions, STALE_TOKEN_DAYS, type ApiToken } from '@conduit/contracts';
import { Badge } from '@/components/ui/badge';
import { Tooltip } from '@/components/ui/tooltip';
import { describeTimeZone, formatDate, formatDateTime, formatRelative } from '@/lib/format-date';
import { isExpiringSoon, isStale } from './token-status';

interface ApiTokenItemProps {
  token: ApiToken;
  timeZone: string;
  now: Date;
  onRevoke: (token: ApiToken, trigger: HTMLButtonElement) => void;
}

function ZonedDate({ iso, timeZone }: { iso: string; timeZone: string }) {
  return (
    <time dateTime={iso} title={`${formatDateTime(iso, timeZone)} · ${describeTimeZone(timeZone, iso)}`}>
      {formatDate(iso, timeZone)}
    </time>
  );
}

export function ApiTokenItem({ token, timeZone, now, onRevoke }: ApiTokenItemProps) {
  const stale = isStale(token, now);
  const expiringSoon = isExpiringSoon(token, now);
  const headingId = `token-${token.id}-name`;
  const lastUsedDetail = token.lastUsedAt
    ? `${formatDateTime(token.lastUsedAt, timeZone)} ${describeTimeZone(timeZone, token.lastUsedAt)}${
        token.lastUsedIp ? ` from ${token.lastUsedIp}` : ''
      }`
    : '';

  return (
    <li className="token" aria-labelledby={headingId} data-testid="api-token">
      <div className="token__head">
        <h3 className="token__name" id={headingId}>
          {token.name}
        </h3>
        <span className="token__hint">
          <span className="visually-hidden">ending in </span>
          <code>…{token.hint}</code>
        </span>
        {stale || expiringSoon ? (
          <span className="token__badges">
            {expiringSoon ? <Badge tone="warning">Expires soon</Badge> : null}
            {stale ? (
              <Badge
                tone="danger"
                title={
                  token.lastUsedAt
                    ? `Not used for ${STALE_TOKEN_DAYS} days or more`
                    : `Never used in ${STALE_TOKEN_DAYS} days or more`
                }
              >
                Candidate for revocation
              </Badge>
            ) : null}
          </span>
        ) : null}
      </div>
      <dl className="token__meta">
        <div>
          <dt>Created</dt>
          <dd>
            <ZonedDate iso={token.createdAt} timeZone={timeZone} />
          </dd>
        </div>
        <div>
          <dt>Expires</dt>
          <dd>{token.expiresAt ? <ZonedDate iso={token.expiresAt} timeZone={timeZone} /> : 'Never expires'}</dd>
        </div>
        <div>
          <dt>Last used</dt>
          <dd>
            {token.lastUsedAt ? (
              <Tooltip dateTime={token.lastUsedAt} content={lastUsedDetail}>
                {formatRelative(token.lastUsedAt, now)}
              </Tooltip>
            ) : (
              'Never used'
            )}
          </dd>
        </div>
        <div>
          <dt>Recent addresses</dt>
          <dd>
            {token.recentIps.length === 0 ? (
              'None yet'
            ) : (
              <ul className="token__ips" aria-label={`Recent addresses of ${token.name}`}>
                {token.recentIps.map((r) => (
                  <li key={r.ip}>
                    <code>{r.ip}</code>{' '}
                    <time dateTime={r.lastSeenAt} title={`${formatDateTime(r.lastSeenAt, timeZone)} ${describeTimeZone(timeZone, r.lastSeenAt)}`}>
                      {formatRelative(r.lastSeenAt, now)}
                    </time>
                  </li>
                ))}
              </ul>
            )}
          </dd>
          <dt>Permissions</dt>
          <dd>{formatPermissions(token.permissions)}</dd>
        </div>
        <div>
          <dt>Allowed IPs</dt>
          <dd>
            {token.allowedIps.length === 0 ? (
              'Any IP'
            ) : (
              <ul className="token__ips">
                {token.allowedIps.map((cidr) => (
                  <li key={cidr}>
                    <code>{cidr}</code>
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
      </dl>
      <div className="token__actions">
        <Link className="btn" to={`/app/settings/security-log?tokenId=${encodeURIComponent(token.id)}`} aria-label={`Activity of ${token.name}`}>
          Activity
        </Link>
        <button
          type="button"
          className="btn btn--danger-outline"
          aria-label={`Revoke ${token.name}`}
          onClick={(event) => onRevoke(token, event.currentTarget)}
        >
          Revoke
        </button>
      </div>
    </li>
  );
}
