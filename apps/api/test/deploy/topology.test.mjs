// The deployment tier: Conduit run the way deployments past one machine run it, on real
// components from Debian packages (PostgreSQL 15, PgBouncer 1.18, HAProxy 2.6; .ci/run installs
// them): three instances with the same secrets behind HAProxy (round-robin, checks on readiness,
// option forwardfor, TRUSTED_PROXIES), on one PostgreSQL, directly and then through PgBouncer in
// transaction mode. Under a bounded load:
//   - three instances started at once on an empty database: all ready, one set of migrations;
//   - a rolling restart by SIGTERM alone, one instance at a time: 0 failed requests;
//   - three PostgreSQL restarts and a pg_terminate_backend of every Conduit connection: only
//     2xx or 503 in the error format, every instance still running, recovery within seconds.
// The figures are printed (failed requests, recovery times). Loopback only; every wait is bounded.
//
//   pnpm --filter @conduit/api test:deploy     (builds, then node --test test/deploy/*.test.mjs)
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { HaProxy, Instance, PgBouncer, Postgres, freePort, requireBinaries, sleep, workDir } from './cluster.mjs';
import { startLoad } from './load.mjs';

const require = createRequire(import.meta.url);
const { Client } = require('pg');
const { MIGRATIONS } = require('../../dist/database/data-source.js');

requireBinaries();
const root = workDir();
const pg = new Postgres(root);
const figures = [];
const cleanup = [];
after(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  // Kept on failure for the logs (instances, postgres, pgbouncer, haproxy).
  if (process.exitCode) process.stdout.write(`deployment tier: logs kept in ${root}\n`);
  else fs.rmSync(root, { recursive: true, force: true });
  process.stdout.write(`\n=== deployment tier figures ===\n${figures.join('\n')}\n`);
});

async function admin(database, fn) {
  const client = new Client({ connectionString: pg.url(database) });
  await client.connect();
  try {
      return await fn(client);
  } finally {
    await client.end();
  }
}

/** Three instances on `env` started at the same moment (on an empty database: they race to migrate). */
async function startThree(label, env) {
  const ports = [await freePort(), await freePort(), await freePort()];
  const instances = ports.map((port, i) => new Instance(root, `${label}-${i + 1}`, port, env));
  cleanup.push(async () => instances.forEach((i) => i.kill()));
  for (const instance of instances) instance.spawn();
  await Promise.all(instances.map((i) => i.ready()));
  return instances;
}

async function seed(url) {
  const name = `dep${Date.now().toString(36)}`;
  const user = { username: name, email: `${name}@example.test`, password: 'deployment pass 1' };
  const reg = await fetch(`${url}/api/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user }) });
  assert.equal(reg.status, 201, await reg.clone().text());
  const session = (await reg.json()).user.token;
  const created = await fetch(`${url}/api/user/api-tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${session}` },
    body: JSON.stringify({ apiToken: { name: 'load' } }),
  });
  assert.equal(created.status, 201, await created.clone().text());
  return (await created.json()).token;
}

async function assertOneSetOfMigrations(database, instances) {
  const rows = await admin(database, (c) => c.query('SELECT name, count(*)::int AS n FROM migrations GROUP BY name'));
  assert.equal(rows.rows.length, MIGRATIONS.length, 'every migration recorded');
  assert.ok(rows.rows.every((r) => r.n === 1), 'each migration recorded once');
  for (const i of instances) assert.doesNotMatch(i.proc.output(), /already exists|duplicate key|failed to start/i, `${i.name} started cleanly`);
}

async function rollingRestart(label, proxy, instances, token) {
  await proxy.waitAllUp();
  const load = startLoad({ url: proxy.url, path: '/api/user', headers: { authorization: `Bearer ${token}` } });
  await sleep(1000);
  const stops = [];
  for (const instance of instances) {
    const stopped = await instance.terminate();
    assert.equal(stopped.code, 0, `${instance.name} exits 0 on SIGTERM:\n${instance.proc.output()}`);
    stops.push(stopped.ms);
    instance.spawn();
    await instance.ready();
    await proxy.waitAllUp();
  }
  await sleep(1000);
  const result = await load.stop();
  figures.push(`${label}: rolling restart by SIGTERM: ${result.requests} requests, ${result.failed + result.unavailable} failed ` +
    `(${result.errors} connection errors, ${result.timeouts} timeouts, ${result.unavailable} 503, ${result.other} other); ` +
    `SIGTERM to exit: ${stops.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(', ')}`);
  assert.ok(result.ok > 0, 'the load ran');
  assert.deepEqual({ failed: result.failed, unavailable: result.unavailable, samples: result.otherSamples }, { failed: 0, unavailable: 0, samples: [] });
}

/** Polls every instance directly until each answers 200 again; returns the time it took. */
async function recovered(instances, token, since) {
  for (;;) {
    const statuses = await Promise.all(instances.map((i) =>
      fetch(`${i.url}/api/user`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5000) }).then((r) => r.status, () => 0)));
    if (statuses.every((s) => s === 200)) return Date.now() - since;
    if (Date.now() - since > 60_000) throw new Error(`not recovered within 60 s: ${statuses.join(', ')}`);
    await sleep(50);
  }
}

async function databaseRestarts(label, proxy, instances, token) {
  await proxy.waitAllUp();
  const load = startLoad({ url: proxy.url, path: '/api/user', headers: { authorization: `Bearer ${token}` } });
  await sleep(1000);
  const recoveries = [];
  for (let i = 0; i < 3; i++) {
    const restart = await pg.restart();
    recoveries.push({ what: `restart ${i + 1} (down ${restart.downMs} ms)`, ms: await recovered(instances, token, Date.now()) });
    await sleep(1000);
  }
  const killedAt = Date.now();
  const killed = await admin('postgres', (c) => c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'conduit-api'`));
  recoveries.push({ what: `pg_terminate_backend of ${killed.rowCount} connections`, ms: await recovered(instances, token, killedAt) });
  await sleep(1000);
  const result = await load.stop();
  figures.push(`${label}: 3 PostgreSQL restarts + pg_terminate_backend: ${result.requests} requests, ${result.ok} 2xx, ` +
    `${result.unavailable} 503 in the error format, ${result.failed} failed (${result.errors} connection errors, ${result.timeouts} timeouts, ${result.other} other); ` +
    `recovery after the database was back: ${recoveries.map((r) => `${r.what}: ${(r.ms / 1000).toFixed(2)} s`).join('; ')}`);
  for (const instance of instances) assert.ok(instance.running, `${instance.name} still running:\n${instance.proc.output()}`);
  assert.ok(result.ok > 0, 'the load ran');
  assert.deepEqual({ failed: result.failed, samples: result.otherSamples }, { failed: 0, samples: [] });
  for (const r of recoveries) assert.ok(r.ms < 15_000, `${r.what}: recovered in ${r.ms} ms`);
}

