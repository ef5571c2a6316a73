import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('has working defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 3000, host: '::', databaseUrl: undefined, trustedProxies: [], accessTokenTtlSeconds: 900, authFailureLimit: 60, lastUsedTracking: true, corsOrigins: '*' });
  });

  it('parses durations, lists and booleans', () => {
    const c = loadConfig({ ACCESS_TOKEN_TTL: '5m', REFRESH_TOKEN_TTL: '7d', TRUSTED_PROXIES: '10.0.0.0/8, 127.0.0.1 ::1', LAST_USED_TRACKING: 'off', CORS_ORIGINS: 'https://a.test,https://b.test' });
    expect(c.accessTokenTtlSeconds).toBe(300);
    expect(c.refreshTokenTtlSeconds).toBe(7 * 86400);
    expect(c.trustedProxies).toEqual(['10.0.0.0/8', '127.0.0.1/32', '::1/128']);
    expect(c.lastUsedTracking).toBe(false);
    expect(c.corsOrigins).toEqual(['https://a.test', 'https://b.test']);
  });

  it('refuses bad values with one clear line per problem', () => {
    expect(() => loadConfig({ PORT: 'eighty', TRUSTED_PROXIES: '10.0.0.1/8', JWT_SECRET: 'short', DATABASE_URL: 'mysql://x' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', TRUSTED_PROXIES: '10.0.0.1/8', JWT_SECRET: 'short', DATABASE_URL: 'mysql://x' });
    } catch (e) {
      const message = (e as Error).message;
      expect(message).toMatch(/PORT:/);
      expect(message).toMatch(/TRUSTED_PROXIES: "10.0.0.1\/8": host bits are set; did you mean 10.0.0.0\/8\?/);
      expect(message).toMatch(/JWT_SECRET: must be at least 32 characters/);
      expect(message).toMatch(/DATABASE_URL: must be a postgres/);
    }
  });

  it('refuses to start in production with an external database and no secrets, saying how to make them', () => {
    const base = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/conduit' };
    expect(() => loadConfig(base)).toThrow(ConfigError);
    try {
      loadConfig({ ...base, JWT_SECRET: 'x'.repeat(40) });
      throw new Error('accepted');
    } catch (e) {
      const message = (e as Error).message;
      expect(message).not.toMatch(/JWT_SECRET/);
      expect(message).toMatch(/TOKEN_HASH_SECRET: is required in production with an external DATABASE_URL/);
      expect(message).toMatch(/openssl rand -base64 48/);
      expect(message).toMatch(/randomBytes\(48\)/);
    }
    const ok = loadConfig({ ...base, JWT_SECRET: 'x'.repeat(40), TOKEN_HASH_SECRET: 'y'.repeat(40) });
    expect(ok.embeddedDatabase).toBe(false);
    // the embedded database (no DATABASE_URL) and other environments generate them instead
    expect(loadConfig({ NODE_ENV: 'production' }).embeddedDatabase).toBe(true);
    expect(() => loadConfig({ NODE_ENV: 'development', DATABASE_URL: 'postgres://db/conduit' })).not.toThrow();
  });

  it('reads REAUTH_WINDOW as a duration, 10 minutes by default', () => {
    expect(loadConfig({}).reauthWindowSeconds).toBe(600);
    expect(loadConfig({ REAUTH_WINDOW: '2m' }).reauthWindowSeconds).toBe(120);
  });
});
