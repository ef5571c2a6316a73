import { Link } from 'react-router';
import type { Notification } from '@conduit/contracts';
import { Alert } from '@/components/ui/alert';
import { PageLoader } from '@/components/ui/spinner';
import { errorMessage } from '@/lib/api-client';
import { formatDateTime } from '@/lib/format-date';
import { useTimeZone } from '@/lib/time-zone';
import { useNotifications } from '../api/get-notifications';
import { useMarkNotificationsRead } from '../api/mark-notifications-read';
import { securityLogOf } from '@/features/api-tokens/components/inactive-api-tokens';

const KIND_LABELS: Record<Notification['kind'], string> = {
  token_expiring: 'Token expiring',
  token_expired: 'Token expired',
  token_inactive: 'Unused token',
  token_revoked: 'Token revoked',
  token_new_ip: 'Token used from a new address',
  token_refused_ip: 'Token refused from an address',
  token_reused: 'Ended token presented again',
  token_self_rotated: 'Token rotated itself',
};

/** Kinds about a token that still works: rotating or revoking it is the next step. */
const STILL_ACTIVE = new Set<Notification['kind']>(['token_expiring', 'token_inactive', 'token_new_ip', 'token_self_rotated']);

/** The notification list behind the user menu's count: newest first, mark one or all read. */
export function NotificationsPage() {
  const notifications = useNotifications();
  const markRead = useMarkNotificationsRead();
  const timeZone = useTimeZone();

  if (notifications.isPending) return <PageLoader label="Loading notifications…" />;
  if (notifications.isError) {
    return (
      <div className="page">
        <Alert tone="error" title="Could not load your notifications.">
          {errorMessage(notifications.error)}
        </Alert>
      </div>
    );
  }
  const { notifications: list, unreadCount } = notifications.data;

  return (
    <div className="page">
      <header className="page__header">
        <div>
          <h1 className="page__title">Notifications</h1>
          <p className="page__lead">{unreadCount === 0 ? 'Nothing unread.' : `${unreadCount} unread.`}</p>
        </div>
        {unreadCount > 0 ? (
          <button type="button" className="btn btn--secondary" disabled={markRead.isPending} onClick={() => markRead.mutate({ all: true })}>
            Mark all read
          </button>
        ) : null}
      </header>
      {markRead.isError ? (
        <Alert tone="error" title="Could not mark them read.">
          {errorMessage(markRead.error)}
        </Alert>
      ) : null}
      {list.length === 0 ? (
        <p className="empty">No notifications yet. Reminders about expiring API tokens will appear here.</p>
      ) : (
        <ul className="notification-list" aria-label="Notifications">
          {list.map((n) => (
            <li key={n.id} className={n.readAt ? 'notification' : 'notification notification--unread'} aria-label={`${KIND_LABELS[n.kind]}${n.readAt ? '' : ' (unread)'}`}>
              <div className="notification__head">
                <strong>{KIND_LABELS[n.kind]}</strong>{' '}
                <time dateTime={n.createdAt}>{formatDateTime(n.createdAt, timeZone)}</time>
                {n.readAt ? null : <span className="notification__dot"> · Unread</span>}
              </div>
              <p className="notification__message">{n.message}</p>
              <div className="notification__actions">
                {n.tokenId ? (
                  <Link to={securityLogOf(n.tokenId)} aria-label={`Token activity: ${n.message}`}>
                    Token activity
                  </Link>
                ) : null}
                {n.tokenId && STILL_ACTIVE.has(n.kind) ? <Link to="/app/settings/api-tokens">Manage API tokens</Link> : null}
                {n.readAt ? null : (
                  <button
                    type="button"
                    className="btn btn--secondary btn--small"
                    disabled={markRead.isPending}
                    onClick={() => markRead.mutate({ ids: [n.id] })}
                    aria-label={`Mark read: ${n.message}`}
                  >
                    Mark read
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
