import { createSecretKey, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { encodePermissions } from '@conduit/contracts';
import { ENDED_TOKENS } from './ended-tokens';
import type { AppConfig } from '../config/config';
import type { Clock } from '../common/clock';
import type { SecretsService } from '../config/secrets.service';
import { dataSourceOptions } from '../database/data-source';
import { Db } from '../database/db';
import type { SecurityEvents } from '../security-log/security-events.service';
import { AllowlistCache } from './allowlist-cache';
import { ApiTokenEntity } from './api-token.entity';
import { ApiTokensRepository } from './api-tokens.repository';
import { LastUsedTracker } from './last-used.tracker';
import { TokenAuthenticator } from './token-authenticator';
import { apiTokenHint, generateApiToken, hashApiToken } from './token-codec';
import { TokenUserCache } from './token-user-cache';

/** The authenticator against the run's real PostgreSQL: real rows, the real statements. */
describe('TokenAuthenticator', () => {
  const key = createSecretKey(randomBytes(32));
  const secrets = { tokenHashKey: key } as SecretsService;
  let now = new Date('2030-06-01T12:00:00Z');
  const clock = { now: () => now } as Clock;
  let dataSource: DataSource;
  let statements: Db;
  let tokens: ApiTokensRepository;
  let tracker: LastUsedTracker;
  let authenticator: TokenAuthenticator;
  let userId: string;
  const events: Array<{ type: string }> = [];

  beforeAll(async () => {
    dataSource = new DataSource({ ...dataSourceOptions(process.env.DATABASE_URL!, 2), entities: [ApiTokenEntity], migrationsRun: false });
    await dataSource.initialize();
    statements = new Db(dataSource, { databasePreparedStatements: true } as AppConfig);
    tokens = new ApiTokensRepository(dataSource.getRepository(ApiTokenEntity), statements);
    tracker = new LastUsedTracker({ lastUsedTracking: true, lastUsedIntervalSeconds: 60 } as AppConfig, tokens, clock, {
      record: (e: { type: string }) => void events.push(e),
    } as unknown as SecurityEvents);
    authenticator = new TokenAuthenticator(secrets, tokens, clock, new AllowlistCache(), tracker, new TokenUserCache());
    const name = `auth${randomBytes(6).toString('hex')}`;
    [{ id: userId }] = await dataSource.query(
      `INSERT INTO users (username, email, password_hash, bio, timezone) VALUES ($1, $2, 'x', 'b', 'Europe/Paris') RETURNING id`,
      [name, `${name}@example.test`],
    );
  });
  afterAll(async () => {
    await tracker.flush();
    await dataSource.destroy();
  });
  afterEach(() => {
    now = new Date('2030-06-01T12:00:00Z');
    jest.restoreAllMocks();
  });

  async function issue(fields: Partial<Pick<ApiTokenEntity, 'allowedIps' | 'expiresAt' | 'permissions'>> = {}): Promise<{ raw: string; token: ApiTokenEntity }> {
    const raw = generateApiToken();
    const token = await tokens.insert({
      userId, name: 'ci', tokenHash: hashApiToken(raw, key), hint: apiTokenHint(raw), allowedIps: [], expiresAt: null,
      createdAt: now, permissions: 170, ...fields,
    });
    return { raw, token };
  }

  it('a usable token: the principal (user, permissions, expiry) in one query, and its use recorded', async () => {
    const expiresAt = new Date('2030-07-01T00:00:00Z');
    const { raw, token } = await issue({ expiresAt, permissions: encodePermissions({ articles: 'read', comments: 'none', social: 'write', account: 'none' }) });
    const query = jest.spyOn(statements, 'query');
    const principal = await authenticator.authenticate(raw, '198.51.100.7', 'curl/8');
    expect(query).toHaveBeenCalledTimes(2); // authentication, then the (unawaited) first-use write
    expect(query.mock.calls[0][2]).toBe('auth_api_token_user'); // the first request here: the token with its user
    expect(principal).toEqual({
      kind: 'api-token',
      clientIp: '198.51.100.7',
      user: expect.objectContaining({ id: userId, bio: 'b', image: null, timezone: 'Europe/Paris' }),
      token: { id: token.id, expiresAt, permissions: { articles: 'read', comments: 'none', social: 'write', account: 'none' }, minted: false },
    });
    await tracker.flush();
    const [row] = await dataSource.query('SELECT last_used_at, last_used_ip, recent_ips FROM api_tokens WHERE id = $1', [token.id]);
    expect(row).toEqual({ last_used_at: now, last_used_ip: '198.51.100.7', recent_ips: [{ ip: '198.51.100.7', lastSeenAt: now.toISOString() }] });
    expect(events.map((e) => e.type)).toContain('token.first_used');
  });

  it('malformed strings are refused without a query; unknown tokens after one', async () => {
    const raw = generateApiToken();
    const query = jest.spyOn(statements, 'query');
    for (const bad of [raw.slice(0, -1), `${raw}x`, raw.replace(/.$/, '!'), 'conduit_']) {
      expect(await authenticator.authenticate(bad, '127.0.0.1', undefined)).toEqual({ kind: 'refused', message: 'is invalid' });
    }
    expect(query).not.toHaveBeenCalled();
    expect(await authenticator.authenticate(raw, '127.0.0.1', undefined)).toEqual({ kind: 'refused', message: 'is invalid' });
    expect(query).toHaveBeenCalledTimes(1);
  });

  it('ended tokens: one refusal table (401 text, security-log reason), nothing recorded', async () => {
    const revoked = await issue();
    await tokens.markRevoked(userId, revoked.token.id, now, 'session');
    const expired = await issue({ expiresAt: now });
    const rotated = await issue();
    const replacement = await issue();
    await dataSource.query("UPDATE api_tokens SET retires_at = $2, replaced_by_id = $3, rotated_by = 'session' WHERE id = $1", [rotated.token.id, now, replacement.token.id]);
    const cases = [
      [revoked, 'revoked'],
      [expired, 'expired'],
      [rotated, 'retired'],
    ] as const;
    for (const [{ raw, token }, state] of cases) {
      const query = jest.spyOn(statements, 'query');
      expect(await authenticator.authenticate(raw, '127.0.0.1', undefined)).toEqual({
        kind: 'refused',
        message: ENDED_TOKENS[state].message,
        token: { id: token.id, userId, reason: ENDED_TOKENS[state].logReason },
      });
      expect(query).toHaveBeenCalledTimes(1); // no last-used write
      query.mockRestore();
    }
    expect(ENDED_TOKENS).toEqual({
      revoked: { message: 'has been revoked', logReason: 'revoked' },
      expired: { message: 'has expired', logReason: 'expired' },
      retired: { message: 'has been rotated', logReason: 'rotated' },
    });
  });

  it('a retiring token works until its overlap ends, announcing that end as its expiry', async () => {
    const { raw, token } = await issue({ expiresAt: new Date('2031-01-01T00:00:00Z') });
    const replacement = await issue();
    const retiresAt = new Date(now.getTime() + 60_000);
    expect(await tokens.rotate(token, { ...replacement.token, tokenHash: randomBytes(32) }, retiresAt, 'session')).not.toBeNull();
    const principal = await authenticator.authenticate(raw, '127.0.0.1', undefined);
    expect(principal).toMatchObject({ kind: 'api-token', token: { id: token.id, expiresAt: retiresAt } });
    now = retiresAt;
    expect(await authenticator.authenticate(raw, '127.0.0.1', undefined)).toMatchObject({ kind: 'refused', message: 'has been rotated' });
  });

  it('the allowlist: refused from elsewhere; an edit (a new version) applies to the very next call, still in one query', async () => {
    const { raw, token } = await issue({ allowedIps: ['198.51.100.0/24'] });
    expect(await authenticator.authenticate(raw, '198.51.100.4', undefined)).toMatchObject({ kind: 'api-token' });
    expect(await authenticator.authenticate(raw, '203.0.113.9', undefined)).toEqual({
      kind: 'refused', message: 'is not allowed from 203.0.113.9', token: { id: token.id, userId, reason: 'ip_not_allowed' },
    });
    const { version } = (await tokens.findOwned(userId, token.id))!;
    expect(await tokens.updateSettings(userId, token.id, version, { allowedIps: ['203.0.113.0/24'] })).toBe(true);
    expect(await tokens.updateSettings(userId, token.id, version, { name: 'stale' })).toBe(false); // the version moved on
    const query = jest.spyOn(statements, 'query');
    expect(await authenticator.authenticate(raw, '203.0.113.9', undefined)).toMatchObject({ kind: 'api-token' });
    expect(await authenticator.authenticate(raw, '198.51.100.4', undefined)).toMatchObject({ kind: 'refused', message: 'is not allowed from 198.51.100.4' });
    expect(query.mock.calls.filter((c) => c[2] === 'auth_api_token')).toHaveLength(2);
    // The version held here goes with the query: the stale one once (the new list comes back), then the new one.
    expect(query.mock.calls.filter((c) => c[2] === 'auth_api_token').map((c) => (c[1] as unknown[])[1])).toEqual([version, version + 1]);
  });

  it('the user is held by the process: later requests read api_tokens alone, one query each', async () => {
    const { raw, token } = await issue();
    await authenticator.authenticate(raw, '198.51.100.7', undefined);
    await tracker.flush();
    const query = jest.spyOn(statements, 'query');
    for (let i = 0; i < 3; i++) {
      expect(await authenticator.authenticate(raw, '198.51.100.7', undefined)).toMatchObject({ kind: 'api-token', user: { id: userId, bio: 'b' } });
    }
    expect(query.mock.calls.map((c) => c[2])).toEqual(['auth_api_token', 'auth_api_token', 'auth_api_token']);
    expect(query.mock.calls[0][0]).not.toMatch(/\busers\b/);
    // Its state is still read from the database on every request: a revocation applies at once.
    await tokens.markRevoked(userId, token.id, now, 'session');
    expect(await authenticator.authenticate(raw, '198.51.100.7', undefined)).toMatchObject({ kind: 'refused', message: 'has been revoked' });
    expect(query.mock.calls.map((c) => c[2])).toEqual(Array(4).fill('auth_api_token')); // markRevoked runs on TypeORM's manager
  });

  it("a change of the user's shown fields, by any means, shows on the very next request; other changes cost nothing", async () => {
    const name = `own${randomBytes(6).toString('hex')}`;
    const [{ id: ownerId }] = await dataSource.query(
      `INSERT INTO users (username, email, password_hash, timezone) VALUES ($1, $2, 'x', 'UTC') RETURNING id`,
      [name, `${name}@example.test`],
    );
    const raw = generateApiToken();
    await tokens.insert({ userId: ownerId, name: 'ci', tokenHash: hashApiToken(raw, key), hint: apiTokenHint(raw), allowedIps: [], expiresAt: null, createdAt: now, permissions: 170 });
    // Another instance: caches of its own, the same database.
    const other = new TokenAuthenticator(secrets, tokens, clock, new AllowlistCache(), tracker, new TokenUserCache());
    for (const instance of [authenticator, other]) {
      expect(await instance.authenticate(raw, '127.0.0.1', undefined)).toMatchObject({ user: { id: ownerId, username: name, bio: null, timezone: 'UTC' } });
    }
    await tracker.flush();
    const changes: Array<[string, unknown, Record<string, unknown>]> = [
      ['username', `${name}x`, { username: `${name}x` }],
      ['email', `${name}x@example.test`, { email: `${name}x@example.test` }],
      ['bio', 'new bio', { bio: 'new bio' }],
      ['image', 'https://example.test/a.png', { image: 'https://example.test/a.png' }],
      ['timezone', 'Asia/Tokyo', { timezone: 'Asia/Tokyo' }],
      ['bio', null, { bio: null }],
    ];
    for (const [column, value, shown] of changes) {
      await dataSource.query(`UPDATE users SET ${column} = $2 WHERE id = $1`, [ownerId, value]);
      for (const instance of [authenticator, other]) {
        const query = jest.spyOn(statements, 'query');
        expect(await instance.authenticate(raw, '127.0.0.1', undefined)).toMatchObject({ kind: 'api-token', user: { id: ownerId, ...shown } });
        // The one-table lookup saw another user_version: the token read again with its user, once.
        expect(query.mock.calls.map((c) => c[2])).toEqual(['auth_api_token', 'auth_api_token_user']);
        query.mockRestore();
      }
    }
    await dataSource.query("UPDATE users SET password_hash = 'y', updated_at = now() WHERE id = $1", [ownerId]);
    const query = jest.spyOn(statements, 'query');
    expect(await authenticator.authenticate(raw, '127.0.0.1', undefined)).toMatchObject({ kind: 'api-token' });
    expect(query.mock.calls.map((c) => c[2])).toEqual(['auth_api_token']);
    query.mockRestore();
    await dataSource.query('DELETE FROM users WHERE id = $1', [ownerId]);
    for (const instance of [authenticator, other]) {
      expect(await instance.authenticate(raw, '127.0.0.1', undefined)).toEqual({ kind: 'refused', message: 'is invalid' });
    }
  });

  it('every change bumps the version exactly once; a second revocation changes nothing', async () => {
    const { token } = await issue();
    const version = async () => (await tokens.findOwned(userId, token.id))!.version;
    expect(await version()).toBe(1);
    await tokens.updateSettings(userId, token.id, 1, { name: 'renamed' });
    expect(await version()).toBe(2);
    expect(await tokens.markRevoked(userId, token.id, now, 'session')).toMatchObject({ now: true, token: { id: token.id, name: 'renamed' } });
    expect(await version()).toBe(3);
    const later = new Date(now.getTime() + 1000);
    expect(await tokens.markRevoked(userId, token.id, later, 'token')).toMatchObject({ now: false });
    expect(await version()).toBe(3);
    const [row] = await dataSource.query('SELECT revoked_at, revoked_reason FROM api_tokens WHERE id = $1', [token.id]);
    expect(row).toEqual({ revoked_at: now, revoked_reason: 'session' });
  });

  it('the database unreachable: an error for the guard (503), never a refusal or a pass', async () => {
    const { raw } = await issue();
    const down = new DataSource({ ...dataSourceOptions(process.env.DATABASE_URL!, 1), entities: [ApiTokenEntity], migrationsRun: false });
    await down.initialize();
    await down.destroy();
    const downTokens = new ApiTokensRepository(down.getRepository(ApiTokenEntity), new Db(down, { databasePreparedStatements: true } as AppConfig));
    const offline = new TokenAuthenticator(secrets, downTokens, clock, new AllowlistCache(), tracker, new TokenUserCache());
    await expect(offline.authenticate(raw, '127.0.0.1', undefined)).rejects.toThrow();
  });
});
