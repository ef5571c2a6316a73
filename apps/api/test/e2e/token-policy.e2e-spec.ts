import { createToken, http, register, startApp } from '../support/app';

jest.setTimeout(30_000);

const DAY = 86_400_000;

describe('token policy without limits (the default)', () => {
  it('GET /api/token-policy: no maximum, no inactivity revocation, every preset; Never allowed', async () => {
    const app = await startApp();
    try {
      const u = await register(app);
      const res = await http(app).get('/api/token-policy').set('Authorization', `Bearer ${u.token}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ tokenPolicy: { maxLifetimeSeconds: null, inactivityRevokeSeconds: null, allowedExpiryPresets: ['7d', '30d', '60d', '90d', '1y', 'never'] } });
      expect((await http(app).get('/api/token-policy')).status).toBe(401);
      const { raw } = await createToken(app, u.token, { expiresIn: 'never' });
      expect((await http(app).get('/api/token-policy').set('Authorization', `Bearer ${raw}`)).status).toBe(200);
      const doc = (await http(app).get('/api/docs/openapi.json')).body;
      const op = doc.paths['/api/token-policy'].get;
      expect(op.security).toEqual([{ bearer: [] }]);
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '401']));
      expect(doc.components.schemas.TokenPolicyDto.required).toEqual(['maxLifetimeSeconds', 'inactivityRevokeSeconds', 'allowedExpiryPresets']);
    } finally {
      await app.close();
    }
  });
});

describe('TOKEN_MAX_LIFETIME', () => {
  it('publishes the limit and the presets within it', async () => {
    const app = await startApp({ TOKEN_MAX_LIFETIME: '90d', TOKEN_INACTIVITY_REVOKE: '30d' });
    try {
      const u = await register(app);
      const res = await http(app).get('/api/token-policy').set('Authorization', `Bearer ${u.token}`);
      expect(res.body).toEqual({ tokenPolicy: { maxLifetimeSeconds: 90 * 86400, inactivityRevokeSeconds: 30 * 86400, allowedExpiryPresets: ['7d', '30d', '60d', '90d'] } });
    } finally {
      await app.close();
    }
  });

  it.each([
    [{ expiresIn: 'never' }, 'expiresIn', /^cannot be never: tokens on this server expire within 90 days \(TOKEN_MAX_LIFETIME\); choose an expiry up to \d{4}-\d\d-\d\dT/],
    [{ expiresIn: '1y' }, 'expiresIn', /^is beyond the maximum token lifetime of 90 days \(TOKEN_MAX_LIFETIME\); choose an expiry up to /],
    [{ expiresAt: new Date(Date.now() + 91 * DAY).toISOString() }, 'expiresAt', /^is beyond the maximum token lifetime of 90 days/],
  ])('creating with %j is a 422 on %s stating the limit, and creates nothing', async (expiry, field, message) => {
    const app = await startApp({ TOKEN_MAX_LIFETIME: '90d' });
    try {
      const u = await register(app);
      const res = await http(app).post('/api/user/api-tokens').set('Authorization', `Bearer ${u.token}`).send({ apiToken: { name: 'Too long', ...expiry } });
      expect(res.status).toBe(422);
      expect(Object.keys(res.body.errors)).toEqual([field]);
      expect(res.body.errors[field]).toEqual([expect.stringMatching(message)]);
      const list = await http(app).get('/api/user/api-tokens').set('Authorization', `Bearer ${u.token}`);
      expect(list.body.apiTokens).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('allows up to the limit; the default lifetime is cut to a shorter limit', async () => {
    const app = await startApp({ TOKEN_MAX_LIFETIME: '90d' });
    try {
      const u = await register(app);
      const ninety = await createToken(app, u.token, { expiresIn: '90d' });
      expect(Date.parse(ninety.body.apiToken.expiresAt as string) - Date.now()).toBeGreaterThan(89.9 * DAY);
      const custom = new Date(Date.now() + 89 * DAY).toISOString();
      expect((await createToken(app, u.token, { expiresAt: custom })).body.apiToken.expiresAt).toBe(custom);
    } finally {
      await app.close();
    }
    const short = await startApp({ TOKEN_MAX_LIFETIME: '10d' });
    try {
      const u = await register(short);
      const def = await createToken(short, u.token);
      const days = (Date.parse(def.body.apiToken.expiresAt as string) - Date.now()) / DAY;
      expect(days).toBeGreaterThan(9.99);
      expect(days).toBeLessThanOrEqual(10);
      const policy = await http(short).get('/api/token-policy').set('Authorization', `Bearer ${u.token}`);
      expect(policy.body.tokenPolicy.allowedExpiryPresets).toEqual(['7d']);
    } finally {
      await short.close();
    }
  });

  it('tokens that already exist keep working when a limit is introduced', async () => {
    const before = await startApp();
    let raw: string;
    let session: string;
    try {
      const u = await register(before);
      session = u.token;
      raw = (await createToken(before, u.token, { expiresIn: 'never' })).raw;
    } finally {
      await before.close();
    }
    const after = await startApp({ TOKEN_MAX_LIFETIME: '30d' });
    try {
      const res = await http(after).get('/api/user/api-tokens/current').set('Authorization', `Bearer ${raw}`);
      expect(res.status).toBe(200);
      expect(res.body.apiToken.expiresAt).toBeNull();
      const list = await http(after).get('/api/user/api-tokens').set('Authorization', `Bearer ${session}`);
      expect(list.body.apiTokens).toHaveLength(1);
    } finally {
      await after.close();
    }
  });
});
