import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { AppOptions, createApp } from '../../src/app.factory';
import { AppConfig, loadConfig } from '../../src/config/config';


/**
 * Boots the real AppModule on Fastify against the run's PostgreSQL (DATABASE_URL from global
 * setup). `env` overrides configuration the way environment variables would.
 */
export async function startApp(
  env: Record<string, string> = {},
  options: AppOptions & { beforeInit?: (app: NestFastifyApplication) => void } = {},
): Promise<NestFastifyApplication> {
  const config: AppConfig = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: process.env.DATABASE_URL,
    DATABASE_POOL_SIZE: '4',
    WEB_DIST: '/nonexistent',
    DATA_DIR: process.env.CONDUIT_E2E_DATA_DIR!,
    // Every test calls from 127.0.0.1: only the throttling tests want a low limit.
    AUTH_FAILURE_LIMIT: '100000',
    // The leak-report limit is shared through the database by every app of the run (the fuzz test
    // alone sends dozens of reports from 127.0.0.1): the throttle test sets its own low limit.
    LEAK_REPORT_LIMIT: '100000',
    // Sign-ups too (every test signs up its users from 127.0.0.1): the sign-up test sets its own.
    SIGNUP_LIMIT: '100000',
    // Scheduled jobs run when a test says so (scheduler.tick() / run()), never behind its back.
    SCHEDULER: 'false',
    ...env,
  });
  const app = await createApp(config, options);
  options.beforeInit?.(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

/** Unique names so that tests never share rows. */
let counter = 0;
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${process.pid.toString(36)}${counter}`;
}

export interface Registered {
  username: string;
  email: string;
  password: string;
  token: string;
  cookie: string;
}

export async function register(app: NestFastifyApplication, overrides: Partial<{ username: string; email: string; password: string }> = {}): Promise<Registered> {
  const username = overrides.username ?? unique('u');
  const email = overrides.email ?? `${username}@example.test`;
  const password = overrides.password ?? 'correct horse battery';
  const res = await request(app.getHttpServer()).post('/api/users').send({ user: { username, email, password } });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  return { username, email, password, token: res.body.user.token, cookie: setCookie[0]?.split(';')[0] ?? '' };
}

export const http = (app: NestFastifyApplication) => request(app.getHttpServer());

/** Listens on a real address (e.g. '::1' or '127.0.0.1') and returns a base URL for fetch. */
export async function listen(app: NestFastifyApplication, host: string): Promise<string> {
  await app.listen({ port: 0, host });
  const address = app.getHttpServer().address() as import('node:net').AddressInfo;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

/** Creates an API token with a session; returns the raw token and its id. */
export async function createToken(
  app: NestFastifyApplication,
  session: string,
  apiToken: Record<string, unknown> = {},
): Promise<{ raw: string; id: string; body: { apiToken: Record<string, unknown>; token: string } }> {
  const res = await request(app.getHttpServer())
    .post('/api/user/api-tokens')
    .set('Authorization', `Bearer ${session}`)
    .send({ apiToken: { name: unique('token '), ...apiToken } });
  if (res.status !== 201) throw new Error(`create token failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { raw: res.body.token, id: res.body.apiToken.id, body: res.body };
}

/** The token with its last character changed (to one it is not: a token may end in any letter). */
export function tamper(raw: string): string {
  return `${raw.slice(0, -1)}${raw.endsWith('x') ? 'y' : 'x'}`;
}
