import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, ModulesContainer } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import {
  API_ROUTE_ACCESS, API_TOKEN_RESOURCES, ApiRoute, ApiTokenPermissions, NO_PERMISSIONS, PERMISSION_PRESETS, READ_WRITE_PERMISSIONS,
  describeRouteAccess, parsePermission, requiredPermission, RouteAccess,
} from '@conduit/contracts';
import { createApp } from '../../src/app.factory';
import { routeAccessOf } from '../../src/access/access.decorator';
import { loadConfig } from '../../src/config/config';
import { createToken, http, register, Registered, unique } from '../support/app';

const SESSION_ONLY = { errors: { token: ['cannot be used for this action; sign in to Conduit with your password instead'] } };

function insufficient(permission: string) {
  return {
    header: `Bearer realm="conduit", error="insufficient_scope", scope="${permission}"`,
    body: { errors: { token: [`lacks the ${permission} permission`] } },
  };
}

/** What each route is called with; the status is what a caller allowed to use it gets. */
interface Fixture {
  me: Registered;
  other: Registered;
  slug: string;
  commentId: string;
}
type Spec = (fx: Fixture) => { body?: unknown; status: number };
const SPECS: Record<ApiRoute, Spec> = {
  'GET /api/health': () => ({ status: 200 }),
  'GET /api/health/live': () => ({ status: 200 }),
  'GET /api/health/ready': () => ({ status: 200 }),
  'GET /api/ip': () => ({ status: 200 }),
  'GET /api/tags': () => ({ status: 200 }),
  'POST /api/users': () => {
    const username = unique('u');
    return { body: { user: { username, email: `${username}@example.test`, password: 'correct horse battery' } }, status: 201 };
  },
  'POST /api/users/login': (fx) => ({ body: { user: { email: fx.me.email, password: fx.me.password } }, status: 200 }),
  // Public: the token is not read; without a refresh cookie the answer is refresh's own 401.
  'POST /api/users/refresh': () => ({ status: 401 }),
  'POST /api/users/logout': () => ({ status: 204 }),
  'GET /api/users/password-reset': () => ({ status: 200 }),
  // Public; this app has no mail configured, which the answer says (whoever asks, whatever the email).
  'POST /api/users/password-reset': () => ({ body: { user: { email: `${unique('n')}@example.test` } }, status: 503 }),
  'POST /api/users/password-reset/complete': () => ({ body: { passwordReset: { token: 'not-a-reset-token', password: 'a new long password' } }, status: 422 }),
  'GET /api/user': () => ({ status: 200 }),
  'PUT /api/user': () => ({ body: { user: { bio: unique('bio ') } }, status: 200 }),
  'DELETE /api/user': (fx) => ({ body: { user: { password: fx.me.password } }, status: 204 }),
  'POST /api/user/reauthenticate': (fx) => ({ body: { password: fx.me.password }, status: 204 }),
  'POST /api/user/api-tokens': () => ({ body: { apiToken: { name: unique('child ') } }, status: 201 }),
  'GET /api/user/api-tokens': () => ({ status: 200 }),
  'GET /api/user/api-tokens/current': () => ({ status: 200 }),
  'DELETE /api/user/api-tokens/:id': () => ({ status: 204 }),
  'POST /api/user/api-tokens/current/rotate': () => ({ status: 201 }),
  'PATCH /api/user/api-tokens/:id': () => ({ body: { apiToken: { name: unique('renamed ') } }, status: 200 }),
  'POST /api/user/api-tokens/:id/rotate': () => ({ body: { rotation: { overlapSeconds: 60 } }, status: 201 }),
  'GET /api/token-policy': () => ({ status: 200 }),
  // Trusted CI. The fixture's :id is not a policy of the user's: the session gets the 404 (after authorization).
  'GET /api/user/trust-policies': () => ({ status: 200 }),
  'POST /api/user/trust-policies': () => ({
    body: { trustPolicy: { name: unique('policy '), issuer: 'https://token.actions.githubusercontent.com', conditions: { repository_owner_id: '1' }, permissions: { articles: 'read' } } },
    status: 201,
  }),
  'PATCH /api/user/trust-policies/:id': () => ({ body: { trustPolicy: { name: unique('renamed ') } }, status: 404 }),
  'DELETE /api/user/trust-policies/:id': () => ({ status: 404 }),
  'POST /api/user/trust-policies/:id/test': () => ({ body: { idToken: 'a.b.c' }, status: 404 }),
  // Public, and the ID token in the form is the credential: any Authorization header is a 400 invalid_request.
  'POST /api/oauth/token': () => ({ status: 400 }),
  // Public: whatever the list holds, the answer is the same 202.
  'POST /api/credentials/revoke': () => ({ body: { credentials: ['conduit_not-a-token'] }, status: 202 }),
  // Public: credentials are not read; GitHub's signature is, and an unsigned alert gets its own 401.
  'POST /api/secret-scanning/github': () => ({ body: [], status: 401 }),
  'GET /api/user/security-log': () => ({ status: 200 }),
  'GET /api/user/notifications': () => ({ status: 200 }),
  'POST /api/user/notifications/read': () => ({ body: { all: true }, status: 204 }),
  'GET /api/profiles/:username': () => ({ status: 200 }),
  'POST /api/profiles/:username/follow': () => ({ status: 200 }),
  'DELETE /api/profiles/:username/follow': () => ({ status: 200 }),
  'GET /api/articles': () => ({ status: 200 }),
  'GET /api/articles/feed': () => ({ status: 200 }),
  'POST /api/articles': () => ({ body: { article: { title: unique('Title '), description: 'd', body: 'b' } }, status: 201 }),
  'GET /api/articles/:slug': () => ({ status: 200 }),
  'PUT /api/articles/:slug': () => ({ body: { article: { body: 'edited' } }, status: 200 }),
  'DELETE /api/articles/:slug': () => ({ status: 204 }),
  'POST /api/articles/:slug/favorite': () => ({ status: 200 }),
  'DELETE /api/articles/:slug/favorite': () => ({ status: 200 }),
  'GET /api/articles/:slug/comments': () => ({ status: 200 }),
  'POST /api/articles/:slug/comments': () => ({ body: { comment: { body: 'a comment' } }, status: 201 }),
  'DELETE /api/articles/:slug/comments/:id': () => ({ status: 204 }),
};

