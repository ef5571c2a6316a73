import { HttpStatus } from '@nestjs/common';
import {
  hasPermission, Permission, REAUTHENTICATION_ERROR_KEY, REAUTHENTICATION_REQUIRED_MESSAGE, RecentPassword, recentPasswordOfRoute, RouteAccess,
} from '@conduit/contracts';
import { ApiError, forbidden } from '../common/http/errors';
import { SESSION_ONLY_MESSAGE } from './current-principal';
import type { Principal } from './principal';

/** Why authorization refused a request (always a 403). */
export type Refusal =
  /** A token without the permission the route needs. */
  | { reason: 'insufficient_permission'; permission: Permission }
  /** A token on a session-only route, or sending a field only a session may send. */
  | { reason: 'session_only' }
  /** A token acting on another token than itself. */
  | { reason: 'not_self' }
  /** A session on a route about the request's own API token. */
  | { reason: 'token_only' }
  /** A session whose password was not proved within REAUTH_WINDOW, on a sensitive action. */
  | { reason: 'reauthentication' };

/** What authorization reads of the request besides the principal. */
export interface AuthorizationInput {
  params?: unknown;
  body?: unknown;
  /** Epoch ms: a password proved at or after this is recent (now − REAUTH_WINDOW). Absent: none is. */
  recentSince?: number;
}

/**
 * Decides whether `principal` may use a route declared `routeAccess`: null when it may, else why
 * not. Pure and synchronous: no database work, nothing measurable (a lookup in the token's
 * permissions, which authentication already returned). Sessions have every permission.
 */
export function authorize(routeAccess: RouteAccess, principal: Principal | undefined, request: AuthorizationInput): Refusal | null {
  return authorizeKind(routeAccess, principal, request) ?? checkRecentPassword(recentPasswordOfRoute(routeAccess), principal, request);
}

/**
 * A sensitive action needs a session whose password is recent; a token cannot prove one
 * (reauthenticatedAt comes with the session check's one query: nothing more per request).
 */
function checkRecentPassword(rule: RecentPassword | undefined, principal: Principal | undefined, request: AuthorizationInput): Refusal | null {
  if (!rule || !principal) return null;
  if (rule.orField && valueAt(request.body, rule.orField) !== undefined) return null; // the handler checks that password
  const sensitive =
    !rule.fields ||
    rule.fields.some((field) => {
      const value = valueAt(request.body, field.path);
      return value !== undefined && !(field.unlessEqualTo && value === principal.user[field.unlessEqualTo]);
    });
  if (!sensitive) return null;
  if (principal.kind !== 'session') return { reason: 'session_only' };
  const at = principal.reauthenticatedAt;
  return at !== null && request.recentSince !== undefined && at >= request.recentSince ? null : { reason: 'reauthentication' };
}

function authorizeKind(routeAccess: RouteAccess, principal: Principal | undefined, request: AuthorizationInput): Refusal | null {
  switch (routeAccess.kind) {
    case 'public':
      return null;
    case 'optional':
    case 'permission': {
      if (!principal) return null; // authentication already refused anonymous callers where they are not served
      if (principal.kind === 'session') return null;
      if (routeAccess.permission && !hasPermission(principal.token.permissions, routeAccess.permission)) {
        return { reason: 'insufficient_permission', permission: routeAccess.permission };
      }
      if (routeAccess.kind === 'permission' && routeAccess.sessionOnlyFields?.some((path) => valueAt(request.body, path) !== undefined)) {
        return { reason: 'session_only' };
      }
      return null;
    }
    case 'self': {
      if (!principal) return null;
      if (principal.kind === 'session') return routeAccess.param ? null : { reason: 'token_only' };
      if (!routeAccess.param) return null;
      return valueAt(request.params, routeAccess.param) === principal.token.id ? null : { reason: 'not_self' };
    }
    case 'session-only':
      return principal?.kind === 'api-token' ? { reason: 'session_only' } : null;
  }
}

/** A dotted path into a parsed JSON body (or the route parameters); undefined when absent. */
function valueAt(root: unknown, path: string): unknown {
  let value = root;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

const CHALLENGE = 'Bearer realm="conduit"';

/** The response of a refusal: 403 in the error format; RFC 6750 §3.1 `insufficient_scope` for a missing permission. */
export function refusalError(refusal: Refusal): ApiError {
  switch (refusal.reason) {
    case 'insufficient_permission':
      return new ApiError(
        HttpStatus.FORBIDDEN,
        { token: [`lacks the ${refusal.permission} permission`] },
        { headers: { 'WWW-Authenticate': `${CHALLENGE}, error="insufficient_scope", scope="${refusal.permission}"` } },
      );
    case 'session_only':
      return forbidden('token', SESSION_ONLY_MESSAGE);
    case 'not_self':
      return forbidden('apiToken', 'an API token can act only on itself; sign in to manage other tokens');
    case 'token_only':
      return forbidden('apiToken', 'is about the API token of the request; call this endpoint with an API token');
    case 'reauthentication':
      return new ApiError(HttpStatus.FORBIDDEN, { [REAUTHENTICATION_ERROR_KEY]: [REAUTHENTICATION_REQUIRED_MESSAGE] });
  }
}
