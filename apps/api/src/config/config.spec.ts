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

  it('pooler settings: named statements off when a direct URL other than DATABASE_URL is given', () => {
    const direct = 'postgresql://u:p@db:5432/conduit';
    const pooled = 'postgresql://u:p@pgbouncer:6432/conduit';
    expect(loadConfig({ DATABASE_URL: direct })).toMatchObject({ databaseDirectUrl: direct, databasePreparedStatements: true, migrationsRun: true });
    expect(loadConfig({ DATABASE_URL: direct, DATABASE_DIRECT_URL: direct }).databasePreparedStatements).toBe(true);
    expect(loadConfig({ DATABASE_URL: pooled, DATABASE_DIRECT_URL: direct })).toMatchObject({ databaseDirectUrl: direct, databasePreparedStatements: false });
    expect(loadConfig({ DATABASE_URL: pooled, DATABASE_DIRECT_URL: direct, DATABASE_PREPARED_STATEMENTS: 'true' }).databasePreparedStatements).toBe(true);
    expect(loadConfig({ DATABASE_URL: direct, DATABASE_PREPARED_STATEMENTS: 'false' }).databasePreparedStatements).toBe(false);
    expect(loadConfig({ MIGRATIONS_RUN: 'false' }).migrationsRun).toBe(false);
    expect(() => loadConfig({ DATABASE_PREPARED_STATEMENTS: 'maybe' })).toThrow(/DATABASE_PREPARED_STATEMENTS/);
  });

  it('SHUTDOWN_GRACE: 10 s by default, any duration up to 10 minutes', () => {
    expect(loadConfig({}).shutdownGraceSeconds).toBe(10);
    expect(loadConfig({ SHUTDOWN_GRACE: '500ms' }).shutdownGraceSeconds).toBe(0.5);
    expect(loadConfig({ SHUTDOWN_GRACE: '0' }).shutdownGraceSeconds).toBe(0);
    expect(() => loadConfig({ SHUTDOWN_GRACE: '1h' })).toThrow(/SHUTDOWN_GRACE must be at most 10m/);
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

  it('reads PASSWORD_RESET_TTL (30 minutes by default, 1m to 24h) and PASSWORD_RESET_MAIL_LIMIT (3 by default)', () => {
    expect(loadConfig({})).toMatchObject({ passwordResetTtlSeconds: 1800, passwordResetMailLimit: 3 });
    expect(loadConfig({ PASSWORD_RESET_TTL: '15m', PASSWORD_RESET_MAIL_LIMIT: '5' })).toMatchObject({ passwordResetTtlSeconds: 900, passwordResetMailLimit: 5 });
    expect(() => loadConfig({ PASSWORD_RESET_TTL: '30s' })).toThrow(/PASSWORD_RESET_TTL must be between 1m and 24h/);
    expect(() => loadConfig({ PASSWORD_RESET_TTL: '2d' })).toThrow(/PASSWORD_RESET_TTL must be between 1m and 24h/);
    expect(() => loadConfig({ PASSWORD_RESET_MAIL_LIMIT: '0' })).toThrow(/PASSWORD_RESET_MAIL_LIMIT/);
  });

  it('reads mail, scheduler and token policy settings; PUBLIC_URL defaults to the printed address', () => {
    const d = loadConfig({ PORT: '3104' });
    expect(d).toMatchObject({ publicUrl: 'http://localhost:3104', smtpUrl: undefined, scheduler: true, schedulerPollIntervalSeconds: 15,
      mailMaxAttempts: 8, mailRetryDelaySeconds: 60, tokenMaxLifetimeSeconds: undefined, tokenInactivityRevokeSeconds: undefined });
    expect(loadConfig({ HOST: '127.0.0.1', PORT: '80' }).publicUrl).toBe('http://127.0.0.1:80');
    const c = loadConfig({ PUBLIC_URL: 'https://conduit.example.com/', SMTP_URL: 'smtp://u:p@mail.example.com:587', MAIL_FROM: 'Conduit <c@example.com>',
      SCHEDULER: 'false', SCHEDULER_POLL_INTERVAL: '5s', TOKEN_MAX_LIFETIME: '90d', TOKEN_INACTIVITY_REVOKE: '30d' });
    expect(c).toMatchObject({ publicUrl: 'https://conduit.example.com', smtpUrl: 'smtp://u:p@mail.example.com:587', mailFrom: 'Conduit <c@example.com>',
      scheduler: false, schedulerPollIntervalSeconds: 5, tokenMaxLifetimeSeconds: 90 * 86400, tokenInactivityRevokeSeconds: 30 * 86400 });
    expect(() => loadConfig({ SMTP_URL: 'mail.example.com' })).toThrow(/SMTP_URL: must be an smtp:\/\//);
    expect(() => loadConfig({ PUBLIC_URL: 'conduit.example.com' })).toThrow(/PUBLIC_URL: must be an http/);
    expect(() => loadConfig({ TOKEN_MAX_LIFETIME: 'forever' })).toThrow(/TOKEN_MAX_LIFETIME must be a duration/);
    expect(() => loadConfig({ TOKEN_INACTIVITY_REVOKE: '0' })).toThrow(/TOKEN_INACTIVITY_REVOKE must be at least 1 minute/);
    expect(() => loadConfig({ SCHEDULER_POLL_INTERVAL: '5m' })).toThrow(/between 1s and 60s/);
  });

  it("GITHUB_SECRET_SCANNING_KEYS_URL: GitHub's by default; https, or http for loopback hosts only", () => {
    expect(loadConfig({}).githubSecretScanningKeysUrl).toBe('https://api.github.com/meta/public_keys/secret_scanning');
    for (const url of ['https://keys.example.com/k', 'http://127.0.0.1:9999/k', 'http://127.8.0.1/k', 'http://[::1]:8080/k', 'http://localhost:1/k']) {
      expect(loadConfig({ GITHUB_SECRET_SCANNING_KEYS_URL: url }).githubSecretScanningKeysUrl).toBe(url);
    }
    for (const url of ['http://keys.example.com/k', 'http://10.0.0.1/k', 'http://127.0.0.1.example.com/k', 'ftp://127.0.0.1/k', 'not a url']) {
      expect(() => loadConfig({ GITHUB_SECRET_SCANNING_KEYS_URL: url })).toThrow(/GITHUB_SECRET_SCANNING_KEYS_URL must be an https:\/\/ URL \(http:\/\/ only for/);
    }
  });

  it('METRICS_PORT: off when unset; a port, on 127.0.0.1 unless METRICS_HOST says otherwise', () => {
    expect(loadConfig({})).toMatchObject({ metricsPort: undefined, metricsHost: '127.0.0.1' });
    expect(loadConfig({ METRICS_PORT: '9464', METRICS_HOST: '10.0.0.5' })).toMatchObject({ metricsPort: 9464, metricsHost: '10.0.0.5' });
    expect(() => loadConfig({ METRICS_PORT: 'ninety' })).toThrow(/METRICS_PORT/);
    expect(() => loadConfig({ METRICS_PORT: '70000' })).toThrow(/METRICS_PORT/);
  });
});

describe('TRUSTED_ISSUERS', () => {
  it('defaults to GitHub Actions and gitlab.com', () => {
    expect(loadConfig({}).trustedIssuers).toEqual(['https://token.actions.githubusercontent.com', 'https://gitlab.com']);
  });

  it('takes a comma-separated list; http only on loopback hosts', () => {
    expect(loadConfig({ TRUSTED_ISSUERS: 'https://gitlab.example.com, http://127.0.0.1:8080 ,http://localhost:9000,http://[::1]:7000' }).trustedIssuers).toEqual([
      'https://gitlab.example.com', 'http://127.0.0.1:8080', 'http://localhost:9000', 'http://[::1]:7000',
    ]);
  });

  it.each([
    ['http://gitlab.example.com', 'must use https://'],
    ['http://10.0.0.1', 'must use https://'],
    ['ftp://127.0.0.1', 'must use https://'],
    ['not a url', 'is not a URL'],
    ['https://issuer.example?x=1', 'must have no query, fragment or credentials'],
  ])('refuses %s at boot', (value, message) => {
    expect(() => loadConfig({ TRUSTED_ISSUERS: value })).toThrow(message);
  });
});
