import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { isSecurityEvent, type SecurityEventOf, type TrustPolicy } from '@conduit/contracts';
import { Clock } from '../../src/common/clock';
import { SecurityEvents } from '../../src/security-log/security-events.service';
import { createToken, http, register, Registered, startApp, unique } from '../support/app';
import { TestIssuer } from '../support/oidc-issuer';
import { allEvents } from '../support/security-log';

const GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ID_TOKEN = 'urn:ietf:params:oauth:token-type:id_token';
const AUDIENCE = 'https://conduit.example.test';
const REFUSED = { error: 'invalid_grant', error_description: 'the subject token is not accepted for this client_id' };

/**
 * Trusted CI end to end: a loopback OIDC issuer made here plays GitHub Actions; two app instances
 * share the database (the exchange, replay protection and revocation hold across them).
 */
describe('Trusted CI: trust policies and the RFC 8693 token exchange', () => {
  let issuer: TestIssuer;
  let a: NestFastifyApplication;
  let b: NestFastifyApplication;
  let offsetMs = 0;
  const now = () => new Date(Date.now() + offsetMs);
  const seconds = () => Math.floor(now().getTime() / 1000);

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    const env = { TRUSTED_ISSUERS: `${issuer.url},https://gitlab.com`, PUBLIC_URL: 'https://conduit.public.test', TRUSTED_PROXIES: '127.0.0.1' };
    a = await startApp(env);
    b = await startApp(env);
    for (const app of [a, b]) app.get(Clock).now = now;
  });
  afterAll(async () => {
    await issuer?.stop().catch(() => undefined);
  });
  afterEach(() => {
    offsetMs = 0;
  });

  /** What GitHub Actions puts in an ID token for acme/site on main (ids as strings, as GitHub does). */
  function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    const t = seconds();
    return {
      iss: issuer.url, aud: AUDIENCE, sub: 'repo:acme/site:ref:refs/heads/main', jti: randomUUID(),
      repository: 'acme/site', repository_id: '1001', repository_owner: 'acme', repository_owner_id: '424242',
      ref: 'refs/heads/main', run_id: '987654321', iat: t, nbf: t - 5, exp: t + 300,
      ...overrides,
    };
  }

  async function createPolicy(app: NestFastifyApplication, me: Registered, overrides: Record<string, unknown> = {}): Promise<TrustPolicy> {
    const res = await http(app)
      .post('/api/user/trust-policies')
      .set('Authorization', `Bearer ${me.token}`)
      .send({
        trustPolicy: {
          name: unique('deploys '), issuer: issuer.url, audience: AUDIENCE,
          conditions: { repository_owner_id: '424242', repository: 'acme/site', ref: 'refs/heads/main' },
          permissions: { articles: 'write', account: 'read' }, tokenLifetimeSeconds: 600,
          ...overrides,
        },
      });
    if (res.status !== 201) throw new Error(`create policy: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.trustPolicy as TrustPolicy;
  }

  function exchange(app: NestFastifyApplication, form: Record<string, string>, from = '203.0.113.9') {
    return http(app).post('/api/oauth/token').set('X-Forwarded-For', from).type('form').send(form);
  }
  const good = (policyId: string, subjectToken: string) => ({ grant_type: GRANT, subject_token: subjectToken, subject_token_type: ID_TOKEN, client_id: policyId });

  async function refusals(app: NestFastifyApplication, me: Registered): Promise<Array<SecurityEventOf<'token.exchange_refused'>>> {
    // Either instance may have recorded them: write both buffers.
    await Promise.all([a.get(SecurityEvents).flush(), b.get(SecurityEvents).flush()]);
    return (await allEvents(app, me.token)).filter(isSecurityEvent('token.exchange_refused'));
  }

  describe('trust policies', () => {
    it('are created with defaults (audience = PUBLIC_URL, 900 s), listed with the trusted issuers, changed and deleted', async () => {
      const me = await register(a);
      const res = await http(a).post('/api/user/trust-policies').set('Authorization', `Bearer ${me.token}`).send({
        trustPolicy: { name: 'site', issuer: issuer.url, conditions: { repository_owner_id: '424242' }, permissions: { articles: 'read' } },
      });
      expect(res.status).toBe(201);
      expect(res.body.trustPolicy).toEqual({
        id: expect.any(String), name: 'site', issuer: issuer.url, audience: 'https://conduit.public.test',
        conditions: { repository_owner_id: '424242' }, permissions: { articles: 'read', comments: 'none', social: 'none', account: 'none' },
        allowedIps: [], tokenLifetimeSeconds: 900, createdAt: expect.any(String), lastExchangedAt: null, recentExchanges: [],
      });
      const id = res.body.trustPolicy.id as string;

      const list = await http(b).get('/api/user/trust-policies').set('Authorization', `Bearer ${me.token}`);
      expect(list.status).toBe(200);
      expect(list.body).toEqual({ trustPolicies: [res.body.trustPolicy], trustedIssuers: [issuer.url, 'https://gitlab.com'], defaultAudience: 'https://conduit.public.test' });

      const patched = await http(a).patch(`/api/user/trust-policies/${id}`).set('Authorization', `Bearer ${me.token}`)
        .send({ trustPolicy: { conditions: { repository_owner_id: '424242', ref: 'refs/heads/main' }, tokenLifetimeSeconds: 120 } });
      expect(patched.status).toBe(200);
      expect(patched.body.trustPolicy).toMatchObject({ conditions: { repository_owner_id: '424242', ref: 'refs/heads/main' }, tokenLifetimeSeconds: 120, name: 'site' });

      // Another user cannot see, change, test or delete it.
      const other = await register(a);
      for (const req of [
        http(a).patch(`/api/user/trust-policies/${id}`).set('Authorization', `Bearer ${other.token}`).send({ trustPolicy: { name: 'mine' } }),
        http(a).post(`/api/user/trust-policies/${id}/test`).set('Authorization', `Bearer ${other.token}`).send({ idToken: 'a.b.c' }),
        http(a).delete(`/api/user/trust-policies/${id}`).set('Authorization', `Bearer ${other.token}`),
      ]) {
        const r = await req;
        expect({ status: r.status, body: r.body }).toEqual({ status: 404, body: { errors: { trustPolicy: ['not found'] } } });
      }
      expect((await http(a).get('/api/user/trust-policies').set('Authorization', `Bearer ${other.token}`)).body.trustPolicies).toEqual([]);

      expect((await http(a).delete(`/api/user/trust-policies/${id}`).set('Authorization', `Bearer ${me.token}`)).status).toBe(204);
      expect((await http(a).delete(`/api/user/trust-policies/${id}`).set('Authorization', `Bearer ${me.token}`)).status).toBe(404);
      const events = (await allEvents(a, me.token)).map((e) => e.type);
      expect(events).toEqual(expect.arrayContaining(['trust_policy.created', 'trust_policy.updated', 'trust_policy.deleted']));
    });

    it('422s say what is wrong: untrusted issuer, no owner pinned, no permission, lifetime out of range, bad conditions', async () => {
      const me = await register(a);
      const base = { name: 'x', issuer: issuer.url, conditions: { repository_owner_id: '424242' }, permissions: { articles: 'read' } };
      const cases: Array<[Record<string, unknown>, Record<string, string[]>]> = [
        [{ issuer: 'https://evil.example' }, { issuer: [`is not trusted by this server (TRUSTED_ISSUERS: ${issuer.url}, https://gitlab.com)`] }],
        [{ issuer: `${issuer.url}/` }, { issuer: [`is not trusted by this server (TRUSTED_ISSUERS: ${issuer.url}, https://gitlab.com)`] }],
        [{ conditions: { ref: 'refs/heads/main', repository: 'acme/site' } }, {
          conditions: [`must pin an owner with one of sub, repository_owner_id, repository_id, namespace_id, project_id: everyone on ${issuer.url} shares the issuer, so other conditions alone would trust the whole world`],
        }],
        [{ permissions: { articles: 'none' } }, { permissions: ['must grant at least one permission'] }],
        [{ permissions: undefined }, { permissions: ["can't be blank"] }],
        [{ permissions: { articles: 'admin' } }, { permissions: [expect.stringContaining('admin') as unknown as string] }],
        [{ tokenLifetimeSeconds: 30 }, { tokenLifetimeSeconds: ['must be between 60 and 3600 seconds'] }],
        [{ tokenLifetimeSeconds: 3601 }, { tokenLifetimeSeconds: ['must be between 60 and 3600 seconds'] }],
        [{ conditions: { repository_owner_id: 424242 } }, { conditions: ['repository_owner_id must be a string (compare numbers as their digits, e.g. "424242")'] }],
        [{ conditions: 'repository_owner_id=1' }, { conditions: ['must be an object of claim names to strings'] }],
      ];
      for (const [change, errors] of cases) {
        const res = await http(a).post('/api/user/trust-policies').set('Authorization', `Bearer ${me.token}`).send({ trustPolicy: { ...base, ...change } });
        expect({ change, status: res.status, body: res.body }).toEqual({ change, status: 422, body: { errors } });
      }
      expect((await http(a).get('/api/user/trust-policies').set('Authorization', `Bearer ${me.token}`)).body.trustPolicies).toEqual([]);
    });

    it('are for sessions only: an API token is refused, even one with every permission', async () => {
      const me = await register(a);
      const token = await createToken(a, me.token, { permissions: { articles: 'write', comments: 'write', social: 'write', account: 'write' } });
      const res = await http(a).get('/api/user/trust-policies').set('Authorization', `Bearer ${token.raw}`);
      expect(res.status).toBe(403);
    });

  });

  describe('the exchange', () => {
    it('mints a conduit_ token with the policy’s permissions and lifetime, answered no-store; the owner sees the exchange', async () => {
      const me = await register(a);
      const policy = await createPolicy(a, me);
      const res = await exchange(a, good(policy.id, await issuer.sign(claims())), '203.0.113.77');
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toEqual({
        access_token: expect.stringMatching(/^conduit_/), issued_token_type: 'urn:ietf:params:oauth:token-type:access_token', token_type: 'Bearer', expires_in: 600,
      });
      const token = res.body.access_token as string;

      // Any instance authenticates it like any API token: account:read yes, articles:write yes, comments none.
      const current = await http(b).get('/api/user/api-tokens/current').set('Authorization', `Bearer ${token}`);
      expect(current.status).toBe(200);
      expect(current.body.apiToken.permissions).toEqual({ articles: 'write', comments: 'none', social: 'none', account: 'read' });
      const lifetime = new Date(current.body.apiToken.expiresAt).getTime() - new Date(current.body.apiToken.createdAt).getTime();
      expect(lifetime).toBe(600_000);
      expect((await http(b).get('/api/user').set('Authorization', `Bearer ${token}`)).status).toBe(200);
      expect((await http(b).put('/api/user').set('Authorization', `Bearer ${token}`).send({ user: { bio: 'x' } })).status).toBe(403);
      const article = await http(b).post('/api/articles').set('Authorization', `Bearer ${token}`).send({ article: { title: unique('CI '), description: 'd', body: 'b' } });
      expect(article.status).toBe(201);

      // It cannot renew itself, be widened, create tokens or take part in another exchange.
      expect((await http(b).post('/api/user/api-tokens/current/rotate').set('Authorization', `Bearer ${token}`)).body).toEqual({
        errors: { apiToken: ['was issued by a trust policy (Trusted CI); it cannot be rotated: exchange a new ID token instead'] },
      });
      const tokenId = current.body.apiToken.id as string;
      expect((await http(b).post(`/api/user/api-tokens/${tokenId}/rotate`).set('Authorization', `Bearer ${me.token}`)).status).toBe(403);
      expect((await http(b).patch(`/api/user/api-tokens/${tokenId}`).set('Authorization', `Bearer ${me.token}`).send({ apiToken: { permissions: { account: 'write' } } })).status).toBe(403);
      expect((await http(b).post('/api/user/api-tokens').set('Authorization', `Bearer ${token}`).send({ apiToken: { name: 'child' } })).status).toBe(403);
      const again = await http(b).post('/api/oauth/token').set('Authorization', `Bearer ${token}`).type('form').send(good(policy.id, await issuer.sign(claims())));
      expect({ status: again.status, body: again.body }).toEqual({
        status: 400, body: { error: 'invalid_request', error_description: 'send no Authorization header: the subject token is the credential' },
      });

      const listed = (await http(a).get('/api/user/trust-policies').set('Authorization', `Bearer ${me.token}`)).body.trustPolicies[0] as TrustPolicy;
      expect(listed.lastExchangedAt).not.toBeNull();
      expect(listed.recentExchanges).toEqual([{ at: expect.any(String), tokenId, repository: 'acme/site', ref: 'refs/heads/main', run: '987654321', ip: '203.0.113.77' }]);
      await a.get(SecurityEvents).flush();
      const exchanged = (await allEvents(a, me.token)).filter((e) => e.type === 'token.exchanged');
      expect(exchanged).toEqual([expect.objectContaining({
        tokenId, ip: '203.0.113.77', detail: { policyId: policy.id, policyName: policy.name, repository: 'acme/site', ref: 'refs/heads/main', run: '987654321' },
      })]);
    });

    it('accepts ES256 and the jwt token type; the policy’s allowlist goes with the token', async () => {
      const me = await register(a);
      const policy = await createPolicy(a, me, { allowedIps: ['203.0.113.0/24'] });
      const res = await exchange(a, { ...good(policy.id, await issuer.sign(claims(), { alg: 'ES256' })), subject_token_type: 'urn:ietf:params:oauth:token-type:jwt' });
      expect(res.status).toBe(200);
      const token = res.body.access_token as string;
      expect((await http(a).get('/api/user').set('X-Forwarded-For', '203.0.113.5').set('Authorization', `Bearer ${token}`)).status).toBe(200);
      const elsewhere = await http(a).get('/api/user').set('X-Forwarded-For', '198.51.100.5').set('Authorization', `Bearer ${token}`);
      expect(elsewhere.status).toBe(401);
      expect(elsewhere.body).toEqual({ errors: { token: ['is not allowed from 198.51.100.5'] } });
    });

    it('refuses each bad ID token with the same invalid_grant; the owner’s log has the exact reason', async () => {
      const me = await register(a);
      const policy = await createPolicy(a, me);
      const rsaKid = issuer.kids[0];
      const unpublishedKid = await issuer.addKey('RS256', { publish: false });
      const cases: Array<[string, Promise<string> | string, string]> = [
        ['audience of another service', issuer.sign(claims({ aud: 'https://other.example' })), 'audience: expected https://conduit.example.test, got https://other.example'],
        ['audience array', issuer.sign(claims({ aud: [AUDIENCE, 'https://other.example'] })), 'audience: must be a single string (a list of audiences is refused, even one that contains ours)'],
        ['expired', issuer.sign(claims({ exp: seconds() - 120, iat: seconds() - 420 })), 'expiry: expired at'],
        ['not yet valid', issuer.sign(claims({ nbf: seconds() + 300, exp: seconds() + 600 })), 'expiry: is not valid before'],
        ['no exp', issuer.sign(claims({ exp: undefined })), 'expiry: exp is missing'],
        ['alg none', issuer.unsigned(claims()), 'signature: algorithm none is refused (only RS256 or ES256)'],
        ['HMAC keyed with the public key', issuer.signHmacWithPublicKey(claims()), 'signature: algorithm HS256 is refused (only RS256 or ES256)'],
        ['unpublished key', issuer.sign(claims(), { kid: unpublishedKid }), `signature: was made with a key ${issuer.url} does not publish`],
        ['trailing slash on the issuer', issuer.sign(claims({ iss: `${issuer.url}/` })), `issuer: expected ${issuer.url}, got ${issuer.url}/`],
        ['wrong claim', issuer.sign(claims({ ref: 'refs/heads/dev' })), 'claim ref: expected refs/heads/main, got refs/heads/dev'],
        ['same repository name under another owner id', issuer.sign(claims({ repository_owner_id: '999999' })), 'claim repository_owner_id: expected 424242, got 999999'],
        ['a claim missing', issuer.sign(claims({ repository_owner_id: undefined })), 'claim repository_owner_id: expected 424242, got nothing'],
        ['tampered payload', issuer.sign(claims()).then((jwt) => {
          const [h, , s] = jwt.split('.');
          return `${h}.${Buffer.from(JSON.stringify(claims({ ref: 'refs/heads/main', repository: 'acme/site' }))).toString('base64url')}.${s}`;
        }), `signature: does not verify with the keys ${issuer.url} publishes`],
        ['not a JWT', 'not-a-jwt', 'signature: is not a JWT'],
      ];
      expect(rsaKid).toBeDefined();
      for (const [name, jwt, reason] of cases) {
        const res = await exchange(a, good(policy.id, await jwt));
        expect({ name, status: res.status, body: res.body, cache: res.headers['cache-control'] }).toEqual({ name, status: 400, body: REFUSED, cache: 'no-store' });
        const logged = await refusals(a, me);
        expect({ name, reason: logged.at(-1)?.detail.reason }).toEqual({ name, reason: expect.stringContaining(reason) });
        expect(logged.at(-1)?.detail.policyId).toBe(policy.id);
      }
      // Nothing was minted.
      expect((await http(a).get('/api/user/api-tokens').set('Authorization', `Bearer ${me.token}`)).body.apiTokens).toEqual([]);
    });

    it('an unknown policy gets the very same answer as a mismatch', async () => {
      const me = await register(a);
      const policy = await createPolicy(a, me);
      const mismatch = await exchange(a, good(policy.id, await issuer.sign(claims({ ref: 'refs/heads/dev' }))));
      const unknown = await exchange(a, good(randomUUID(), await issuer.sign(claims())));
      const notUuid = await exchange(a, good('acme', await issuer.sign(claims())));
      for (const res of [mismatch, unknown, notUuid]) {
        expect({ status: res.status, body: res.body, type: res.headers['content-type'] }).toEqual({ status: 400, body: REFUSED, type: mismatch.headers['content-type'] });
      }
    });

    it('each ID token is exchanged once, across instances (jti, or the hash of a token without one)', async () => {
      const me = await register(a);
      const policy = await createPolicy(a, me);
      const jwt = await issuer.sign(claims());
      expect((await exchange(a, good(policy.id, jwt))).status).toBe(200);
      expect((await exchange(b, good(policy.id, jwt))).body).toEqual(REFUSED);
      expect((await exchange(a, good(policy.id, jwt))).body).toEqual(REFUSED);
      // The same jti in another token is a replay too.
      const jti = randomUUID();
      expect((await exchange(b, good(policy.id, await issuer.sign(claims({ jti }))))).status).toBe(200);
      expect((await exchange(a, good(policy.id, await issuer.sign(claims({ jti, run_id: '2' }))))).body).toEqual(REFUSED);
      // No jti: the token's hash.
      const bare = await issuer.sign(claims({ jti: undefined }));
      expect((await exchange(a, good(policy.id, bare))).status).toBe(200);
      expect((await exchange(b, good(policy.id, bare))).body).toEqual(REFUSED);
      const logged = await refusals(a, me);
      expect(logged.map((e) => e.detail.reason)).toEqual(Array(4).fill('replay: this ID token has already been exchanged'));
    });

    it('answers malformed requests with invalid_request / unsupported_grant_type', async () => {
      const me = await register(a);
      const policy = await createPolicy(a, me);
      const jwt = await issuer.sign(claims());
      const cases: Array<[string, () => ReturnType<typeof exchange>, string, string]> = [
        ['missing subject_token', () => exchange(a, { grant_type: GRANT, subject_token_type: ID_TOKEN, client_id: policy.id }), 'invalid_request', 'subject_token is missing'],
        ['missing grant_type', () => exchange(a, { subject_token: jwt, subject_token_type: ID_TOKEN, client_id: policy.id }), 'invalid_request', 'grant_type is missing'],
        ['another grant', () => exchange(a, { ...good(policy.id, jwt), grant_type: 'client_credentials' }), 'unsupported_grant_type', `grant_type must be ${GRANT}`],
        ['another token type', () => exchange(a, { ...good(policy.id, jwt), subject_token_type: 'urn:ietf:params:oauth:token-type:saml2' }), 'invalid_request',
          'subject_token_type must be urn:ietf:params:oauth:token-type:id_token or urn:ietf:params:oauth:token-type:jwt'],
        ['duplicated parameter', () => http(a).post('/api/oauth/token').type('form').send(`${new URLSearchParams(good(policy.id, jwt))}&client_id=${randomUUID()}`),
          'invalid_request', 'client_id is sent more than once'],
        ['JSON body', () => http(a).post('/api/oauth/token').send(good(policy.id, jwt)), 'invalid_request', 'the body must be application/x-www-form-urlencoded'],
        ['Authorization header', () => exchange(a, good(policy.id, jwt)).set('Authorization', 'Basic YTpi'), 'invalid_request', 'send no Authorization header: the subject token is the credential'],
      ];
      for (const [name, send, error, description] of cases) {
        const res = await send();
        expect({ name, status: res.status, body: res.body, cache: res.headers['cache-control'] }).toEqual({ name, status: 400, body: { error, error_description: description }, cache: 'no-store' });
      }
      // None of them used the ID token up.
      expect((await exchange(a, good(policy.id, jwt))).status).toBe(200);
      // Forms are for the token endpoint only.
      const form = await http(a).post('/api/users/login').type('form').send({ email: me.email, password: me.password });
      expect(form.status).toBe(415);
    });

    it('deleting the policy on one instance revokes its live tokens on the other at once', async () => {
      const me = await register(a);
      const policy = await createPolicy(a, me);
      const minted = (await exchange(a, good(policy.id, await issuer.sign(claims())))).body.access_token as string;
      // b has authenticated it (its caches hold it).
      expect((await http(b).get('/api/user').set('Authorization', `Bearer ${minted}`)).status).toBe(200);
      expect((await http(a).delete(`/api/user/trust-policies/${policy.id}`).set('Authorization', `Bearer ${me.token}`)).status).toBe(204);
      const refused = await http(b).get('/api/user').set('Authorization', `Bearer ${minted}`);
      expect({ status: refused.status, body: refused.body }).toEqual({ status: 401, body: { errors: { token: ['has been revoked'] } } });
      // And the policy exchanges nothing more.
      expect((await exchange(b, good(policy.id, await issuer.sign(claims())))).body).toEqual(REFUSED);
      const revoked = (await allEvents(a, me.token)).filter((e) => e.type === 'token.revoked');
      expect(revoked).toEqual([expect.objectContaining({ detail: expect.objectContaining({ by: 'policy_deleted', policyId: policy.id }) })]);
      const inactive = await http(a).get('/api/user/api-tokens?state=inactive').set('Authorization', `Bearer ${me.token}`);
      expect(inactive.body.apiTokens[0]).toMatchObject({ state: 'revoked', endReason: 'policy_deleted' });
    });
  });

  describe('the test endpoint', () => {
    it('shows every check with what was expected and found, mints nothing and does not use the token up', async () => {
      const me = await register(a);
      const policy = await createPolicy(a, me);
      const wrong = await http(a).post(`/api/user/trust-policies/${policy.id}/test`).set('Authorization', `Bearer ${me.token}`)
        .send({ idToken: await issuer.sign(claims({ ref: 'refs/heads/dev' })) });
      expect(wrong.status).toBe(200);
      expect(wrong.body.wouldExchange).toBe(false);
      const checks = wrong.body.checks as Array<{ check: string; passed: boolean }>;
      expect(checks.slice(0, 4).map((c) => [c.check, c.passed])).toEqual([['signature', true], ['issuer', true], ['audience', true], ['expiry', true]]);
      expect(checks.slice(4).map((c) => [c.check, c.passed]).sort()).toEqual([['claim ref', false], ['claim repository', true], ['claim repository_owner_id', true]]);
      expect(checks.find((c) => c.check === 'claim ref')).toEqual({ check: 'claim ref', passed: false, expected: 'refs/heads/main', actual: 'refs/heads/dev', message: 'expected refs/heads/main, got refs/heads/dev' });
      expect(wrong.body.claims.repository).toBe('acme/site');

      const jwt = await issuer.sign(claims());
      const right = await http(a).post(`/api/user/trust-policies/${policy.id}/test`).set('Authorization', `Bearer ${me.token}`).send({ idToken: jwt });
      expect(right.body.wouldExchange).toBe(true);
      expect(right.body.checks.at(-1)).toEqual({ check: 'replay', passed: true, expected: 'not exchanged before', actual: 'not exchanged before', message: null });
      expect((await http(a).get('/api/user/api-tokens').set('Authorization', `Bearer ${me.token}`)).body.apiTokens).toEqual([]);
      expect((await exchange(a, good(policy.id, jwt))).status).toBe(200);
      const after = await http(a).post(`/api/user/trust-policies/${policy.id}/test`).set('Authorization', `Bearer ${me.token}`).send({ idToken: jwt });
      expect(after.body.wouldExchange).toBe(false);
      expect(after.body.checks.at(-1)).toMatchObject({ check: 'replay', passed: false, message: 'this ID token has already been exchanged' });

      const forged = await http(a).post(`/api/user/trust-policies/${policy.id}/test`).set('Authorization', `Bearer ${me.token}`).send({ idToken: issuer.unsigned(claims()) });
      expect(forged.body).toMatchObject({ wouldExchange: false, claims: null });
      expect(forged.body.checks[0]).toMatchObject({ check: 'signature', passed: false });
    });
  });

  describe('the issuer’s keys', () => {
    it('a rotation at the issuer is picked up on the first token with the new key (one refetch, at most about twice a minute)', async () => {
      const me = await register(a);
      const policy = await createPolicy(a, me);
      expect((await exchange(a, good(policy.id, await issuer.sign(claims())))).status).toBe(200);

      const newKid = await issuer.addKey('RS256', { publish: false });
      // A token with a kid nobody publishes yet: one refetch at most per 30 s, however many arrive.
      offsetMs = 31_000;
      const before = issuer.fetches.jwks;
      for (let i = 0; i < 3; i++) expect((await exchange(a, good(policy.id, await issuer.sign(claims(), { kid: newKid })))).body).toEqual(REFUSED);
      expect(issuer.fetches.jwks - before).toBe(1);

      issuer.publish([newKid, ...issuer.kids.filter((k) => k !== newKid).slice(0, 2)]);
      // Within the cooldown the new key is not fetched yet …
      expect((await exchange(a, good(policy.id, await issuer.sign(claims(), { kid: newKid })))).body).toEqual(REFUSED);
      // … after it, the first token signed with it makes us fetch, and is accepted.
      offsetMs = 62_000;
      expect((await exchange(a, good(policy.id, await issuer.sign(claims(), { kid: newKid })))).status).toBe(200);
      expect(issuer.fetches.jwks - before).toBe(2);
    });

  });

  // Apps of their own, started after the shared two are closed (Passport keeps the strategies of the
  // last app created: an app closed under the shared ones would take their database with it).
  describe('with apps of their own', () => {
    beforeAll(async () => {
      await a.close();
      await b.close();
    });

    it('TOKEN_MAX_LIFETIME caps the lifetime a policy may ask for', async () => {
      const capped = await startApp({ TRUSTED_ISSUERS: issuer.url, TOKEN_MAX_LIFETIME: '5m' });
      try {
        const me = await register(capped);
        const res = await http(capped).post('/api/user/trust-policies').set('Authorization', `Bearer ${me.token}`).send({
          trustPolicy: { name: 'x', issuer: issuer.url, conditions: { sub: 'repo:acme/site:ref:refs/heads/main' }, permissions: { articles: 'read' }, tokenLifetimeSeconds: 600 },
        });
        expect(res.status).toBe(422);
        expect(res.body.errors.tokenLifetimeSeconds).toEqual(['is beyond the maximum token lifetime of 300 seconds on this server (TOKEN_MAX_LIFETIME)']);
        const defaulted = await http(capped).post('/api/user/trust-policies').set('Authorization', `Bearer ${me.token}`).send({
          trustPolicy: { name: 'x', issuer: issuer.url, conditions: { sub: 'repo:acme/site:ref:refs/heads/main' }, permissions: { articles: 'read' } },
        });
        expect(defaulted.body.trustPolicy.tokenLifetimeSeconds).toBe(300);
      } finally {
        await capped.close();
      }
    });
    it('is throttled per address with the failed-authentication budget', async () => {
      const limited = await startApp({ TRUSTED_ISSUERS: issuer.url, AUTH_FAILURE_LIMIT: '3', TRUSTED_PROXIES: '127.0.0.1' });
      try {
        limited.get(Clock).now = now;
        const me = await register(limited);
        const policy = await createPolicy(limited, me);
        const from = `198.51.100.${Math.floor(Math.random() * 200) + 20}`;
        for (let i = 0; i < 3; i++) expect((await exchange(limited, good(randomUUID(), await issuer.sign(claims())), from)).status).toBe(400);
        const over = await exchange(limited, good(policy.id, await issuer.sign(claims())), from);
        expect(over.status).toBe(429);
        expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
        expect(over.body.error_description).toMatch(/^too many failed attempts from this address; retry in \d+ seconds$/);
        // Another address is not affected.
        expect((await exchange(limited, good(policy.id, await issuer.sign(claims())), '192.0.2.44')).status).toBe(200);
      } finally {
        await limited.close();
      }
    });

    it('when the issuer is down, the cached keys still verify (also once they are old)', async () => {
      const own = await TestIssuer.start();
      const app = await startApp({ TRUSTED_ISSUERS: own.url });
      try {
        app.get(Clock).now = now;
        const me = await register(app);
        const res = await http(app).post('/api/user/trust-policies').set('Authorization', `Bearer ${me.token}`).send({
          trustPolicy: { name: 'x', issuer: own.url, audience: AUDIENCE, conditions: { repository_owner_id: '424242' }, permissions: { articles: 'read' } },
        });
        const policyId = res.body.trustPolicy.id as string;
        const sign = (overrides: Record<string, unknown> = {}) => own.sign(claims({ iss: own.url, ...overrides }));
        expect((await exchange(app, good(policyId, await sign()))).status).toBe(200);
        await own.stop();
        expect((await exchange(app, good(policyId, await sign()))).status).toBe(200);
        // Past the keys' maximum age the refresh fails; the old keys are kept.
        offsetMs = 11 * 60_000;
        expect((await exchange(app, good(policyId, await sign()))).status).toBe(200);
      } finally {
        await app.close();
      }
    });
  });
});
