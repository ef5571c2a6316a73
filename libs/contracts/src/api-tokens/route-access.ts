import type { Permission } from './permissions.js';

/**
 * What a route needs, declared once per route (the API's @Access decorator) and listed here for
 * the docs, the web app and the tests:
 * - `public`: no authentication at all; credentials are not even read.
 * - `optional`: anonymous callers are served; credentials that are sent must be valid, and a
 *   token needs `permission` (when there is one) or is refused: it is not silently treated as
 *   anonymous (drop the header to read anonymously).
 * - `permission`: a session, or a token with `permission`. `sessionOnlyFields` name body fields
 *   that only a session may send (e.g. email and password).
 * - `self`: a session, or any token acting on itself whatever its permissions: a token may act
 *   only on the token whose id is in the path parameter `param` (or, without `param`, on the
 *   token of the request, which a session does not have).
 * - `session-only`: a session; every token is refused (creating tokens, deleting the account).
 */
export type RouteAccess =
  | { kind: 'public' }
  | { kind: 'optional'; permission: Permission | null }
  | { kind: 'permission'; permission: Permission; sessionOnlyFields?: readonly string[] }
  | { kind: 'self'; param?: string }
  | { kind: 'session-only' };

export type RouteAccessKind = RouteAccess['kind'];

/** Builders for declarations, shared by the API's decorator and the table below. */
export const access = {
  public: (): RouteAccess => ({ kind: 'public' }),
  optional: (permission: Permission | null): RouteAccess => ({ kind: 'optional', permission }),
  permission: (permission: Permission, options: { sessionOnlyFields?: readonly string[] } = {}): RouteAccess =>
    options.sessionOnlyFields ? { kind: 'permission', permission, sessionOnlyFields: options.sessionOnlyFields } : { kind: 'permission', permission },
  self: (param?: string): RouteAccess => (param ? { kind: 'self', param } : { kind: 'self' }),
  sessionOnly: (): RouteAccess => ({ kind: 'session-only' }),
} as const;

/** The permission a token needs on a route, if any. */
export function requiredPermission(routeAccess: RouteAccess): Permission | null {
  return routeAccess.kind === 'optional' || routeAccess.kind === 'permission' ? routeAccess.permission : null;
}

/**
 * Every route of the API: `METHOD /path` (path parameters as `:name`) → what it needs. The API
 * holds its registered routes against this table in a test, so it cannot drift.
 */
export const API_ROUTE_ACCESS = {
  'GET /api/health': access.public(),
  'GET /api/ip': access.public(),
  'GET /api/tags': access.public(),
  'POST /api/users': access.public(),
  'POST /api/users/login': access.public(),
  // Leak reports: whoever found a token, without an account.
  'POST /api/credentials/revoke': access.public(),
  // Where the account was used from: for the person, not for scripts.
  'GET /api/user/security-log': access.sessionOnly(),
  'POST /api/users/refresh': access.public(),
  'POST /api/users/logout': access.optional(null),

  'GET /api/user': access.permission('account:read'),
  'PUT /api/user': access.permission('account:write', { sessionOnlyFields: ['user.email', 'user.password'] }),
  'DELETE /api/user': access.sessionOnly(),

  'POST /api/user/api-tokens': access.sessionOnly(),
  'GET /api/user/api-tokens': access.permission('account:read'),
  'GET /api/user/api-tokens/current': access.self(),
  'POST /api/user/api-tokens/current/rotate': access.self(),
  'PATCH /api/user/api-tokens/:id': access.sessionOnly(),
  'POST /api/user/api-tokens/:id/rotate': access.sessionOnly(),
  'DELETE /api/user/api-tokens/:id': access.self('id'),

  'GET /api/token-policy': access.permission('account:read'),

  'GET /api/user/notifications': access.permission('account:read'),
  'POST /api/user/notifications/read': access.permission('account:write'),

  'GET /api/profiles/:username': access.optional('social:read'),
  'POST /api/profiles/:username/follow': access.permission('social:write'),
  'DELETE /api/profiles/:username/follow': access.permission('social:write'),

  'GET /api/articles': access.optional('articles:read'),
  'GET /api/articles/feed': access.permission('articles:read'),
  'POST /api/articles': access.permission('articles:write'),
  'GET /api/articles/:slug': access.optional('articles:read'),
  'PUT /api/articles/:slug': access.permission('articles:write'),
  'DELETE /api/articles/:slug': access.permission('articles:write'),

  'POST /api/articles/:slug/favorite': access.permission('social:write'),
  'DELETE /api/articles/:slug/favorite': access.permission('social:write'),

  'GET /api/articles/:slug/comments': access.optional('comments:read'),
  'POST /api/articles/:slug/comments': access.permission('comments:write'),
  'DELETE /api/articles/:slug/comments/:id': access.permission('comments:write'),
} as const satisfies Record<string, RouteAccess>;

export type ApiRoute = keyof typeof API_ROUTE_ACCESS;

/** One sentence for people (OpenAPI descriptions, docs) saying what a route needs. */
export function describeRouteAccess(routeAccess: RouteAccess): string {
  switch (routeAccess.kind) {
    case 'public':
      return 'Access: public (no authentication).';
    case 'optional':
      return routeAccess.permission
        ? `Access: anonymous callers are served; a session may; an API token needs the \`${routeAccess.permission}\` permission (else 403 insufficient_scope).`
        : 'Access: anonymous callers are served; any session or API token may.';
    case 'permission': {
      const fields = routeAccess.sessionOnlyFields?.length
        ? ` Sending ${routeAccess.sessionOnlyFields.map((f) => `\`${f}\``).join(' or ')} needs a session (403 for any API token).`
        : '';
      return `Access: a session, or an API token with the \`${routeAccess.permission}\` permission (else 403 insufficient_scope).${fields}`;
    }
    case 'self':
      return routeAccess.param
        ? `Access: a session (any token of its user), or any API token on itself (\`${routeAccess.param}\` = its own id) whatever its permissions.`
        : 'Access: any API token, whatever its permissions, about itself (403 for a session).';
    case 'session-only':
      return 'Access: a session only; every API token is refused with 403.';
  }
}
