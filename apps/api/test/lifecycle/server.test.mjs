// The product started the normal way (node dist/main.js, embedded PostgreSQL): it serves the API
// and the web app, keeps its data across restarts, and leaves no postgres process behind.
// Run after a build: node --test test/lifecycle/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const api = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const main = path.join(api, 'dist', 'main.js');

const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

async function start(env) {
  const port = await freePort();
  // A process group of its own, as a terminal runs a foreground command (see stop()).
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited: ${output}`);
    if (output.includes('Conduit is running')) break;
    if (Date.now() - started > 60_000) throw new Error(`server did not start in 60 s: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, port, output: () => output };
}

/** SIGTERM as a process manager sends it (the server alone); SIGINT as Ctrl-C does (the whole group). */
async function stop(server, signal = 'SIGTERM') {
  const exited = new Promise((r) => server.child.once('exit', (code) => r(code)));
  if (signal === 'SIGINT') process.kill(-server.child.pid, 'SIGINT');
  else server.child.kill(signal);
  return exited;
}

function postgresProcessesFor(dir) {
  try {
    return execFileSync('pgrep', ['-af', 'postgres'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(dir));
  } catch {
    return [];
  }
}

test('starts, serves the SPA and the API, survives a restart, and stops cleanly', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'conduit-lifecycle-'));
  fs.chmodSync(dataDir, 0o755);
  const webDist = fs.mkdtempSync(path.join(os.tmpdir(), 'conduit-web-'));
  fs.writeFileSync(path.join(webDist, 'index.html'), '<!doctype html><title>Conduit</title><div id="root"></div>');
  fs.mkdirSync(path.join(webDist, 'assets'));
  fs.writeFileSync(path.join(webDist, 'assets', 'app.js'), 'console.log(1)');
  // SHUTDOWN_GRACE: the grace period itself is graceful-shutdown.test.mjs's subject.
  const env = { DATA_DIR: dataDir, WEB_DIST: webDist, NODE_ENV: 'production', HOST: '::', SHUTDOWN_GRACE: '0' };
  try {
    let server = await start(env);
    const base = (host = '127.0.0.1') => `http://${host}:${server.port}`;
    assert.match(server.output(), /open http:\/\/localhost:\d+\//);

    assert.equal((await fetch(`${base()}/api/health`)).status, 200);
    assert.equal((await fetch(`${base('[::1]')}/api/health`)).status, 200, 'IPv6 loopback reaches the default HOST');
    for (const route of ['/', '/app/settings/account', '/app/settings/api-tokens']) {
      const res = await fetch(`${base()}${route}`);
      assert.equal(res.status, 200, route);
      assert.match(res.headers.get('content-type'), /text\/html/);
      assert.match(await res.text(), /<div id="root">/);
    }
    assert.equal(await (await fetch(`${base()}/assets/app.js`)).text(), 'console.log(1)');
    const unknown = await fetch(`${base()}/api/nope`);
    assert.equal(unknown.status, 404);
    assert.deepEqual(await unknown.json(), { errors: { route: ['not found'] } });
    const docs = await (await fetch(`${base()}/api/docs/openapi.json`)).json();
    for (const p of ['/api/users', '/api/users/login', '/api/user', '/api/user/api-tokens', '/api/user/api-tokens/{id}', '/api/health']) {
      assert.ok(docs.paths[p], `OpenAPI documents ${p}`);
    }

    const user = { username: `life${Date.now()}`, email: `life${Date.now()}@example.test`, password: 'lifecycle pass 1' };
    const reg = await fetch(`${base()}/api/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user }) });
    assert.equal(reg.status, 201);
    const session = (await reg.json()).user.token;
    const created = await fetch(`${base()}/api/user/api-tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${session}` },
      body: JSON.stringify({ apiToken: { name: 'lifecycle' } }),
    });
    assert.equal(created.status, 201);
    const apiToken = (await created.json()).token;

    // No JWT_SECRET / TOKEN_HASH_SECRET: generated keys in DATA_DIR, readable by this user only.
    const secretsFile = path.join(dataDir, 'secrets.json');
    assert.equal(fs.statSync(secretsFile).mode & 0o777, 0o600, 'secrets.json is mode 0600');
    assert.deepEqual(Object.keys(JSON.parse(fs.readFileSync(secretsFile, 'utf8'))).sort(), ['jwt', 'token_hash']);

    assert.equal(await stop(server), 0);
    assert.deepEqual(postgresProcessesFor(dataDir), [], 'no postgres process left after SIGTERM');

    server = await start(env);
    const login = await fetch(`${base()}/api/users/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: { email: user.email, password: user.password } }) });
    assert.equal(login.status, 200, 'a user created before the restart can sign in after it');
    const withToken = await fetch(`${base()}/api/user`, { headers: { authorization: `Bearer ${apiToken}` } });
    assert.equal(withToken.status, 200, 'an API token created before the restart still works (same hashing key)');
    const withSession = await fetch(`${base()}/api/user`, { headers: { authorization: `Bearer ${session}` } });
    assert.equal(withSession.status, 200, 'a session token signed before the restart still verifies (same signing key)');

    // Ctrl-C right after the token's first use: the last-used write and the security log's
    // first-use event are still in memory, and are written before the database stops.
    const fresh = await fetch(`${base()}/api/user/api-tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${(await login.json()).user.token}` },
      body: JSON.stringify({ apiToken: { name: 'used once' } }),
    });
    assert.equal(fresh.status, 201);
    const used = await fresh.json();
    assert.equal((await fetch(`${base()}/api/user`, { headers: { authorization: `Bearer ${used.token}` } })).status, 200);
    assert.equal(await stop(server, 'SIGINT'), 0);
    assert.deepEqual(postgresProcessesFor(dataDir), [], 'no postgres process left after Ctrl-C');
    assert.doesNotMatch(server.output(), /could not write/, 'nothing was lost on the way down');

    server = await start(env);
    const again = await fetch(`${base()}/api/users/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: { email: user.email, password: user.password } }) });
    const sessionAgain = (await again.json()).user.token;
    const listed = await (await fetch(`${base()}/api/user/api-tokens`, { headers: { authorization: `Bearer ${sessionAgain}` } })).json();
    const mine = listed.apiTokens.find((t) => t.id === used.apiToken.id);
    assert.ok(mine?.lastUsedAt, 'the last use just before Ctrl-C was written');
    const log = await (await fetch(`${base()}/api/user/security-log?tokenId=${used.apiToken.id}`, { headers: { authorization: `Bearer ${sessionAgain}` } })).json();
    assert.ok(log.events.some((e) => e.type === 'token.first_used'), 'the first-use event just before Ctrl-C was written');
    assert.equal(await stop(server, 'SIGINT'), 0);
    assert.deepEqual(postgresProcessesFor(dataDir), []);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(webDist, { recursive: true, force: true });
  }
});

test('refuses bad configuration at boot with a clear message', async () => {
  const child = spawn(process.execPath, [main], { env: { ...process.env, PORT: 'eighty', TRUSTED_PROXIES: '10.0.0.1/8' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (c) => (err += c));
  const code = await new Promise((r) => child.once('exit', r));
  assert.equal(code, 1);
  assert.match(err, /Invalid configuration:/);
  assert.match(err, /PORT:/);
  assert.match(err, /TRUSTED_PROXIES: "10\.0\.0\.1\/8": host bits are set; did you mean 10\.0\.0\.0\/8\?/);
});

test('refuses to start in production with an external database and no secrets, saying how to make them', async () => {
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: 'postgres://127.0.0.1:1/conduit', JWT_SECRET: '', TOKEN_HASH_SECRET: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (c) => (err += c));
  const code = await new Promise((r) => child.once('exit', r));
  assert.equal(code, 1);
  assert.match(err, /JWT_SECRET: is required in production with an external DATABASE_URL/);
  assert.match(err, /TOKEN_HASH_SECRET: is required in production/);
  assert.match(err, /openssl rand -base64 48/);
});