test('directly on PostgreSQL: concurrent start, rolling restart, database restarts', async () => {
  await pg.init();
  await pg.start();
  cleanup.push(() => pg.stop());
  await admin('postgres', (c) => c.query('CREATE DATABASE conduit'));

  const startedAt = Date.now();
  const instances = await startThree('direct', { DATABASE_URL: pg.url('conduit') });
  figures.push(`direct: three instances started at once on an empty database: all ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  await assertOneSetOfMigrations('conduit', instances);

  const proxy = new HaProxy(root, instances.map((i) => i.port));
  await proxy.start();
  const token = await seed(proxy.url);
  try {
    // The client address through the proxy is the client's, not the proxy's hop count or a spoof.
    const ip = await (await fetch(`${proxy.url}/api/ip`, { headers: { 'x-forwarded-for': '203.0.113.9' } })).json();
    assert.equal(ip.ip, '127.0.0.1', 'X-Forwarded-For written by the client is not believed; the proxy\'s entry is');

    await rollingRestart('direct', proxy, instances, token);
    await databaseRestarts('direct', proxy, instances, token);
  } finally {
    await proxy.stop();
    await Promise.all(instances.map((i) => (i.running ? i.terminate() : undefined)));
  }
});

test('through PgBouncer 1.18 in transaction mode: concurrent start, rolling restart, database restarts', async () => {
  await admin('postgres', (c) => c.query('CREATE DATABASE conduit_pooled'));
  const bouncer = new PgBouncer(root, pg, 'conduit_pooled');
  await bouncer.start();
  cleanup.push(() => bouncer.stop());

  // DATABASE_DIRECT_URL: the migrations' advisory lock needs a session of its own; with it set,
  // named prepared statements are off (PgBouncer 1.18 cannot keep them).
  const startedAt = Date.now();
  const instances = await startThree('pooled', { DATABASE_URL: bouncer.url(), DATABASE_DIRECT_URL: pg.url('conduit_pooled') });
  figures.push(`PgBouncer: three instances started at once on an empty database: all ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  await assertOneSetOfMigrations('conduit_pooled', instances);

  const proxy = new HaProxy(root, instances.map((i) => i.port));
  await proxy.start();
  const token = await seed(proxy.url);
  try {
    await rollingRestart('PgBouncer', proxy, instances, token);
    await databaseRestarts('PgBouncer', proxy, instances, token);
    for (const i of instances) assert.doesNotMatch(i.proc.output(), /prepared statement/i, `${i.name}: no prepared-statement errors`);
  } finally {
    await proxy.stop();
    await Promise.all(instances.map((i) => (i.running ? i.terminate() : undefined)));
  }
});
