// Graceful shutdown of the product started the normal way (node dist/main.js, embedded PostgreSQL):
// on SIGTERM readiness answers 503 at once while requests are still served for SHUTDOWN_GRACE; a
// request in flight when the listener closes is finished, with Connection: close; the process
// exits 0. A second signal ends it at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const api = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const main = path.join(api, 'dist', 'main.js');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

async function start(dataDir, env = {}) {
  const port = await freePort();
  const child = spawn(process.execPath, [main], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', DATA_DIR: dataDir, WEB_DIST: '/nonexistent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
  const started = Date.now();
  while (!output.includes('Conduit is running')) {
    if (child.exitCode !== null) throw new Error(`server exited: ${output}`);
    if (Date.now() - started > 120_000) throw new Error(`server did not start in 120 s: ${output}`);
    await sleep(100);
  }
  return { child, port, exited, output: () => output };
}

/** One request on a given agent; resolves with status, headers and body. */
function request(port, agent, { method = 'GET', path: p, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: p, agent, headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('SIGTERM: not ready at once, still serving through the grace period, in-flight finished with Connection: close, exit 0', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'conduit-shutdown-'));
  fs.chmodSync(dataDir, 0o755);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const server = await start(dataDir, { SHUTDOWN_GRACE: '3s' });
    assert.equal((await request(server.port, agent, { path: '/api/health/ready' })).status, 200);

    // A request whose body is still arriving when the grace period ends: in flight at the close.
    const [first, rest] = ['{"user":{"email":"nobody@example.test",', '"password":"wrong pass"}}'];
    const slow = new Promise((resolve, reject) => {
      const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(first + rest) };
      const req = http.request({ host: '127.0.0.1', port: server.port, method: 'POST', path: '/api/users/login', headers }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: text, at: Date.now() }));
      });
      req.on('error', reject);
      req.write(first);
      setTimeout(() => req.end(rest), 4500);
    });
    await sleep(300);

    const signalledAt = Date.now();
    server.child.kill('SIGTERM');
    await sleep(300);
    const ready = await request(server.port, agent, { path: '/api/health/ready' });
    assert.equal(ready.status, 503, 'not ready at once');
    assert.deepEqual(JSON.parse(ready.body).errors, { server: ['is shutting down'] });
    assert.equal((await request(server.port, agent, { path: '/api/health' })).status, 503);
    assert.equal((await request(server.port, agent, { path: '/api/health/live' })).status, 200, 'alive');
    const tags = await request(server.port, agent, { path: '/api/tags' });
    assert.equal(tags.status, 200, 'still serving during the grace period');
    assert.notEqual(tags.headers.connection, 'close');

    const inFlight = await slow;
    assert.ok(inFlight.at - signalledAt > 3000, 'answered after the listener closed');
    assert.ok([401, 422].includes(inFlight.status), `the in-flight request was served: ${inFlight.status} ${inFlight.body}`);
    assert.ok(JSON.parse(inFlight.body).errors, 'in the error format');
    assert.equal(inFlight.headers.connection, 'close');

    const { code, at } = await server.exited;
    assert.equal(code, 0, server.output());
    assert.ok(at - signalledAt >= 3000, 'not before the grace period');
    assert.match(server.output(), /SIGTERM: shutting down \(still serving for 3 s, not ready\)/);
    await assert.rejects(request(server.port, new http.Agent(), { path: '/api/health/live' }), /ECONNREFUSED/);
  } finally {
    agent.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

test('a second signal exits at once', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'conduit-shutdown-'));
  fs.chmodSync(dataDir, 0o755);
  try {
    const server = await start(dataDir, { SHUTDOWN_GRACE: '60s' });
    server.child.kill('SIGTERM');
    await sleep(500);
    const second = Date.now();
    server.child.kill('SIGTERM');
    const { code, at } = await server.exited;
    assert.equal(code, 143);
    assert.ok(at - second < 5000, `exited ${at - second} ms after the second signal`);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
