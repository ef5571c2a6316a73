import { decodePermissions, inactiveSince, tokenState, type ApiToken } from '@conduit/contracts';
import type { ApiTokenEntity } from './api-token.entity';

/** The public view of a token at `now`: never the raw value or its hash. */
export function toApiToken(t: ApiTokenEntity, now: Date): ApiToken {
  const ended = inactiveSince(t, now);
  return {
    id: t.id,
    name: t.name,
    hint: t.hint,
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt ? t.expiresAt.toISOString() : null,
    allowedIps: [...t.allowedIps],
    lastUsedAt: t.lastUsedAt ? t.lastUsedAt.toISOString() : null,
    lastUsedIp: t.lastUsedIp,
    recentIps: (t.recentIps ?? []).map((r) => ({ ip: r.ip, lastSeenAt: new Date(r.lastSeenAt).toISOString() })),
    permissions: decodePermissions(t.permissions),
    state: tokenState(t, now),
    retiresAt: t.retiresAt ? t.retiresAt.toISOString() : null,
    endedAt: ended ? ended.at.toISOString() : null,
    endReason: ended ? ended.reason : null,
  };
}
