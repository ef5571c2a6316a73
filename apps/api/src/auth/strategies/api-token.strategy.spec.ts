import { createSecretKey } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { AllowlistCache } from '../../api-tokens/allowlist-cache';
import type { LastUsedTracker } from '../../api-tokens/last-used.tracker';
import { generateApiToken, hashApiToken } from '../../api-tokens/token-codec';
import { ClientIpResolver } from '../../common/client-ip';
import type { Clock } from '../../common/clock';
import type { SecretsService } from '../../config/secrets.service';
import type { PgStatements } from '../../database/pg-statements';
import { authFailureOf } from '../auth-failure';
import { ApiTokenStrategy } from './api-token.strategy';

describe('ApiTokenStrategy.validate', () => {
  const key = createSecretKey(Buffer.from('k'.repeat(32)));
  const now = new Date('2026-06-01T00:00:00Z');
  let queries: unknown[][];
  let rows: Record<string, unknown>[];
  // What the query returns for allowed_ips: the list, unless the caller holds the row's version.
  const statements = {
    query: async (name: string, _text: string, values: unknown[]) => {
      queries.push([name, ...values]);
      return rows.map((r) => ({ ...r, allowed_ips: values[1] === r.version ? null : r.allowed_ips }));
    },
  } as unknown as PgStatements;
  const recorded: unknown[][] = [];
  const strategy = new ApiTokenStrategy(
    { tokenHashKey: key } as SecretsService,
    statements,
    new ClientIpResolver({ trustedProxies: [] }),
    { now: () => now } as Clock,
    new AllowlistCache(),
    { record: (...args: unknown[]) => recorded.push(args) } as unknown as LastUsedTracker,
  );
  const request = (authorization: string) =>
    ({ headers: { authorization }, raw: { socket: { remoteAddress: '::ffff:198.51.100.4' }, headers: {} } }) as unknown as FastifyRequest;
  let nextId = 0;
  const row = (overrides: Record<string, unknown> = {}) => ({
    token_id: `t${++nextId}`, version: 1, allowed_ips: [], expires_ms: null, revoked_ms: null, retires_ms: null,
    last_used_ms: null, permissions: 170, recent_ips: '[]', id: 'u1', username: 'jake', email: 'j@x.test', bio: null, image: null, timezone: 'UTC',
    ...overrides,
  });

  beforeEach(() => {
    queries = [];
    rows = [];
    recorded.length = 0;
  });

  it('refuses a malformed token (bad checksum, length or alphabet) without querying the database', async () => {
    const raw = generateApiToken();
    for (const bad of [raw.slice(0, -1) + (raw.endsWith('a') ? 'b' : 'a'), raw.slice(0, -2), `${raw}x`, raw.replace(/.$/, '!')]) {
      const req = request(`Bearer ${bad}`);
      expect(await strategy.validate(req, bad)).toBeNull();
      expect(authFailureOf(req)).toBe('is invalid');
    }
    expect(queries).toEqual([]);
  });

  it('leaves non-token credentials (a bad JWT) to the JWT strategy, also without a query', async () => {
    const req = request('Bearer eyJhbGciOiJIUzI1NiJ9.e30.x');
    expect(await strategy.validate(req, 'eyJhbGciOiJIUzI1NiJ9.e30.x')).toBeNull();
    expect(authFailureOf(req)).toBeUndefined();
    expect(queries).toEqual([]);
  });

  it('looks the token up by its keyed hash in one query, telling it the allowlist version held here', async () => {
    const raw = generateApiToken();
    const hash = hashApiToken(raw, key);
    rows = [row({ allowed_ips: ['198.51.100.0/24'] })];
    const id = rows[0].token_id;
    const principal = await strategy.validate(request(`Bearer ${raw}`), raw);
    expect(queries).toEqual([['auth_api_token', hash, 0]]);
    expect(principal).toMatchObject({ kind: 'api-token', clientIp: '198.51.100.4', user: { id: 'u1' }, token: { id, permissions: { articles: 'write', comments: 'write', social: 'write', account: 'write' } } });
    expect(recorded).toEqual([[id, '198.51.100.4', null, '[]', 'u1', undefined]]);
    expect(await strategy.validate(request(`Bearer ${raw}`), raw)).not.toBeNull();
    expect(queries).toEqual([['auth_api_token', hash, 0], ['auth_api_token', hash, 1]]);
  });

  it('applies an edited allowlist (a new version) to the very next request, still in one query', async () => {
    const raw = generateApiToken();
    const hash = hashApiToken(raw, key);
    rows = [row({ allowed_ips: ['198.51.100.0/24'] })];
    expect(await strategy.validate(request(`Bearer ${raw}`), raw)).not.toBeNull();
    rows = [{ ...rows[0], version: 2, allowed_ips: ['203.0.113.0/24'] }];
    const req = request(`Bearer ${raw}`);
    expect(await strategy.validate(req, raw)).toBeNull();
    expect(authFailureOf(req)).toBe('is not allowed from 198.51.100.4');
    rows = [{ ...rows[0], version: 3, allowed_ips: [] }];
    expect(await strategy.validate(request(`Bearer ${raw}`), raw)).not.toBeNull();
    expect(await strategy.validate(request(`Bearer ${raw}`), raw)).not.toBeNull();
    expect(queries.map((q) => q[2])).toEqual([0, 1, 2, 3]);
    expect(queries.every((q) => q[0] === 'auth_api_token' && (q[1] as Buffer).equals(hash))).toBe(true);
  });

  it.each([
    [{ revoked_ms: now.getTime() - 1 }, 'has been revoked'],
    [{ revoked_ms: now.getTime() - 1, retires_ms: now.getTime() + 60_000 }, 'has been revoked'],
    [{ expires_ms: now.getTime() }, 'has expired'],
    [{ retires_ms: now.getTime() }, 'has been rotated'],
    [{ retires_ms: now.getTime() - 1, expires_ms: now.getTime() + 86_400_000 }, 'has been rotated'],
    [{ allowed_ips: ['2001:db8::/32', '10.0.0.0/8'] }, 'is not allowed from 198.51.100.4'],
  ])('refuses %j: "%s", and records no use', async (overrides, reason) => {
    const raw = generateApiToken();
    rows = [row(overrides)];
    const req = request(`Bearer ${raw}`);
    expect(await strategy.validate(req, raw)).toBeNull();
    expect(authFailureOf(req)).toBe(reason);
    expect(recorded).toEqual([]);
  });

  it('lets a retiring token in until its overlap ends, announcing that end as its expiry', async () => {
    const raw = generateApiToken();
    const retires = now.getTime() + 1;
    rows = [row({ retires_ms: retires, expires_ms: now.getTime() + 86_400_000 })];
    const principal = await strategy.validate(request(`Bearer ${raw}`), raw);
    expect(principal?.token.expiresAt).toEqual(new Date(retires));
  });

  it('lets a database outage through to the guard (which answers 503), never a refusal or a pass', async () => {
    const raw = generateApiToken();
    const down = new ApiTokenStrategy(
      { tokenHashKey: key } as SecretsService,
      { query: async () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })) } as unknown as PgStatements,
      new ClientIpResolver({ trustedProxies: [] }),
      { now: () => now } as Clock,
      new AllowlistCache(),
      { record: () => undefined } as unknown as LastUsedTracker,
    );
    await expect(down.validate(request(`Bearer ${raw}`), raw)).rejects.toThrow('ECONNREFUSED');
  });
});
