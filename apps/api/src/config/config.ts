import { isIP } from 'node:net';
import * as path from 'node:path';
import { DEFAULT_TRUSTED_ISSUERS, parseAllowlist } from '@conduit/contracts';
import { issuerUrlProblem } from './issuer-url';
import { z } from 'zod';

/** The repository root (this file lives at apps/api/{src,dist}/config/). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

const DURATION = /^(\d+)\s*(ms|s|m|h|d)?$/;
const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };

/** "15m", "30d", "900" (seconds) → seconds; undefined when it is not a duration. */
export function parseDurationSeconds(value: string): number | undefined {
  const m = DURATION.exec(value.trim());
  return m ? Number(m[1]) * UNIT_SECONDS[m[2] ?? 's'] : undefined;
}

function durationSeconds(name: string) {
  return z
    .string()
    .trim()
    .transform((value, ctx) => {
      const seconds = parseDurationSeconds(value);
      if (seconds === undefined) {
        ctx.addIssue({ code: 'custom', message: `${name} must be a duration such as 900, 15m, 12h or 30d` });
        return z.NEVER;
      }
      return seconds;
    });
}

/** A positive duration, or unset (the policy is off). */
function optionalPolicyDuration(name: string) {
  return durationSeconds(name)
    .refine((seconds) => seconds >= 60, { message: `${name} must be at least 1 minute (e.g. 90d), or unset` })
    .optional();
}

function bool() {
  return z
    .string()
    .trim()
    .toLowerCase()
    .transform((value, ctx) => {
      if (['1', 'true', 'yes', 'on'].includes(value)) return true;
      if (['0', 'false', 'no', 'off'].includes(value)) return false;
      ctx.addIssue({ code: 'custom', message: 'must be true or false' });
      return z.NEVER;
    });
}

/** A loopback host: 127.0.0.0/8, ::1 or localhost (as `URL.hostname` writes them). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

/** An https:// URL; http:// only for a loopback host, so that tests and local servers work without weakening production. */
function httpsOrLoopbackUrl(name: string) {
  return z
    .string()
    .trim()
    .refine(
      (value) => {
        if (!URL.canParse(value)) return false;
        const url = new URL(value);
        return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
      },
      { message: `${name} must be an https:// URL (http:// only for 127.0.0.0/8, ::1 or localhost)` },
    );
}

function int(min: number, max: number) {
  return z.coerce.number().int().min(min).max(max);
}

/** How to make a secret, quoted wherever one is missing or too short. */
export const SECRET_HINT =
  "generate one with `openssl rand -base64 48` or `node -e \"console.log(require('crypto').randomBytes(48).toString('base64'))\"`";