const ROUTES = Object.keys(API_ROUTE_ACCESS) as ApiRoute[];
const byKind = (kind: RouteAccess['kind'], withPermission?: boolean) =>
  ROUTES.filter((r) => {
    const a: RouteAccess = API_ROUTE_ACCESS[r];
    return a.kind === kind && (withPermission === undefined || (requiredPermission(a) !== null) === withPermission);
  });

describe('Permissions: one declaration per route, enforced by authorization', () => {
  let app: NestFastifyApplication;
  /** Every route Fastify registered (method + url), seen through its onRoute hook. */
  const registered: string[] = [];

  beforeAll(async () => {
    const config = loadConfig({
      NODE_ENV: 'test', LOG_LEVEL: 'silent', DATABASE_URL: process.env.DATABASE_URL, DATABASE_POOL_SIZE: '4',
      WEB_DIST: '/nonexistent', AUTH_FAILURE_LIMIT: '100000', SIGNUP_LIMIT: '100000',
    });
    app = await createApp(config);
    app.getHttpAdapter().getInstance().addHook('onRoute', (route) => {
      for (const method of ([] as string[]).concat(route.method)) registered.push(`${method} ${route.url}`);
    });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });
  afterAll(async () => {
    await app.close();
  });

  const api = () => http(app);

  async function fixture(me: Registered, other: Registered): Promise<Fixture> {
    const article = await api()
      .post('/api/articles')
      .set('Authorization', `Bearer ${me.token}`)
      .send({ article: { title: unique('Fixture '), description: 'd', body: 'b' } });
    const comment = await api()
      .post(`/api/articles/${article.body.article.slug}/comments`)
      .set('Authorization', `Bearer ${me.token}`)
      .send({ comment: { body: 'fixture' } });
    return { me, other, slug: article.body.article.slug, commentId: String(comment.body.comment.id) };
  }

  /** Calls `route` as the spec says; `auth` is a bearer credential or nothing; `tokenId` fills `:id` on token routes. */
  function call(route: ApiRoute, fx: Fixture, auth: string | null, tokenId = '') {
    const [method, template] = route.split(' ');
    const path = template
      .replace(':slug', fx.slug)
      .replace(':username', fx.other.username)
      .replace(':id', route.includes(' /api/user/api-tokens/') ? tokenId : fx.commentId);
    const spec = SPECS[route](fx);
    let req = api()[method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](path);
    if (auth) req = req.set('Authorization', `Bearer ${auth}`);
    return { req: spec.body === undefined ? req : req.send(spec.body as object), status: spec.status };
  }

  describe('the route table', () => {
    /** Nest's controllers, walked through its discovery service: METHOD /path → the handler's declaration. */
    function declaredRoutes(): Map<string, RouteAccess | undefined> {
      const discovery = new DiscoveryService(app.get(ModulesContainer));
      const scanner = new MetadataScanner();
      const routes = new Map<string, RouteAccess | undefined>();
      for (const wrapper of discovery.getControllers()) {
        const prototype = (wrapper.metatype as { prototype: object } | null)?.prototype;
        if (!prototype) continue;
        const base = String(Reflect.getMetadata(PATH_METADATA, wrapper.metatype as object) ?? '');
        for (const name of scanner.getAllMethodNames(prototype)) {
          const handler = (prototype as Record<string, object>)[name];
          const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
          if (method === undefined) continue;
          for (const sub of ([] as string[]).concat(Reflect.getMetadata(PATH_METADATA, handler) ?? '')) {
            const path = `/api/${base}/${sub}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
            routes.set(`${RequestMethod[method]} ${path}`, routeAccessOf(handler));
          }
        }
      }
      return routes;
    }

    it('every registered route declares what it needs (@Access)', () => {
      const declared = declaredRoutes();
      const undeclared = [...declared].filter(([, a]) => a === undefined).map(([r]) => r);
      expect(undeclared).toEqual([]);
      // Every route Fastify serves under /api (but the docs, served by Swagger UI) is one of the walked ones.
      const served = registered.filter((r) => / \/api(\/|$)/.test(r) && !/ \/api\/docs/.test(r) && !r.startsWith('HEAD '));
      expect(served.length).toBeGreaterThan(20);
      expect(served.filter((r) => !declared.has(r))).toEqual([]);
    });

    it('is exactly the contract’s table: same routes, same declarations', () => {
      const declared = Object.fromEntries([...declaredRoutes()].map(([r, a]) => [r, a && JSON.parse(JSON.stringify(a))]));
      expect(declared).toEqual(JSON.parse(JSON.stringify(API_ROUTE_ACCESS)));
    });

    it('the OpenAPI document states each operation’s access and required permission', async () => {
      const doc = (await api().get('/api/docs/openapi.json')).body as {
        paths: Record<string, Record<string, { description?: string; security?: unknown[]; 'x-access'?: string; 'x-required-permission'?: string }>>;
      };
      for (const route of ROUTES) {
        const [method, path] = route.split(' ');
        const op = doc.paths[path.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
        const declared: RouteAccess = API_ROUTE_ACCESS[route];
        expect({ route, access: op?.['x-access'], permission: op?.['x-required-permission'] ?? null }).toEqual({
          route, access: declared.kind, permission: requiredPermission(declared),
        });
        expect(op?.description).toContain(describeRouteAccess(declared));
        // Optional routes serve anonymous callers too: no security requirement, or a bearer token.
        if (declared.kind === 'optional') expect(op?.security).toEqual([{}, { bearer: [] }]);
        else if (declared.kind !== 'public') expect(op?.security).toEqual([{ bearer: [] }]);
        else expect(op?.security).toEqual([]);
      }
    });
  });

  describe('every route × a token whose permission is missing, read or write (from the contract’s table)', () => {
    const permissionRoutes = [...byKind('optional', true), ...byKind('permission')];

    it.each(permissionRoutes)('%s', async (route) => {
      const permission = requiredPermission(API_ROUTE_ACCESS[route])!;
      const { resource, level } = parsePermission(permission);
      const me = await register(app);
      const other = await register(app);
      // "missing": everything else write, this resource none; "read"/"write": this resource only.
      const missing = await createToken(app, me.token, { permissions: { ...READ_WRITE_PERMISSIONS, [resource]: 'none' } });
      const read = await createToken(app, me.token, { permissions: { [resource]: 'read' } });
      const write = await createToken(app, me.token, { permissions: { [resource]: 'write' } });

      const refusedMissing = await call(route, await fixture(me, other), missing.raw).req;
      expect(refusedMissing.status).toBe(403);
      expect(refusedMissing.headers['www-authenticate']).toBe(insufficient(permission).header);
      expect(refusedMissing.body).toEqual(insufficient(permission).body);

      const withRead = call(route, await fixture(me, other), read.raw);
      const readRes = await withRead.req;
      if (level === 'read') {
        expect({ status: readRes.status, body: readRes.body }).toMatchObject({ status: withRead.status });
      } else {
        expect(readRes.status).toBe(403);
        expect(readRes.headers['www-authenticate']).toBe(insufficient(`${resource}:write`).header);
        expect(readRes.body).toEqual(insufficient(`${resource}:write`).body);
      }

      const withWrite = call(route, await fixture(me, other), write.raw);
      const writeRes = await withWrite.req;
      expect({ status: writeRes.status, body: writeRes.body }).toMatchObject({ status: withWrite.status });

      // A session has every permission.
      const withSession = call(route, await fixture(me, other), me.token);
      expect((await withSession.req).status).toBe(withSession.status);
    });

    it.each(byKind('optional', true))('%s still serves anonymous callers (no Authorization header)', async (route) => {
      const fx = await fixture(await register(app), await register(app));
      const anonymous = call(route, fx, null);
      expect((await anonymous.req).status).toBe(anonymous.status);
    });

    it.each([...byKind('public'), ...byKind('optional', false), ...byKind('self')])(
      '%s: any token may, whatever its permissions (none at all, or all)',
      async (route) => {
        const me = await register(app);
        const other = await register(app);
        for (const permissions of [{}, READ_WRITE_PERMISSIONS]) {
          const token = await createToken(app, me.token, { permissions });
          const c = call(route, await fixture(me, other), token.raw, token.id);
          const res = await c.req;
          expect({ route, permissions, status: res.status }).toEqual({ route, permissions, status: c.status });
        }
      },
    );

    it.each(byKind('session-only'))('%s: no token may, whatever its permissions; a session may', async (route) => {
      const me = await register(app);
      const other = await register(app);
      const token = await createToken(app, me.token, { permissions: READ_WRITE_PERMISSIONS });
      const refused = await call(route, await fixture(me, other), token.raw, token.id).req;
      expect(refused.status).toBe(403);
      expect(refused.body).toEqual(SESSION_ONLY);
      const bySession = call(route, await fixture(me, other), me.token, token.id);
      expect((await bySession.req).status).toBe(bySession.status);
    });
  });

  describe('the refusal', () => {
    it('names the missing permission: RFC 6750 insufficient_scope header and the error format', async () => {
      const me = await register(app);
      const { raw } = await createToken(app, me.token, { permissions: PERMISSION_PRESETS['read-only'] });
      const res = await api()
        .post('/api/articles')
        .set('Authorization', `Bearer ${raw}`)
        .send({ article: { title: unique('Nope '), description: 'd', body: 'b' } });
      expect(res.status).toBe(403);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="conduit", error="insufficient_scope", scope="articles:write"');
      expect(res.body).toEqual({ errors: { token: ['lacks the articles:write permission'] } });
      const list = await api().get(`/api/articles?author=${me.username}`).set('Authorization', `Bearer ${me.token}`);
      expect(list.body.articlesCount).toBe(0);
    });

    it('on a route that also serves anonymous callers, a token without the permission is refused, not treated as anonymous', async () => {
      const me = await register(app);
      const { raw } = await createToken(app, me.token, { permissions: { account: 'read' } });
      const res = await api().get('/api/articles').set('Authorization', `Bearer ${raw}`);
      expect(res.status).toBe(403);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="conduit", error="insufficient_scope", scope="articles:read"');
      expect((await api().get('/api/articles')).status).toBe(200);
    });

    it('an account:write token still may not change the email or password (session-only fields); the bio it may', async () => {
      const me = await register(app);
      const { raw } = await createToken(app, me.token, { permissions: { account: 'write' } });
      for (const user of [{ email: `${unique('n')}@example.test` }, { password: 'another password 1' }, { bio: 'x', email: null }]) {
        const res = await api().put('/api/user').set('Authorization', `Bearer ${raw}`).send({ user });
        expect(res.status).toBe(403);
        expect(res.body).toEqual(SESSION_ONLY);
      }
      const ok = await api().put('/api/user').set('Authorization', `Bearer ${raw}`).send({ user: { bio: 'from CI' } });
      expect(ok.status).toBe(200);
      expect(ok.body.user).toMatchObject({ bio: 'from CI', email: me.email });
    });

    it('a session may change its email (sessions have every permission)', async () => {
      const me = await register(app);
      const email = `${unique('n')}@example.test`;
      const res = await api().put('/api/user').set('Authorization', `Bearer ${me.token}`).send({ user: { email } });
      expect(res.status).toBe(200);
      expect(res.body.user.email).toBe(email);
    });

    it('GET /api/user/api-tokens/current is about a token: a session gets 403', async () => {
      const me = await register(app);
      const res = await api().get('/api/user/api-tokens/current').set('Authorization', `Bearer ${me.token}`);
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ errors: { apiToken: ['is about the API token of the request; call this endpoint with an API token'] } });
    });
  });

  describe('POST /api/user/api-tokens with permissions', () => {
    const permissionsOf = async (session: string, apiToken: Record<string, unknown>) =>
      (await createToken(app, session, apiToken)).body.apiToken.permissions as ApiTokenPermissions;

    it('without permissions: write on everything (what tokens could do until now)', async () => {
      const me = await register(app);
      expect(await permissionsOf(me.token, {})).toEqual(READ_WRITE_PERMISSIONS);
    });

    it('a resource left out is none; the presets are kept exactly; every response carrying the token shows them', async () => {
      const me = await register(app);
      const partial = await createToken(app, me.token, { permissions: { articles: 'read', account: 'read' } });
      const expected = { articles: 'read', comments: 'none', social: 'none', account: 'read' };
      expect(partial.body.apiToken.permissions).toEqual(expected);
      expect(await permissionsOf(me.token, { permissions: {} })).toEqual(NO_PERMISSIONS);
      expect(await permissionsOf(me.token, { permissions: PERMISSION_PRESETS['read-only'] })).toEqual(PERMISSION_PRESETS['read-only']);
      expect(await permissionsOf(me.token, { permissions: PERMISSION_PRESETS['read-write'] })).toEqual(PERMISSION_PRESETS['read-write']);

      const list = await api().get('/api/user/api-tokens').set('Authorization', `Bearer ${me.token}`);
      for (const t of list.body.apiTokens) expect(Object.keys(t.permissions).sort()).toEqual([...API_TOKEN_RESOURCES].sort());
      expect(list.body.apiTokens.find((t: { id: string }) => t.id === partial.id).permissions).toEqual(expected);
      const current = await api().get('/api/user/api-tokens/current').set('Authorization', `Bearer ${partial.raw}`);
      expect(current.status).toBe(200);
      expect(current.body.apiToken.permissions).toEqual(expected);
    });

    it.each([
      [{ files: 'read' }, ['"files" is not a resource; use articles, comments, social, account']],
      [{ articles: 'admin' }, ['articles: "admin" is not a level; use none, read, write']],
      [{ articles: 'admin', Account: 'read' }, ['articles: "admin" is not a level; use none, read, write', '"Account" is not a resource; use articles, comments, social, account']],
      [{ articles: 2 }, ['articles: 2 is not a level; use none, read, write']],
      ['read', ['must be an object of resource → level, e.g. {"articles": "read"}']],
      [null, ['must be an object of resource → level, e.g. {"articles": "read"}']],
      [['read'], ['must be an object of resource → level, e.g. {"articles": "read"}']],
    ])('refuses permissions %j with 422 naming what is wrong, and writes nothing', async (permissions, messages) => {
      const me = await register(app);
      const res = await api().post('/api/user/api-tokens').set('Authorization', `Bearer ${me.token}`).send({ apiToken: { name: 'bad', permissions } });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ errors: { permissions: messages } });
      expect((await api().get('/api/user/api-tokens').set('Authorization', `Bearer ${me.token}`)).body.apiTokens).toEqual([]);
    });

    it('reports bad permissions together with the other bad fields', async () => {
      const me = await register(app);
      const res = await api()
        .post('/api/user/api-tokens')
        .set('Authorization', `Bearer ${me.token}`)
        .send({ apiToken: { name: '', expiresIn: '2d', allowedIps: ['10.0.0.1/8'], permissions: { wiki: 'write' } } });
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.errors).sort()).toEqual(['allowedIps', 'expiresIn', 'name', 'permissions']);
      expect(res.body.errors.permissions).toEqual(['"wiki" is not a resource; use articles, comments, social, account']);
    });
  });

  describe('the permissions column', () => {
    it('the column refuses values that no set of permissions encodes to', async () => {
      const me = await register(app);
      const { id } = await createToken(app, me.token);
      const client = new Client({ connectionString: process.env.DATABASE_URL });
      await client.connect();
      try {
        for (const bad of [3, 255, 256, -1]) {
          await expect(client.query('UPDATE api_tokens SET permissions = $1 WHERE id = $2', [bad, id])).rejects.toMatchObject({ code: expect.stringMatching(/^23514|22003$/) });
        }
        await client.query('UPDATE api_tokens SET permissions = 0 WHERE id = $1', [id]);
      } finally {
        await client.end();
      }
    });
  });
});
