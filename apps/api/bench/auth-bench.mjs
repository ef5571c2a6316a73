// Authentication benchmark: starts the built API on its own embedded PostgreSQL (seeded with
// 10,000 users and 10,000 tokens), loads it at 50 connections, and prints req/s, p50 and p99 for
// a public route (baseline), GET /api/user with a session JWT, with an API token, with an API
// token carrying a 100-entry allowlist, with a narrow-permission token (account:read only: the
// permission check on every request), with last-used tracking on and off, and refused requests
// for a known (revoked) token with the security log on and off; then the ratios.
// Then "refused, 5,000 addresses": random conduit_ strings from 5,000 loopback addresses against
// the public route loaded the same way, and the rows left in the throttle table.
//
//   pnpm --filter @conduit/api bench:auth   (BENCH_DURATION seconds per run, default 6; BENCH_ROUNDS, default 5)
//
// The server runs in its own process; the load generator (wrk when installed, else autocannon)
// in another; PostgreSQL shares the same 2 cores. The cases are measured in interleaved rounds
// (the on/off pairs on servers of their own, started afresh each round, side by side on the same
// database) and each figure is the median over the rounds, so that a noisy moment of the machine
// does not decide a ratio; each ratio is the median of the per-round ratios (the cases of one
// round run within a few minutes of each other, so a slow minute of the machine cancels out).
// Logs are at "warn" so that the figures measure the API, not stdout.
import { spawn, execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { addressLoad, loopbackAddresses } from './address-load.mjs';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(here, '..', 'dist');
const { EmbeddedPostgres } = require(path.join(dist, 'database', 'embedded-postgres.js'));
const { generateApiToken, hashApiToken, apiTokenHint } = require(path.join(dist, 'api-tokens', 'token-codec.js'));
const { Client } = require('pg');
const { createSecretKey, randomBytes } = require('node:crypto');

const DURATION = Number(process.env.BENCH_DURATION ?? 6);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONNECTIONS = 50;
const USERS = 10_000;
const TOKENS = 10_000;
const TOKEN_HASH_SECRET = randomBytes(32).toString('base64url');
const JWT_SECRET = randomBytes(32).toString('base64url');

const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

async function startServer(databaseUrl, extraEnv = {}) {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(dist, 'main.js')], {
    env: {
      ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn', JWT_SECRET, TOKEN_HASH_SECRET, WEB_DIST: '/nonexistent', DATABASE_POOL_SIZE: '10', SHUTDOWN_GRACE: '0', ...extraEnv,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${base}/api/health`)).ok) return { child, base };
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start');
}

async function stopServer({ child }) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

async function json(base, method, url, body, token) {
  const res = await fetch(base + url, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function seed(databaseUrl) {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  const key = createSecretKey(Buffer.from(TOKEN_HASH_SECRET, 'utf8'));
  // One argon2id hash for every seeded user: the benchmark never signs them in.
  const hash = '$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$3a4Xk0mUu0ZVfCqB1kYtqI6m8Qk3pCqkH0n5k7cC1xA';
  await db.query(
    `INSERT INTO users (username, email, password_hash)
     SELECT 'seed' || g, 'seed' || g || '@bench.test', $1 FROM generate_series(1, $2) g`,
    [hash, USERS],
  );
  const { rows } = await db.query('SELECT id FROM users ORDER BY username');
  const batch = 1000;
  for (let start = 0; start < TOKENS; start += batch) {
    const values = [];
    const params = [];
    for (let i = start; i < Math.min(TOKENS, start + batch); i++) {
      const raw = generateApiToken();
      params.push(rows[i % rows.length].id, `seed token ${i}`, hashApiToken(raw, key), apiTokenHint(raw));
      const n = params.length;
      values.push(`($${n - 3}, $${n - 2}, $${n - 1}, $${n}, now() + interval '30 days')`);
    }
    await db.query(`INSERT INTO api_tokens (user_id, name, token_hash, hint, expires_at) VALUES ${values.join(',')}`, params);
  }
  await db.query('ANALYZE');
  await db.end();
}

function hasWrk() {
  try {
    execFileSync('wrk', ['--version'], { stdio: 'ignore' });
    return true;
  } catch (e) {
    return e.status === 1; // wrk --version exits 1 after printing its version
  }
}

function parseWrk(out) {
  const ms = (s) => {
    const m = /([\d.]+)(us|ms|s)/.exec(s);
    return m ? Number(m[1]) * (m[2] === 'us' ? 0.001 : m[2] === 's' ? 1000 : 1) : NaN;
  };
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]);
  const p50 = ms(/\s50%\s+(\S+)/.exec(out)[1]);
  const p99 = ms(/\s99%\s+(\S+)/.exec(out)[1]);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const errors = /Socket errors:.*/.exec(out)?.[0] ?? '';
  return { rps, p50, p99, non2xx, errors };
}

async function load(url, headers) {
  if (hasWrk()) {
    const lua = path.join(os.tmpdir(), `conduit-bench-${process.pid}.lua`);
    fs.writeFileSync(lua, Object.entries(headers).map(([k, v]) => `wrk.headers["${k}"] = "${v}"`).join('\n') + '\n');
    const args = ['-t1', `-c${CONNECTIONS}`, '--latency', '-s', lua];
    execFileSync('wrk', [...args, '-d2s', url], { stdio: 'ignore' }); // warm-up
    const out = execFileSync('wrk', [...args, `-d${DURATION}s`, url], { encoding: 'utf8' });
    fs.rmSync(lua, { force: true });
    return parseWrk(out);
  }
  const autocannon = require('autocannon');
  await autocannon({ url, headers, connections: CONNECTIONS, duration: 2 });
  const r = await autocannon({ url, headers, connections: CONNECTIONS, duration: DURATION });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors ? `errors ${r.errors}` : '' };
}

/**
 * The parts that differ between the cases, timed alone in this process: what the allowlist and
 * last-used tracking add to a request, next to the whole request's CPU cost on the server. The
 * HTTP ratios below move by several percent from run to run on a shared 2-core VM; these do not.
 */
function microCosts() {
  const { IpAllowlist, access, decodePermissions } = require('@conduit/contracts');
  const { authorize } = require(path.join(dist, 'auth', 'authorization.js'));
  const { LastUsedTracker } = require(path.join(dist, 'api-tokens', 'last-used.tracker.js'));
  const time = (fn, n = 200_000) => {
    for (let i = 0; i < 20_000; i++) fn(i);
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn(i);
    return Number(process.hrtime.bigint() - t0) / n / 1000;
  };
  const list = new IpAllowlist([...Array.from({ length: 99 }, (_, i) => `10.${i}.0.0/16`), '127.0.0.1/32']);
  const { TokenRefusals } = require(path.join(dist, 'security-log', 'token-refusals.js'));
  const clock = { now: () => new Date() };
  const events = { record: () => {}, flush: async () => {} };
  const tracker = new LastUsedTracker({ lastUsedTracking: true, lastUsedIntervalSeconds: 60 }, { query: async () => [] }, clock, events);
  const recent = '[{"ip": "127.0.0.1", "lastSeenAt": "2026-01-01T00:00:00.000Z"}]';
  tracker.record('t', '127.0.0.1', null, '[]', 'u', 'bench'); // the first use writes; the rest are debounced
  const refusals = new TokenRefusals({ securityLog: true, securityLogRefusalWindowSeconds: 60 }, events, clock, null);
  const route = access.permission('account:read');
  const { isMalformedApiToken } = require(path.join(dist, 'api-tokens', 'token-codec.js'));
  const wellFormed = generateApiToken();
  const principal = { kind: 'api-token', token: { id: 't', expiresAt: null, permissions: decodePermissions(1 << 6) } };
  return {
    permission: time(() => authorize(route, principal, {})),
    allowlist: time(() => list.matches('127.0.0.1')),
    lastUsed: time(() => tracker.record('t', '127.0.0.1', Date.now() - 1000, recent, 'u', 'bench')),
    refusal: time(() => refusals.count('u', 't', 'revoked', '127.0.0.1', 'bench')),
    earlyCheck: time(() => isMalformedApiToken(wellFormed)),
  };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conduit-bench-'));
fs.chmodSync(dir, 0o755);
const pg = new EmbeddedPostgres({ dataDir: path.join(dir, 'pg') });
let server;
try {
  console.log(`starting PostgreSQL and the API (data in ${dir})...`);
  await pg.start();
  server = await startServer(pg.url);
  console.log(`seeding ${USERS} users and ${TOKENS} tokens...`);
  await seed(pg.url);

  const who = { username: 'bench', email: 'bench@bench.test', password: 'bench password 1' };
  const { user } = await json(server.base, 'POST', '/api/users', { user: who });
  const jwt = user.token;
  const plain = (await json(server.base, 'POST', '/api/user/api-tokens', { apiToken: { name: 'bench plain', expiresIn: '30d' } }, jwt)).token;
  // 99 entries that do not match, then the one that does: the worst case for a linear match.
  const allowedIps = [...Array.from({ length: 99 }, (_, i) => `10.${i}.0.0/16`), '127.0.0.1'];
  const listed = (await json(server.base, 'POST', '/api/user/api-tokens', { apiToken: { name: 'bench allowlist', allowedIps } }, jwt)).token;
  // Only what GET /api/user needs: authorization checks account:read on every request.
  const narrow = (await json(server.base, 'POST', '/api/user/api-tokens', { apiToken: { name: 'bench narrow', permissions: { account: 'read' } } }, jwt)).token;

  // Last-used tracking on and off, and the security log on and off, are compared on servers of
  // their own that serve nothing else: two of each, started afresh every round. One process can
  // be several percent slower than its twin for the whole of its life, for reasons of its own;
  // with the same processes in every round, that one process decided the ratio.
  const OWN_SERVERS = {
    tracked: {},
    untracked: { LAST_USED_TRACKING: 'false' },
    logOn: {},
    logOff: { SECURITY_LOG: 'false' },
  };
  // Refused requests for a known (revoked) token, security log on and off, on servers of their
  // own: with the log on each refusal is counted in memory and becomes one event per minute.
  // (After the failure limit the throttle answers 429 from memory; the token is still looked up
  // and the refusal still counted, on both sides alike.)
  const revoked = await json(server.base, 'POST', '/api/user/api-tokens', { apiToken: { name: 'bench revoked', expiresIn: '30d' } }, jwt);
  const revoking = await fetch(`${server.base}/api/user/api-tokens/${revoked.apiToken.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${jwt}` } });
  if (revoking.status !== 204) throw new Error(`revoke: ${revoking.status}`);
  const auth = (raw) => ({ Authorization: `Bearer ${raw}` });
  const cases = [
    ['public route (GET /api/ip)', [server], '/api/ip', {}],
    ['GET /api/user, session JWT', [server], '/api/user', auth(jwt)],
    ['GET /api/user, API token', [server], '/api/user', auth(plain)],
    ['GET /api/user, API token + 100-entry allowlist', [server], '/api/user', auth(listed)],
    ['GET /api/user, API token, account:read only', [server], '/api/user', auth(narrow)],
    ['GET /api/user, API token, last-used on (own servers)', 'tracked', '/api/user', auth(plain)],
    ['GET /api/user, API token, last-used off (own servers)', 'untracked', '/api/user', auth(plain)],
    ['GET /api/user, revoked token, security log on (own servers)', 'logOn', '/api/user', auth(revoked.token), { refused: true }],
    ['GET /api/user, revoked token, security log off (own servers)', 'logOff', '/api/user', auth(revoked.token), { refused: true }],
  ];
  console.log(`\n${CONNECTIONS} connections, ${DURATION} s per run, ${ROUNDS} interleaved rounds (${hasWrk() ? 'wrk' : 'autocannon'})`);
  const samples = cases.map(() => []);
  for (let round = 1; round <= ROUNDS; round++) {
    console.log(`\nround ${round}`);
    const own = {};
    for (const [group, env] of Object.entries(OWN_SERVERS)) own[group] = [await startServer(pg.url, env), await startServer(pg.url, env)];
    try {
      for (const [i, [name, targets, route, headers]] of cases.entries()) {
        for (const target of typeof targets === 'string' ? own[targets] : targets) {
          const r = await load(target.base + route, headers);
          samples[i].push(r);
          console.log(`  ${name.padEnd(52)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${r.p50.toFixed(2).padStart(6)} ms   p99 ${r.p99.toFixed(2).padStart(6)} ms   non-2xx ${r.non2xx} ${r.errors}`);
        }
      }
    } finally {
      for (const servers of Object.values(own)) for (const s of servers) await stopServer(s);
    }
  }
  const median = (xs) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const mid = sorted.length / 2;
    return sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
  };
  const runs = cases.map(([name, , , , options], i) => ({
    name,
    refused: options?.refused === true,
    rps: median(samples[i].map((r) => r.rps)),
    p50: median(samples[i].map((r) => r.p50)),
    p99: median(samples[i].map((r) => r.p99)),
    non2xx: samples[i].reduce((n, r) => n + r.non2xx, 0),
  }));
  console.log('\nmedians');
  for (const r of runs) {
    console.log(`  ${r.name.padEnd(52)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${r.p50.toFixed(2).padStart(6)} ms   p99 ${r.p99.toFixed(2).padStart(6)} ms   non-2xx ${r.non2xx}`);
  }
  const [pub, session, token, allow, narrowRun, on, off, refusedOn, refusedOff] = runs;

  // Median of the per-round ratios (for the tracking pair: each round's mean of the two servers).
  const perRound = (i) => Array.from({ length: ROUNDS }, (_, r) => {
    const per = samples[i].length / ROUNDS;
    const xs = samples[i].slice(r * per, (r + 1) * per);
    return xs.reduce((n, x) => n + x.rps, 0) / xs.length;
  });
  const index = new Map(runs.map((r, i) => [r, i]));
  const ratio = (a, b) => {
    const xa = perRound(index.get(a));
    const xb = perRound(index.get(b));
    return median(xa.map((x, r) => x / xb[r]));
  };
  const checks = [
    ['API token / session JWT', ratio(token, session), 0.95],
    ['narrow-permission token / session JWT', ratio(narrowRun, session), 0.95],
    ['session JWT / public route', ratio(session, pub), 0.25],
    ['API token / public route', ratio(token, pub), 0.25],
    ['100-entry allowlist / plain token', ratio(allow, token), 0.97],
    ['last-used tracking on / off', ratio(on, off), 0.97],
    ['refused, known token: log on / off', ratio(refusedOn, refusedOff), 0.9],
  ];
  console.log('\nratios (target)');
  for (const [name, value, target] of checks) {
    console.log(`  ${name.padEnd(36)} ${value.toFixed(3)}  (≥ ${target})  ${value >= target ? 'ok' : 'BELOW TARGET'}`);
  }
  const authRuns = runs.filter((r) => r.name.startsWith('GET /api/user') && !r.refused);
  const worstP99 = Math.max(...authRuns.map((r) => r.p99));
  // Refused requests are meant to be refused: only the others must all succeed.
  const non2xx = runs.filter((r) => !r.refused).reduce((n, r) => n + r.non2xx, 0);
  console.log(`  worst authenticated p99               ${worstP99.toFixed(2)} ms (≤ 30 ms)  ${worstP99 <= 30 ? 'ok' : 'ABOVE TARGET'}`);
  console.log(`  non-2xx responses                     ${non2xx}  ${non2xx === 0 ? 'ok' : 'NOT ZERO'}`);
  // Refused requests from 5,000 addresses (random conduit_ strings: malformed, refused from
  // memory), against the public route loaded the same way (same client, same address rotation,
  // a new connection every 20 requests), in interleaved rounds.
  const addresses = loopbackAddresses(5000);
  const refusedSamples = [];
  console.log(`\nrefused, 5,000 addresses (node http client with localAddress; ${CONNECTIONS} connections, 20 requests per address and connection)`);
  for (let round = 1; round <= ROUNDS; round++) {
    const pubRun = await addressLoad(`${server.base}/api/ip`, {}, { addresses, connections: CONNECTIONS, durationSeconds: DURATION });
    const refRun = await addressLoad(`${server.base}/api/user`, {}, { addresses, connections: CONNECTIONS, durationSeconds: DURATION, randomToken: true });
    refusedSamples.push({ pub: pubRun, ref: refRun });
    const line = (name, r) =>
      `  ${name.padEnd(52)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${r.p50.toFixed(2).padStart(6)} ms   p99 ${r.p99.toFixed(2).padStart(6)} ms   ${JSON.stringify(r.statuses)}${r.errors ? ` errors ${r.errors}` : ''}`;
    console.log(`round ${round}`);
    console.log(line('public route, same client and addresses', pubRun));
    console.log(line('refused, 5,000 addresses', refRun));
  }
  const refusedRatio = median(refusedSamples.map(({ pub, ref }) => ref.rps / pub.rps));
  const refusedOnly = refusedSamples.every(({ ref }) => Object.keys(ref.statuses).every((s) => s === '401' || s === '429'));
  console.log(`  refused, 5,000 addresses / public route  ${refusedRatio.toFixed(3)}  (≥ 0.8)  ${refusedRatio >= 0.8 ? 'ok' : 'BELOW TARGET'}`);
  console.log(`  every refused request answered 401/429   ${refusedOnly ? 'ok' : 'NO'}`);
  await new Promise((r) => setTimeout(r, 1500)); // the throttle's once-a-second write
  const db = new Client({ connectionString: pg.url });
  await db.connect();
  const { rows: [{ count }] } = await db.query('SELECT count(*)::int AS count FROM auth_failures');
  const { rows: [{ live }] } = await db.query('SELECT count(*)::int AS live FROM auth_failures WHERE expire > $1', [Date.now()]);
  await db.end();
  console.log(`  rows left in auth_failures               ${count} (${live} in an open window; the rest are deleted by the purge job within a minute of their window's end)`);

  const micro = microCosts();
  const perRequestUs = 1e6 / token.rps; // wall time per request at this load, for scale
  console.log('\nin-process cost of the differences (this process, no I/O)');
  console.log(`  permission check (authorize, account:read)          ${micro.permission.toFixed(3)} µs per request`);
  console.log(`  100-entry allowlist match (worst case: last entry)  ${micro.allowlist.toFixed(3)} µs per request`);
  console.log(`  last-used tracking (debounced, no write)           ${micro.lastUsed.toFixed(3)} µs per request`);
  console.log(`  counting a refusal of a known token (log on)        ${micro.refusal.toFixed(3)} µs per request`);
  console.log(`  early malformed-token check of a good token (hook)  ${micro.earlyCheck.toFixed(3)} µs per request`);
  console.log(`  for scale: one token request at the measured rate   ${perRequestUs.toFixed(0)} µs of machine time`);
} finally {
  if (server) await stopServer(server);
  await pg.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
