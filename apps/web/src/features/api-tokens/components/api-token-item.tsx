import { Link } from 'react-router';
import { formatPermissions, STALE_TOKEN_DAYS, tokenState, type ApiToken } from '@conduit/contracts';
import { Badge } from '@/components/ui/badge';
import { Tooltip } from '@/components/ui/tooltip';
import { describeTimeZone, formatDate, formatDateTime, formatRelative } from '@/lib/format-date';
import { isExpiringSoon, isStale } from './token-status';

/** “CI (…W83Y)”: a token's name with the end of its value, as dialogs and buttons name it. */
export function tokenLabel(token: Pick<ApiToken, 'name' | 'hint'>): string {
  return `${token.name} (…${token.hint})`;
}

/** The id of a card's Edit button: focus goes back there when its edit form closes. */
export function editButtonId(tokenId: string): string {
  return `token-${tokenId}-edit`;
}

interface ApiTokenItemProps {
  token: ApiToken;
  timeZone: string;
  now: Date;
  onRevoke: (token: ApiToken, trigger: HTMLButtonElement) => void;
  onEdit?: (token: ApiToken) => void;
  onRotate?: (token: ApiToken) => void;
}

function ZonedDate({ iso, timeZone }: { iso: string; timeZone: string }) {
  return (
    <time dateTime={iso} title={`${formatDateTime(iso, timeZone)} · ${describeTimeZone(timeZone, iso)}`}>
      {formatDate(iso, timeZone)}
    </time>
  );
}

export function ApiTokenItem({ token, timeZone, now, onRevoke, onEdit, onRotate }: ApiTokenItemProps) {
  // The shared state function, at this page's clock: a retiring token turns retired while shown.
  const state = tokenState(token, now);
  const retiring = state === 'retiring' && token.retiresAt !== null;
  const stale = isStale(token, now);
  const expiringSoon = isExpiringSoon(token, now);
  const headingId = `token-${token.id}-name`;
  // Rotations keep the name: the hint tells two tokens of the same name apart, for the eye and for screen readers.
  const label = tokenLabel(token);
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
        {stale || expiringSoon || state !== 'active' ? (
          <span className="token__badges">
            {retiring ? (
              <Badge tone="warning" title={`Replaced by a rotation; the old value works until ${formatDateTime(token.retiresAt as string, timeZone)}`}>
                Retiring
              </Badge>
            ) : null}
            {state === 'retired' ? <Badge tone="danger">Rotated</Badge> : null}
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
      <dl className="token__facts">
        <div>
          <dt>Created</dt>
          <dd>
            <ZonedDate iso={token.createdAt} timeZone={timeZone} />
          </dd>
        </div>
        {retiring ? (
          <div>
            <dt>Works until</dt>
            <dd>
              <Tooltip dateTime={token.retiresAt as string} content={`${formatDateTime(token.retiresAt as string, timeZone)} ${describeTimeZone(timeZone, token.retiresAt as string)}`}>
                {formatDateTime(token.retiresAt as string, timeZone)}
              </Tooltip>
            </dd>
          </div>
        ) : null}
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
      </dl>
      <dl className="token__details">
        <div className="token__detail">
          <dt>Permissions</dt>
          <dd>{formatPermissions(token.permissions)}</dd>
        </div>
        <div className="token__detail">
          <dt>Allowed IPs</dt>
          <dd>
            {token.allowedIps.length === 0 ? (
              'Any IP'
            ) : (
              <ul className="token__ips" aria-label={`Allowed IPs of ${token.name}`}>
                {token.allowedIps.map((cidr) => (
                  <li key={cidr} className="token__ip">
                    <code>{cidr}</code>
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
        <div className="token__detail">
          <dt>Recent addresses</dt>
          <dd>
            {token.recentIps.length === 0 ? (
              'None yet'
            ) : (
              <ul className="token__ips" aria-label={`Recent addresses of ${token.name}`}>
                {token.recentIps.map((r) => (
                  <li key={r.ip} className="token__ip">
                    <code>{r.ip}</code>{' '}
                    <time dateTime={r.lastSeenAt} title={`${formatDateTime(r.lastSeenAt, timeZone)} ${describeTimeZone(timeZone, r.lastSeenAt)}`}>
                      {formatRelative(r.lastSeenAt, now)}
                    </time>
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </div>
      </dl>
      <div className="token__actions">
        <Link className="btn btn--secondary" to={`/app/settings/security-log?tokenId=${encodeURIComponent(token.id)}`} aria-label={`Activity of ${label}`}>
          Activity
        </Link>
        {onEdit ? (
          <button
            type="button"
            id={editButtonId(token.id)}
            className="btn btn--secondary"
            aria-label={`Edit ${label}`}
            onClick={() => onEdit(token)}
          >
            Edit
          </button>
        ) : null}
        {onRotate && state === 'active' ? (
          <button type="button" className="btn btn--secondary" aria-label={`Rotate ${label}`} onClick={() => onRotate(token)}>
            Rotate
          </button>
        ) : null}
        <button
          type="button"
          className="btn btn--danger-outline"
          aria-label={`Revoke ${label}`}
          onClick={(event) => onRevoke(token, event.currentTarget)}
        >
          Revoke
        </button>
      </div>
    </li>
  );
}
