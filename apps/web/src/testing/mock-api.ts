import { http, HttpResponse, delay } from 'msw';
import {
  API_TOKEN_NAME_MAX_LENGTH,
  completePermissions,
  expiryFromPreset,
  permissionsProblems,
  parseAllowlist,
  type ApiToken,
  type ApiTokenListResponse,
  type ApiTokenResponse,
  type RotateApiTokenRequest,
  type RotateApiTokenResponse,
  type UpdateApiTokenRequest,
  type CreateApiTokenRequest,
  type CreateApiTokenResponse,
  type ErrorResponse,
  type LoginUserRequest,
  type MarkNotificationsReadRequest,
  type Notification,
  type NotificationListResponse,
  type TokenPolicy,
  type TokenPolicyResponse,
  type SecurityEvent,
  type SecurityLogResponse,
  type UpdateUserRequest,
  type User,
  type UserResponse,
} from '@conduit/contracts';
import { buildApiToken, buildUser } from './factories';
import { createMockArticlesApi, type MockArticlesInitial } from './mock-articles';

/**
 * A small in-memory imitation of the Conduit API, typed with the contract, for component tests.
 * `calls` records every request so tests can check what was (not) sent.
 */
export function createMockApi(
  initial: {
    tokens?: ApiToken[];
    inactive?: ApiToken[];
    user?: User;
    password?: string;
    notifications?: Notification[];
    tokenPolicy?: Partial<TokenPolicy>;
    events?: SecurityEvent[];
  } & MockArticlesInitial = {},
) {
  const state = {
    /** Newest first, as the API pages them. */
    events: [...(initial.events ?? [])],
    notifications: [...(initial.notifications ?? [])],
    tokenPolicy: {
      maxLifetimeSeconds: null,
      inactivityRevokeSeconds: null,
      allowedExpiryPresets: ['7d', '30d', '60d', '90d', '1y', 'never'],
      ...initial.tokenPolicy,
    } as TokenPolicy,
    tokens: [...(initial.tokens ?? [])],
    inactive: [...(initial.inactive ?? [])],
    user: initial.user ?? buildUser(),
    password: initial.password ?? 'correct horse battery',
    ip: '203.0.113.7',
    calls: [] as Array<{ method: string; path: string; body: unknown; authorization: string | null }>,
    rawTokens: [] as string[],
  };

  async function record(request: Request) {
    const text = await request.clone().text();
    state.calls.push({
      method: request.method,
      path: new URL(request.url).pathname,
      body: text ? JSON.parse(text) : undefined,
      authorization: request.headers.get('authorization'),
    });
  }

  const notFound: ErrorResponse = { errors: { apiToken: ['not found'] } };

  const articles = createMockArticlesApi(initial, () => state.user, record);

  const handlers = [
    ...articles.handlers,
    http.get<never, never, SecurityLogResponse>('*/api/user/security-log', async ({ request }) => {
      await record(request);
      const url = new URL(request.url);
      const limit = Number(url.searchParams.get('limit') ?? 50);
      const tokenId = url.searchParams.get('tokenId');
      const type = url.searchParams.get('type');
      const before = url.searchParams.get('before');
      let events = state.events.filter((e) => (!tokenId || e.tokenId === tokenId) && (!type || e.type === type));
      if (before) events = events.slice(events.findIndex((e) => e.id === before) + 1);
      const page = events.slice(0, limit);
      return HttpResponse.json({ events: page, nextCursor: events.length > limit ? page[page.length - 1].id : null });
    }),
    http.get<never, never, ApiTokenListResponse>('*/api/user/api-tokens', async ({ request }) => {
      await record(request);
      const inactive = new URL(request.url).searchParams.get('state') === 'inactive';
      return HttpResponse.json({ apiTokens: inactive ? state.inactive : state.tokens });
    }),
    http.patch<{ id: string }, UpdateApiTokenRequest, ApiTokenResponse | ErrorResponse>(
      '*/api/user/api-tokens/:id',
      async ({ request, params }) => {
        await record(request);
        const { apiToken } = await request.json();
        const token = state.tokens.find((t) => t.id === params.id);
        if (!token) return HttpResponse.json(notFound, { status: 404 });
        const errors: Record<string, string[]> = {};
        if (apiToken.name !== undefined && !apiToken.name.trim()) errors.name = ["can't be blank"];
        const allow = parseAllowlist(apiToken.allowedIps ?? []);
        if (allow.errors.length > 0) errors.allowedIps = allow.errors.map((e) => e.message);
        if (Object.keys(errors).length > 0) return HttpResponse.json({ errors }, { status: 422 });
        if (apiToken.name !== undefined) token.name = apiToken.name.trim();
        if (apiToken.allowedIps !== undefined) token.allowedIps = allow.cidrs;
        if (apiToken.permissions !== undefined) token.permissions = completePermissions(apiToken.permissions);
        return HttpResponse.json({ apiToken: token });
      },
    ),
    http.post<{ id: string }, RotateApiTokenRequest, RotateApiTokenResponse | ErrorResponse>(
      '*/api/user/api-tokens/:id/rotate',
      async ({ request, params }) => {
        await record(request);
        const body = await request.json();
        const old = state.tokens.find((t) => t.id === params.id);
        if (!old) return HttpResponse.json(notFound, { status: 404 });
        if (old.state !== 'active') return HttpResponse.json({ errors: { apiToken: ['has already been rotated'] } }, { status: 409 });
        const now = new Date();
        const retiresAt = new Date(now.getTime() + (body.rotation?.overlapSeconds ?? 0) * 1000).toISOString();
        const raw = `conduit_${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}Rr7T`;
        state.rawTokens.push(raw);
        const lifetime = old.expiresAt ? Date.parse(old.expiresAt) - Date.parse(old.createdAt) : null;
        const created = buildApiToken({
          name: old.name,
          hint: raw.slice(-4),
          createdAt: now.toISOString(),
          expiresAt: lifetime === null ? null : new Date(now.getTime() + lifetime).toISOString(),
          allowedIps: [...old.allowedIps],
          permissions: old.permissions,
        });
        Object.assign(old, { state: 'retiring', retiresAt });
        state.tokens.unshift(created);
        return HttpResponse.json({ token: raw, apiToken: created, replaced: { id: old.id, retiresAt } }, { status: 201 });
      },
    ),
    http.post<never, CreateApiTokenRequest, CreateApiTokenResponse | ErrorResponse>(
      '*/api/user/api-tokens',
      async ({ request }) => {
        await record(request);
        const { apiToken } = await request.json();
        const errors: Record<string, string[]> = {};
        if (!apiToken.name?.trim()) errors.name = ["can't be blank"];
        if (apiToken.name && apiToken.name.length > API_TOKEN_NAME_MAX_LENGTH) errors.name = ['is too long'];
        const allow = parseAllowlist(apiToken.allowedIps ?? []);
        if (allow.errors.length > 0) errors.allowedIps = allow.errors.map((e) => e.message);
        if (apiToken.permissions !== undefined && permissionsProblems(apiToken.permissions).length > 0) {
          errors.permissions = permissionsProblems(apiToken.permissions);
        }
        if (Object.keys(errors).length > 0) return HttpResponse.json({ errors }, { status: 422 });
        const now = new Date();
        const raw = `conduit_${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}Zz9Q`;
        state.rawTokens.push(raw);
        const created = buildApiToken({
          name: apiToken.name.trim(),
          hint: raw.slice(-4),
          createdAt: now.toISOString(),
          expiresAt: apiToken.expiresAt ?? expiryFromPreset(apiToken.expiresIn ?? '30d', now)?.toISOString() ?? null,
          allowedIps: allow.cidrs,
          permissions: completePermissions(apiToken.permissions),
        });
        state.tokens.unshift(created);
        return HttpResponse.json({ apiToken: created, token: raw }, { status: 201 });
      },
    ),
    http.delete<{ id: string }, never, ErrorResponse>('*/api/user/api-tokens/:id', async ({ request, params }) => {
      await record(request);
      const before = state.tokens.length;
      state.tokens = state.tokens.filter((t) => t.id !== params.id);
      if (state.tokens.length === before) return HttpResponse.json(notFound, { status: 404 });
      return new HttpResponse(null, { status: 204 });
    }),
    http.get<never, never, NotificationListResponse>('*/api/user/notifications', async ({ request }) => {
      await record(request);
      return HttpResponse.json({
        notifications: state.notifications,
        unreadCount: state.notifications.filter((n) => n.readAt === null).length,
      });
    }),
    http.post<never, MarkNotificationsReadRequest, ErrorResponse>('*/api/user/notifications/read', async ({ request }) => {
      await record(request);
      const body = await request.json();
      const now = new Date().toISOString();
      state.notifications = state.notifications.map((n) =>
        n.readAt === null && (body.all === true || (body.ids ?? []).includes(n.id)) ? { ...n, readAt: now } : n,
      );
      return new HttpResponse(null, { status: 204 });
    }),
    http.get<never, never, TokenPolicyResponse>('*/api/token-policy', async ({ request }) => {
      await record(request);
      return HttpResponse.json({ tokenPolicy: state.tokenPolicy });
    }),
    http.get<never, never, { ip: string }>('*/api/ip', async ({ request }) => {
      await record(request);
      return HttpResponse.json({ ip: state.ip });
    }),
    http.get<never, never, UserResponse>('*/api/user', async ({ request }) => {
      await record(request);
      return HttpResponse.json({ user: state.user });
    }),
    http.put<never, UpdateUserRequest, UserResponse | ErrorResponse>('*/api/user', async ({ request }) => {
      await record(request);
      const { user } = await request.json();
      if (user.password !== undefined && user.currentPassword !== state.password) {
        return HttpResponse.json({ errors: { currentPassword: ['is incorrect'] } }, { status: 422 });
      }
      const { password, currentPassword: _current, ...profile } = user;
      if (password) state.password = password;
      state.user = { ...state.user, ...profile } as User;
      return HttpResponse.json({ user: state.user });
    }),
    http.delete<never, { user: { password: string } }, ErrorResponse>('*/api/user', async ({ request }) => {
      await record(request);
      const { user } = await request.json();
      if (user.password !== state.password) {
        return HttpResponse.json({ errors: { password: ['is incorrect'] } }, { status: 422 });
      }
      return new HttpResponse(null, { status: 204 });
    }),
    http.post<never, LoginUserRequest, UserResponse | ErrorResponse>('*/api/users/login', async ({ request }) => {
      await record(request);
      const { user } = await request.json();
      if (user.email !== state.user.email || user.password !== state.password) {
        return HttpResponse.json({ errors: { credentials: ['invalid'] } }, { status: 401 });
      }
      return HttpResponse.json({ user: state.user });
    }),
    http.post<never, never, UserResponse | ErrorResponse>('*/api/users/refresh', async ({ request }) => {
      await record(request);
      await delay(5);
      return HttpResponse.json({ errors: { session: ['missing'] } }, { status: 401 });
    }),
    http.post('*/api/users/logout', async ({ request }) => {
      await record(request);
      return new HttpResponse(null, { status: 204 });
    }),
  ];

  return { state, articles: articles.state, handlers };
}