const secret = z.string().min(32, `must be at least 32 characters (${SECRET_HINT})`).optional();

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: int(0, 65535).default(3000),
  HOST: z.string().trim().min(1).default('::'),
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATABASE_POOL_SIZE: int(1, 200).default(10),
  DATABASE_DIRECT_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATABASE_PREPARED_STATEMENTS: z.enum(['auto', 'true', 'false']).default('auto'),
  MIGRATIONS_RUN: bool().default(true),
  SHUTDOWN_GRACE: durationSeconds('SHUTDOWN_GRACE')
    .refine((seconds) => seconds <= 600, { message: 'SHUTDOWN_GRACE must be at most 10m' })
    .default(10),
  DATA_DIR: z.string().trim().min(1).default(path.join(REPO_ROOT, '.data')),
  TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((value, ctx) => {
      const parsed = parseAllowlist(value.split(/[\s,]+/));
      for (const error of parsed.errors) ctx.addIssue({ code: 'custom', message: error.message });
      return parsed.cidrs;
    }),
  JWT_SECRET: secret,
  TOKEN_HASH_SECRET: secret,
  ACCESS_TOKEN_TTL: durationSeconds('ACCESS_TOKEN_TTL').default(15 * 60),
  REFRESH_TOKEN_TTL: durationSeconds('REFRESH_TOKEN_TTL').default(30 * 86400),
  REAUTH_WINDOW: durationSeconds('REAUTH_WINDOW').default(10 * 60),
  AUTH_FAILURE_LIMIT: int(1, 1_000_000).default(60),
  AUTH_FAILURE_WINDOW: durationSeconds('AUTH_FAILURE_WINDOW').default(60),
  LAST_USED_TRACKING: bool().default(true),
  LAST_USED_INTERVAL: durationSeconds('LAST_USED_INTERVAL').default(60),
  SECURITY_LOG: bool().default(true),
  SECURITY_LOG_RETENTION: durationSeconds('SECURITY_LOG_RETENTION').default(90 * 86400),
  SECURITY_LOG_REFUSAL_WINDOW: durationSeconds('SECURITY_LOG_REFUSAL_WINDOW').default(60),
  LEAK_REPORT_LIMIT: int(1, 1_000_000).default(60),
  LEAK_REPORT_WINDOW: durationSeconds('LEAK_REPORT_WINDOW').default(3600),
  GITHUB_SECRET_SCANNING_KEYS_URL: httpsOrLoopbackUrl('GITHUB_SECRET_SCANNING_KEYS_URL').default(
    'https://api.github.com/meta/public_keys/secret_scanning',
  ),
  METRICS_PORT: int(0, 65535).optional(),
  METRICS_HOST: z.string().trim().min(1).default('127.0.0.1'),
  SIGNUP_LIMIT: int(1, 1_000_000).default(100),
  SIGNUP_WINDOW: durationSeconds('SIGNUP_WINDOW').default(3600),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CORS_ORIGINS: z.string().trim().default('*'),
  COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  WEB_DIST: z.string().trim().min(1).default(path.join(REPO_ROOT, 'apps', 'web', 'dist')),
  PUBLIC_URL: z
    .string()
    .trim()
    .regex(/^https?:\/\/[^/\s]+(\/[^\s]*)?$/, 'must be an http:// or https:// URL, e.g. https://conduit.example.com')
    .transform((value) => value.replace(/\/+$/, ''))
    .optional(),
  SMTP_URL: z
    .string()
    .trim()
    .regex(/^smtps?:\/\/[^/\s]+/, 'must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.com:587')
    .optional(),
  MAIL_FROM: z.string().trim().min(3).default('Conduit <no-reply@localhost>'),
  MAIL_MAX_ATTEMPTS: int(1, 100).default(8),
  MAIL_RETRY_DELAY: durationSeconds('MAIL_RETRY_DELAY').default(60),
  SCHEDULER: bool().default(true),
  SCHEDULER_POLL_INTERVAL: durationSeconds('SCHEDULER_POLL_INTERVAL')
    .refine((seconds) => seconds >= 1 && seconds <= 60, { message: 'SCHEDULER_POLL_INTERVAL must be between 1s and 60s' })
    .default(15),
  TOKEN_MAX_LIFETIME: optionalPolicyDuration('TOKEN_MAX_LIFETIME'),
  TOKEN_INACTIVITY_REVOKE: optionalPolicyDuration('TOKEN_INACTIVITY_REVOKE'),
  TRUSTED_ISSUERS: z
    .string()
    .default(DEFAULT_TRUSTED_ISSUERS.join(','))
    .transform((value, ctx) => {
      const issuers = [...new Set(value.split(',').map((v) => v.trim()).filter(Boolean))];
      for (const issuer of issuers) {
        const problem = issuerUrlProblem(issuer);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }
      return issuers;
    }),
  PASSWORD_RESET_TTL: durationSeconds('PASSWORD_RESET_TTL')
    .refine((seconds) => seconds >= 60 && seconds <= 86400, { message: 'PASSWORD_RESET_TTL must be between 1m and 24h' })
    .default(30 * 60),
  PASSWORD_RESET_MAIL_LIMIT: int(1, 100).default(3),
});

