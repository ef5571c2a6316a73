/**
 * In-app notifications (`GET /api/user/notifications`). Kinds are stable identifiers a client may
 * branch on; the message is a sentence for people, already complete.
 */
export const NOTIFICATION_KINDS = [
  /** An API token expires in 7 days or in 1 day. */
  'token_expiring',
  /** An API token has expired. */
  'token_expired',
  /** An API token will be revoked for inactivity in 7 days (TOKEN_INACTIVITY_REVOKE). */
  'token_inactive',
  /**
   * An API token was revoked for inactivity or after a leak report; or revoked by its owner or
   * itself and took the tokens it had rotated itself into with it (the message names them).
   */
  'token_revoked',
  /**
   * An API token was used from addresses not among its last 5: one per token and clock hour, which
   * each later new address of that hour rewrites (listing them all, unread again, `createdAt` then).
   */
  'token_new_ip',
  /** An API token was refused from an address its allowlist does not include (at most hourly per token). */
  'token_refused_ip',
  /** A revoked or rotated-away API token was presented again (at most hourly per token). */
  'token_reused',
  /** An API token rotated itself (with its own secret): which one, from where, the new hint and expiry. */
  'token_self_rotated',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface Notification {
  id: string;
  kind: NotificationKind;
  createdAt: string;
  /** When it was marked read; null while unread. */
  readAt: string | null;
  /** The API token it is about; null when it is not about a token. */
  tokenId: string | null;
  message: string;
}

/** The newest notifications first (at most NOTIFICATIONS_PAGE_SIZE), and how many are unread in all. */
export interface NotificationListResponse {
  notifications: Notification[];
  unreadCount: number;
}

export const NOTIFICATIONS_PAGE_SIZE = 50;
export const MARK_READ_MAX_IDS = 100;

/** `POST /api/user/notifications/read`: some by id (unknown or others' ids are ignored), or all. */
export type MarkNotificationsReadRequest = { ids: string[]; all?: never } | { all: true; ids?: never };
