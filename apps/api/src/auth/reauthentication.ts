import { applyDecorators, HttpStatus, SetMetadata } from '@nestjs/common';
import { ApiForbiddenResponse } from '@nestjs/swagger';
import { REAUTHENTICATION_ERROR_KEY, REAUTHENTICATION_REQUIRED_MESSAGE } from '@conduit/contracts';
import { ApiError, forbidden } from '../common/http/errors';
import { SESSION_ONLY, SESSION_ONLY_MESSAGE } from './decorators/auth.decorators';
import type { Principal } from './principal';

export const REQUIRES_RECENT_PASSWORD = 'conduit:requiresRecentPassword';

/**
 * Sensitive actions (changing the email or password, deleting the account, creating an API
 * token, changing a token's allowlist or permissions) need a session whose password was proved
 * within REAUTH_WINDOW: by signing up or in with it, or with `POST /api/user/reauthenticate`.
 * A copied access token alone is not enough. API tokens are refused as on any session-only route.
 */
export function requireRecentPassword(principal: Principal, now: Date, windowSeconds: number): void {
  if (principal.kind !== 'session') throw forbidden('token', SESSION_ONLY_MESSAGE);
  const at = principal.reauthenticatedAt;
  if (at === null || now.getTime() - at > windowSeconds * 1000) throw reauthenticationRequired();
}

export const reauthenticationRequired = () =>
  new ApiError(HttpStatus.FORBIDDEN, { [REAUTHENTICATION_ERROR_KEY]: [REAUTHENTICATION_REQUIRED_MESSAGE] });

/**
 * On a route: only a session with a recent password may call it (checked by the global auth
 * guard, after authentication; implies session-only).
 */
export const RequiresRecentPassword = () =>
  applyDecorators(
    SetMetadata(SESSION_ONLY, true),
    SetMetadata(REQUIRES_RECENT_PASSWORD, true),
    ApiForbiddenResponse({
      description:
        'An API token (session only), or the session has not proved its password within REAUTH_WINDOW: ' +
        '`{"errors": {"reauthentication": ["is required: confirm your password"]}}`; confirm it with ' +
        '`POST /api/user/reauthenticate` and retry.',
    }),
  );