export type AppConfig = Readonly<{
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  databaseUrl: string | undefined;
  /** No DATABASE_URL was given: the server runs its own PostgreSQL in DATA_DIR. */
  embeddedDatabase: boolean;
  databasePoolSize: number;
  /**
   * A direct connection to PostgreSQL (no pooler) for what needs a session of its own: the
   * migrations' advisory lock. Defaults to databaseUrl.
   */
  databaseDirectUrl: string | undefined;
  /**
   * Named server-side prepared statements on the per-request queries. Off through a
   * transaction-mode pooler (PgBouncer < 1.21, or max_prepared_statements = 0); by default off
   * when DATABASE_DIRECT_URL is set to another URL (which says that DATABASE_URL is a pooler).
   */
  databasePreparedStatements: boolean;
  /** Whether this instance runs pending migrations at start (under an advisory lock). */
  migrationsRun: boolean;
  /** After SIGTERM: how long readiness answers 503 while requests are still served. */
  shutdownGraceSeconds: number;
  dataDir: string;
  trustedProxies: readonly string[];
  jwtSecret: string | undefined;
  tokenHashSecret: string | undefined;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /** How long after a password sign-in (or re-authentication) sensitive actions are allowed. */
  reauthWindowSeconds: number;
  authFailureLimit: number;
  authFailureWindowSeconds: number;
  lastUsedTracking: boolean;
  lastUsedIntervalSeconds: number;
  /** Off: nothing is written to the security log (benchmarks only). */
  securityLog: boolean;
  securityLogRetentionSeconds: number;
  /** Refusals of one token, reason and address within this window are one event. */
  securityLogRefusalWindowSeconds: number;
  leakReportLimit: number;
  leakReportWindowSeconds: number;
  /** GitHub's secret-scanning public keys (a loopback http:// URL in tests). */
  githubSecretScanningKeysUrl: string;
  /** Where `GET /metrics` is served (a listener of its own); undefined: metrics are not served. */
  metricsPort: number | undefined;
  metricsHost: string;
  /** Sign-up attempts per client address (IPv6: per /64) per window. */
  signupLimit: number;
  signupWindowSeconds: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  corsOrigins: '*' | string[];
  cookieSecure: 'auto' | boolean;
  webDist: string;
  /** The address people reach the app at (links in mail); default: the address the server prints. */
  publicUrl: string;
  /** Unset: no mail (notifications in the app only). The URL carries credentials: never log it. */
  smtpUrl: string | undefined;
  mailFrom: string;
  mailMaxAttempts: number;
  /** The first retry's delay; each further one doubles it. */
  mailRetryDelaySeconds: number;
  /** Whether this instance runs scheduled jobs on its own timer (tests turn it off and tick). */
  scheduler: boolean;
  schedulerPollIntervalSeconds: number;
  /** Longest lifetime a new or rotated token may have; undefined: no limit (Never allowed). */
  tokenMaxLifetimeSeconds: number | undefined;
  /** Unused this long, a token is revoked; undefined: never. */
  tokenInactivityRevokeSeconds: number | undefined;
  /** OIDC issuers whose ID tokens trust policies may accept (exact `iss` values). */
  trustedIssuers: readonly string[];
  /** How long a password reset link is valid (it is valid once). */
  passwordResetTtlSeconds: number;
  /** At most this many reset mails per account per hour; further requests send nothing (and say nothing). */
  passwordResetMailLimit: number;
}>;

export class ConfigError extends Error {}

