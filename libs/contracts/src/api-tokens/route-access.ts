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
 *
 * `recentPassword` (on `permission`, `self` and `session-only`) adds that the action needs a
 * session whose password was proved within REAUTH_WINDOW (a sign-up, a sign-in or
 * `POST /api/user/reauthenticate`); API tokens cannot prove one and are refused.
 */
export type RouteAccess =
  | { kind: 'public' }
  | { kind: 'optional'; permission: Permission | null }
  | { kind: 'permission'; permission: Permission; sessionOnlyFields?: readonly string[]; recentPassword?: RecentPassword }
  | { kind: 'self'; param?: string; recentPassword?: RecentPassword }
  | { kind: 'session-only'; recentPassword?: RecentPassword };

/** A body field whose change is sensitive: sent, and (with `unlessEqualTo`) different from the user's current value. */
export interface SensitiveField {
  path: string;
  unlessEqualTo?: 'email' | 'username';
}

/**
 * When a route needs a recent password: always (no `fields`), or when the body changes one of
 * `fields`. `orField` names a body field carrying the password itself, which the handler checks
 * instead (a wrong one is a 422 naming it).
 */
export interface RecentPassword {
  fields?: readonly SensitiveField[];
  orField?: string;
}

export interface RecentPasswordOption {
  recentPassword?: RecentPassword;
}

export type RouteAccessKind = RouteAccess['kind'];

/** Builders for declarations, shared by the API's decorator and the table below. */
export const access = {
  public: (): RouteAccess => ({ kind: 'public' }),
  optional: (permission: Permission | null): RouteAccess => ({ kind: 'optional', permission }),
  permission: (permission: Permission, options: { sessionOnlyFields?: readonly string[] } & RecentPasswordOption = {}): RouteAccess => ({
    kind: 'permission',
    permission,
    ...(options.sessionOnlyFields ? { sessionOnlyFields: options.sessionOnlyFields } : {}),
    ...recentPasswordOf(options),
  }),
  self: (param?: string, options: RecentPasswordOption = {}): RouteAccess => ({ kind: 'self', ...(param ? { param } : {}), ...recentPasswordOf(options) }),
  sessionOnly: (options: RecentPasswordOption = {}): RouteAccess => ({ kind: 'session-only', ...recentPasswordOf(options) }),
} as const;

function recentPasswordOf(options: RecentPasswordOption): RecentPasswordOption {
  return options.recentPassword ? { recentPassword: options.recentPassword } : {};
}

/** The recent-password rule of a declaration, if any. */
export function recentPasswordOfRoute(routeAccess: RouteAccess): RecentPassword | undefined {
  return 'recentPassword' in routeAccess ? routeAccess.recentPassword : undefined;
}

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
  'GET /api/health/live': access.public(),
  'GET /api/health/ready': access.public(),
  'GET /api/ip': access.public(),
  'GET /api/tags': access.public(),
  'POST /api/users': access.public(),
  'POST /api/users/login': access.public(),
  // Leak reports: whoever found a token, without an account.
  'POST /api/credentials/revoke': access.public(),
  // GitHub secret scanning: authenticated by GitHub's signature of the body, not by credentials.
  'POST /api/secret-scanning/github': access.public(),
  // Where the account was used from: for the person, not for scripts.
  'GET /api/user/security-log': access.sessionOnly(),
  'POST /api/users/refresh': access.public(),
  'POST /api/users/logout': access.optional(null),
  // Forgot password: whether mail is on, ask for a link (never says if the email is known), use it.
  'GET /api/users/password-reset': access.public(),
  'POST /api/users/password-reset': access.public(),
  'POST /api/users/password-reset/complete': access.public(),

  'GET /api/user': access.permission('account:read'),
  'PUT /api/user': access.permission('account:write', {
    sessionOnlyFields: ['user.email', 'user.password'],
    recentPassword: { fields: [{ path: 'user.email', unlessEqualTo: 'email' }, { path: 'user.password' }], orField: 'user.currentPassword' },
  }),
  // The password in the body is itself the confirmation: no recent sign-in is needed on top.
  'DELETE /api/user': access.sessionOnly(),
  'POST /api/user/reauthenticate': access.sessionOnly(),

  'POST /api/user/api-tokens': access.sessionOnly({ recentPassword: {} }),
  'GET /api/user/api-tokens': access.permission('account:read'),
  'GET /api/user/api-tokens/current': access.self(),
  'POST /api/user/api-tokens/current/rotate': access.self(),
  // Widening a token is sensitive; a rename is not.
  'PATCH /api/user/api-tokens/:id': access.sessionOnly({ recentPassword: { fields: [{ path: 'apiToken.allowedIps' }, { path: 'apiToken.permissions' }] } }),
  // Rotation hands out a new raw secret: the same recent password as creation.
  'POST /api/user/api-tokens/:id/rotate': access.sessionOnly({ recentPassword: {} }),
  'DELETE /api/user/api-tokens/:id': access.self('id'),

  'GET /api/token-policy': access.permission('account:read'),

  // Trusted CI: policies are the person's (a token, minted or not, cannot widen what CI gets);
  // creating, editing and deleting need a recent password. Testing an ID token changes nothing.
  'GET /api/user/trust-policies': access.sessionOnly(),
  'POST /api/user/trust-policies': access.sessionOnly({ recentPassword: {} }),
  'PATCH /api/user/trust-policies/:id': access.sessionOnly({ recentPassword: {} }),
  'DELETE /api/user/trust-policies/:id': access.sessionOnly({ recentPassword: {} }),
  'POST /api/user/trust-policies/:id/test': access.sessionOnly(),
  // RFC 8693 token exchange: the ID token in the body is the credential (no Authorization header).
  'POST /api/oauth/token': access.public(),

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
  const rule = recentPasswordOfRoute(routeAccess);
  return rule ? `${describeKind(routeAccess)} ${describeRecentPassword(rule)}` : describeKind(routeAccess);
}

function describeRecentPassword(rule: RecentPassword): string {
  const what = rule.fields?.length ? `Changing ${rule.fields.map((f) => `\`${f.path}\``).join(' or ')}` : 'It';
  const or = rule.orField ? `, or \`${rule.orField}\` in the body,` : '';
  return (
    `${what} needs a recent password: a sign-in within REAUTH_WINDOW or \`POST /api/user/reauthenticate\`${or} ` +
    'else 403 `{"errors": {"reauthentication": ["is required: confirm your password"]}}`.'
  );
}

function describeKind(routeAccess: RouteAccess): string {
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
