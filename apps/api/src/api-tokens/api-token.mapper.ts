import type { ApiToken } from '@conduit/contracts';
import type { ApiTokenRow } from '../auth/principal';

/** The public view of a token: never the raw value or its hash. */
export function toApiToken(t: ApiTokenRow): ApiToken {
  return {
    id: t.id,
    name: t.name,
    hint: t.hint,
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt ? t.expiresAt.toISOString() : null,
    allowedIps: [...t.allowedIps],
    lastUsedAt: t.lastUsedAt ? t.lastUsedAt.toISOString() : null,
    lastUsedIp: t.lastUsedIp,
  };
}