/**
 * Reads and validates the environment. The only place in the API that reads `process.env`.
 * Throws a ConfigError listing every problem, one per line.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const input = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(input);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.') || 'config'}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = result.data;
  // An external database in production: generated keys would have to live on some instance's
  // disk (or in the database they protect), so the deployment must provide them.
  if (c.NODE_ENV === 'production' && c.DATABASE_URL !== undefined) {
    const missing = (['JWT_SECRET', 'TOKEN_HASH_SECRET'] as const).filter((name) => c[name] === undefined);
    if (missing.length > 0) {
      const lines = missing.map((name) => `  ${name}: is required in production with an external DATABASE_URL; ${SECRET_HINT}`);
      throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
    }
  }
  return Object.freeze({
    env: c.NODE_ENV,
    port: c.PORT,
    host: c.HOST,
    databaseUrl: c.DATABASE_URL,
    embeddedDatabase: c.DATABASE_URL === undefined,
    databasePoolSize: c.DATABASE_POOL_SIZE,
    databaseDirectUrl: c.DATABASE_DIRECT_URL ?? c.DATABASE_URL,
    databasePreparedStatements:
      c.DATABASE_PREPARED_STATEMENTS === 'auto'
        ? c.DATABASE_DIRECT_URL === undefined || c.DATABASE_DIRECT_URL === c.DATABASE_URL
        : c.DATABASE_PREPARED_STATEMENTS === 'true',
    migrationsRun: c.MIGRATIONS_RUN,
    shutdownGraceSeconds: c.SHUTDOWN_GRACE,
    dataDir: path.resolve(c.DATA_DIR),
    trustedProxies: c.TRUSTED_PROXIES,
    jwtSecret: c.JWT_SECRET,
    tokenHashSecret: c.TOKEN_HASH_SECRET,
    accessTokenTtlSeconds: c.ACCESS_TOKEN_TTL,
    refreshTokenTtlSeconds: c.REFRESH_TOKEN_TTL,
    reauthWindowSeconds: c.REAUTH_WINDOW,
    authFailureLimit: c.AUTH_FAILURE_LIMIT,
    authFailureWindowSeconds: c.AUTH_FAILURE_WINDOW,
    lastUsedTracking: c.LAST_USED_TRACKING,
    lastUsedIntervalSeconds: c.LAST_USED_INTERVAL,
    securityLog: c.SECURITY_LOG,
    securityLogRetentionSeconds: c.SECURITY_LOG_RETENTION,
    securityLogRefusalWindowSeconds: c.SECURITY_LOG_REFUSAL_WINDOW,
    leakReportLimit: c.LEAK_REPORT_LIMIT,
    leakReportWindowSeconds: c.LEAK_REPORT_WINDOW,
    githubSecretScanningKeysUrl: c.GITHUB_SECRET_SCANNING_KEYS_URL,
    metricsPort: c.METRICS_PORT,
    metricsHost: c.METRICS_HOST,
    signupLimit: c.SIGNUP_LIMIT,
    signupWindowSeconds: c.SIGNUP_WINDOW,
    logLevel: c.LOG_LEVEL,
    corsOrigins: c.CORS_ORIGINS === '*' ? '*' : c.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean),
    cookieSecure: c.COOKIE_SECURE === 'auto' ? 'auto' : c.COOKIE_SECURE === 'true',
    webDist: path.resolve(c.WEB_DIST),
    publicUrl: c.PUBLIC_URL ?? printedAddress(c.HOST, c.PORT),
    smtpUrl: c.SMTP_URL,
    mailFrom: c.MAIL_FROM,
    mailMaxAttempts: c.MAIL_MAX_ATTEMPTS,
    mailRetryDelaySeconds: c.MAIL_RETRY_DELAY,
    scheduler: c.SCHEDULER,
    schedulerPollIntervalSeconds: c.SCHEDULER_POLL_INTERVAL,
    tokenMaxLifetimeSeconds: c.TOKEN_MAX_LIFETIME,
    tokenInactivityRevokeSeconds: c.TOKEN_INACTIVITY_REVOKE,
    trustedIssuers: Object.freeze(c.TRUSTED_ISSUERS),
    passwordResetTtlSeconds: c.PASSWORD_RESET_TTL,
    passwordResetMailLimit: c.PASSWORD_RESET_MAIL_LIMIT,
  });
}

/** The address the server prints when it starts (a wildcard host shows as localhost). */
export function printedAddress(host: string, port: number): string {
  const shown = host === '::' || host === '0.0.0.0' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}

/** Injection token for the validated AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');
