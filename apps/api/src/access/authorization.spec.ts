import { access, NO_PERMISSIONS, READ_ONLY_PERMISSIONS, READ_WRITE_PERMISSIONS, type ApiTokenPermissions } from '@conduit/contracts';
import { authorize, refusalError } from './authorization';
import type { Principal, SessionPrincipal, TokenPrincipal } from './principal';

const user = { id: 'u1', username: 'jake', email: 'j@x.test', bio: null, image: null, timezone: 'UTC' };
const session: SessionPrincipal = { kind: 'session', user, sessionId: 's1', accessToken: 'jwt', reauthenticatedAt: 1_000 };
const token = (permissions: ApiTokenPermissions, id = 't1'): TokenPrincipal => ({
  kind: 'api-token', user, clientIp: '127.0.0.1', token: { id, expiresAt: null, permissions, minted: false },
});

describe('authorize', () => {
  const none = {};
  it.each<[string, Principal | undefined, ReturnType<typeof authorize>]>([
    ['anonymous', undefined, null],
    ['a session', session, null],
    ['a token with write', token({ ...NO_PERMISSIONS, articles: 'write' }), null],
    ['a read-only token', token(READ_ONLY_PERMISSIONS), { reason: 'insufficient_permission', permission: 'articles:write' }],
    ['a token without articles', token({ ...READ_WRITE_PERMISSIONS, articles: 'none' }), { reason: 'insufficient_permission', permission: 'articles:write' }],
  ])('articles:write, %s', (_name, principal, expected) => {
    expect(authorize(access.permission('articles:write'), principal, none)).toEqual(expected);
  });

  it('optional routes: anonymous and sessions are served; a token needs the permission; without a permission any token', () => {
    expect(authorize(access.optional('articles:read'), undefined, none)).toBeNull();
    expect(authorize(access.optional('articles:read'), session, none)).toBeNull();
    expect(authorize(access.optional('articles:read'), token(READ_ONLY_PERMISSIONS), none)).toBeNull();
    expect(authorize(access.optional('articles:read'), token(NO_PERMISSIONS), none)).toEqual({ reason: 'insufficient_permission', permission: 'articles:read' });
    expect(authorize(access.optional(null), token(NO_PERMISSIONS), none)).toBeNull();
  });

  it('session-only fields: refused for a token that sends one (even null), not for one that does not, never for a session', () => {
    const route = access.permission('account:write', { sessionOnlyFields: ['user.email', 'user.password'] });
    const writer = token(READ_WRITE_PERMISSIONS);
    expect(authorize(route, writer, { body: { user: { bio: 'x' } } })).toBeNull();
    expect(authorize(route, writer, { body: { user: { email: null } } })).toEqual({ reason: 'session_only' });
    expect(authorize(route, writer, { body: { user: { password: 'p' } } })).toEqual({ reason: 'session_only' });
    expect(authorize(route, writer, { body: 'not json' })).toBeNull();
    expect(authorize(route, session, { body: { user: { email: 'e' } } })).toBeNull();
    // The permission is checked first: a token without it hears what it lacks.
    expect(authorize(route, token(READ_ONLY_PERMISSIONS), { body: { user: { email: 'e' } } })).toEqual({ reason: 'insufficient_permission', permission: 'account:write' });
  });

  it('self: a token acts only on itself, whatever its permissions; a session on any of its tokens, but has no token of its own', () => {
    expect(authorize(access.self('id'), token(NO_PERMISSIONS, 't1'), { params: { id: 't1' } })).toBeNull();
    expect(authorize(access.self('id'), token(READ_WRITE_PERMISSIONS, 't1'), { params: { id: 't2' } })).toEqual({ reason: 'not_self' });
    expect(authorize(access.self('id'), session, { params: { id: 't2' } })).toBeNull();
    expect(authorize(access.self(), token(NO_PERMISSIONS), none)).toBeNull();
    expect(authorize(access.self(), session, none)).toEqual({ reason: 'token_only' });
  });

  it('session-only: every token refused; public: everyone', () => {
    expect(authorize(access.sessionOnly(), token(READ_WRITE_PERMISSIONS), none)).toEqual({ reason: 'session_only' });
    expect(authorize(access.sessionOnly(), session, none)).toBeNull();
    expect(authorize(access.public(), token(NO_PERMISSIONS), none)).toBeNull();
  });

  it('recentPassword: a session whose password is older than the window is refused "reauthentication"; a token "session_only"', () => {
    const always = access.sessionOnly({ recentPassword: {} });
    const stale = { ...session, reauthenticatedAt: 999 };
    const never = { ...session, reauthenticatedAt: null };
    expect(authorize(always, session, { recentSince: 1_000 })).toBeNull();
    expect(authorize(always, stale, { recentSince: 1_000 })).toEqual({ reason: 'reauthentication' });
    expect(authorize(always, never, { recentSince: 0 })).toEqual({ reason: 'reauthentication' });
    expect(authorize(always, session, none)).toEqual({ reason: 'reauthentication' }); // no window given: fail closed
    expect(authorize(always, token(READ_WRITE_PERMISSIONS), { recentSince: 0 })).toEqual({ reason: 'session_only' });

    const fields = access.permission('account:write', {
      recentPassword: { fields: [{ path: 'user.email', unlessEqualTo: 'email' }, { path: 'user.password' }], orField: 'user.currentPassword' },
    });
    const at = (body: unknown) => authorize(fields, stale, { body, recentSince: 1_000 });
    expect(at({ user: { bio: 'x' } })).toBeNull();
    expect(at({ user: { email: user.email, bio: 'x' } })).toBeNull(); // unchanged
    expect(at({ user: { email: 'new@x.test' } })).toEqual({ reason: 'reauthentication' });
    expect(at({ user: { password: 'new password' } })).toEqual({ reason: 'reauthentication' });
    expect(at({ user: { password: 'new password', currentPassword: 'old' } })).toBeNull(); // the handler checks it
    expect(authorize(fields, token(READ_WRITE_PERMISSIONS), { body: { user: { email: 'new@x.test' } }, recentSince: 0 })).toEqual({ reason: 'session_only' });
    expect(refusalError({ reason: 'reauthentication' }).getResponse()).toEqual({ errors: { reauthentication: ['is required: confirm your password'] } });
  });

  it('a missing permission is a 403 with the RFC 6750 insufficient_scope challenge naming it', () => {
    const error = refusalError({ reason: 'insufficient_permission', permission: 'comments:write' });
    expect(error.getStatus()).toBe(403);
    expect(error.getResponse()).toEqual({ errors: { token: ['lacks the comments:write permission'] } });
    expect(error.headers).toEqual({ 'WWW-Authenticate': 'Bearer realm="conduit", error="insufficient_scope", scope="comments:write"' });
  });
});
