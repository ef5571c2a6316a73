import * as path from 'node:path';
import { parseAllowlist } from '@conduit/contracts';
import { z } from 'zod';

/** The repository root (this file lives at apps/api/{src,dist}/config/). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

const DURATION = /^(\d+)\s*(ms|s|m|h|d)?$/;
const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };

/** "15m", "30d", "900" (seconds) → seconds. */
function durationSeconds(name: string) {
  return z
    .string()
    .trim()
    .transform((value, ctx) => {
      const m = DURATION.exec(value);
      if (!m) {
        ctx.addIssue({ code: 'custom', message: `${name} must be a duration such as 900, 15m, 12h or 30d` });
        return z.NEVER;
      }
      return Number(m[1]) * UNIT_SECONDS[m[2] ?? 's'];
    });
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

function int(min: number, max: number) {
  return z.coerce.number().int().min(min).max(max);
}

const secret = z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -base64 48`)').optional();

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
  AUTH_FAILURE_LIMIT: int(1, 1_000_000).default(60),
  AUTH_FAILURE_WINDOW: durationSeconds('AUTH_FAILURE_WINDOW').default(60),
  LAST_USED_TRACKING: bool().default(true),
  LAST_USED_INTERVAL: durationSeconds('LAST_USED_INTERVAL').default(60),
  SECURITY_LOG: bool().default(true),
  SECURITY_LOG_RETENTION: durationSeconds('SECURITY_LOG_RETENTION').default(90 * 86400),
  SECURITY_LOG_REFUSAL_WINDOW: durationSeconds('SECURITY_LOG_REFUSAL_WINDOW').default(60),
  LEAK_REPORT_LIMIT: int(1, 1_000_000).default(60),
  LEAK_REPORT_WINDOW: durationSeconds('LEAK_REPORT_WINDOW').default(3600),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CORS_ORIGINS: z.string().trim().default('*'),
  COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  WEB_DIST: z.string().trim().min(1).default(path.join(REPO_ROOT, 'apps', 'web', 'dist')),
});

export type AppConfig = Readonly<{
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  dataDir: string;
  trustedProxies: readonly string[];
  jwtSecret: string | undefined;
  tokenHashSecret: string | undefined;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
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
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  corsOrigins: '*' | string[];
  cookieSecure: 'auto' | boolean;
  webDist: string;
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
  return Object.freeze({
    env: c.NODE_ENV,
    port: c.PORT,
    host: c.HOST,
    databaseUrl: c.DATABASE_URL,
    databasePoolSize: c.DATABASE_POOL_SIZE,
    dataDir: path.resolve(c.DATA_DIR),
    trustedProxies: c.TRUSTED_PROXIES,
    jwtSecret: c.JWT_SECRET,
    tokenHashSecret: c.TOKEN_HASH_SECRET,
    accessTokenTtlSeconds: c.ACCESS_TOKEN_TTL,
    refreshTokenTtlSeconds: c.REFRESH_TOKEN_TTL,
    authFailureLimit: c.AUTH_FAILURE_LIMIT,
    authFailureWindowSeconds: c.AUTH_FAILURE_WINDOW,
    lastUsedTracking: c.LAST_USED_TRACKING,
    lastUsedIntervalSeconds: c.LAST_USED_INTERVAL,
    securityLog: c.SECURITY_LOG,
    securityLogRetentionSeconds: c.SECURITY_LOG_RETENTION,
    securityLogRefusalWindowSeconds: c.SECURITY_LOG_REFUSAL_WINDOW,
    leakReportLimit: c.LEAK_REPORT_LIMIT,
    leakReportWindowSeconds: c.LEAK_REPORT_WINDOW,
    logLevel: c.LOG_LEVEL,
    corsOrigins: c.CORS_ORIGINS === '*' ? '*' : c.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean),
    cookieSecure: c.COOKIE_SECURE === 'auto' ? 'auto' : c.COOKIE_SECURE === 'true',
    webDist: path.resolve(c.WEB_DIST),
  });
}

/** Injection token for the validated AppConfig. */
export const APP_CONFIG = Symbol('APP_CONFIG');
