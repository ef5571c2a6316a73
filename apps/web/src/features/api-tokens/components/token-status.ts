import { EXPIRING_SOON_DAYS, STALE_TOKEN_DAYS, type ApiToken } from '@conduit/contracts';

const DAY = 86_400_000;

/** Unused for STALE_TOKEN_DAYS or more (or never used and that old): a candidate for revocation. */
export function isStale(token: ApiToken, now: Date): boolean {
  const since = token.lastUsedAt ?? token.createdAt;
  return now.getTime() - new Date(since).getTime() >= STALE_TOKEN_DAYS * DAY;
}

/** Expires within EXPIRING_SOON_DAYS. */
export function isExpiringSoon(token: ApiToken, now: Date): boolean {
  if (!token.expiresAt) return false;
  const left = new Date(token.expiresAt).getTime() - now.getTime();
  return left <= EXPIRING_SOON_DAYS * DAY;
}
