// No container engine runs here: docker-compose.yml, the Dockerfile and the configuration files
// they mount are checked by parsing them and holding them to the deployment's invariants (the
// same topology runs for real from Debian packages in topology.test.mjs). HAProxy's own
// configuration check (`haproxy -c`) validates deploy/haproxy/haproxy.cfg.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { HAPROXY } from './cluster.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const read = (file) => fs.readFileSync(path.join(repo, file), 'utf8');
const compose = parse(read('docker-compose.yml'));
const { services } = compose;

/** `${VAR:-default}` → default, as compose interpolates an unset variable. */
const interpolate = (value) => String(value).replace(/\$\{(\w+)(?::?[-?]([^}]*))?\}/g, (_, _name, fallback) => fallback ?? '');

test('compose: postgres -> migrate (once) -> API replicas (never migrating) -> proxy', () => {
  assert.deepEqual(Object.keys(services).sort(), ['api', 'migrate', 'pgbouncer', 'postgres', 'proxy']);
  const { migrate, api } = services;
  assert.deepEqual(migrate.command, ['node', 'apps/api/dist/migrate.js']);
  assert.equal(migrate.restart, 'no');
  assert.equal(migrate.depends_on.postgres.condition, 'service_healthy');
  assert.match(migrate.environment.DATABASE_URL, /@postgres:5432\//, 'migrations run directly on PostgreSQL');
  assert.equal(api.depends_on.migrate.condition, 'service_completed_successfully');
  assert.equal(api.environment.MIGRATIONS_RUN, 'false');
  assert.ok(fs.existsSync(path.join(repo, 'apps/api/src/migrate.ts')), 'the migrate command exists');
});

test('compose: several replicas behind HAProxy, which alone is trusted for X-Forwarded-For', () => {
  const { api, proxy } = services;
  assert.ok(Number(interpolate(api.deploy.replicas)) >= 2, 'several API replicas by default');
  assert.equal(api.ports, undefined, 'replicas publish no port: clients go through the proxy');
  assert.match(proxy.image, /^haproxy:/);
  const proxyAddress = proxy.networks.default.ipv4_address;
  assert.equal(api.environment.TRUSTED_PROXIES, proxyAddress, 'TRUSTED_PROXIES is exactly the proxy');
  const subnet = compose.networks.default.ipam.config[0].subnet;
  assert.equal(proxyAddress.split('.').slice(0, 3).join('.'), subnet.split('.').slice(0, 3).join('.'), 'the proxy address is on the fixed subnet');
  // Stopping waits longer than the shutdown grace period, so SIGTERM drains instead of being cut short.
  const grace = Number(interpolate(api.environment.SHUTDOWN_GRACE).replace(/s$/, ''));
  assert.ok(Number(String(api.stop_grace_period).replace(/s$/, '')) > grace + 10);
  assert.equal(api.init, true, 'an init forwards SIGTERM to node');

  const mounted = Object.fromEntries(proxy.volumes.map((v) => v.split(':').slice(0, 2)).map(([from, to]) => [to, from]));
  const cfg = read(mounted['/usr/local/etc/haproxy/haproxy.cfg']);
  assert.match(cfg, /option httpchk GET \/api\/health\/ready/, 'the proxy polls readiness');
  assert.match(cfg, /option forwardfor/);
  assert.match(cfg, /balance roundrobin/);
  assert.match(cfg, /server-template api \d+ api:3000 check/);
  assert.match(cfg, /errorfile 503 \/usr\/local\/etc\/haproxy\/503\.http/);
  const errorFile = read(mounted['/usr/local/etc/haproxy/503.http']);
  assert.deepEqual(JSON.parse(errorFile.split('\r\n\r\n')[1]), { errors: { server: ['is unavailable; try again shortly'] } });
  assert.match(proxy.ports[0], /:8080$/, 'published to the port HAProxy binds');
  assert.match(cfg, /bind :8080/);
});

test('compose: the HAProxy configuration passes HAProxy\'s own check', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conduit-haproxy-'));
  try {
    fs.copyFileSync(path.join(repo, 'deploy/haproxy/503.http'), path.join(dir, '503.http'));
    // Outside a container: the error file's path and Docker's DNS resolver are swapped for local ones.
    const cfg = read('deploy/haproxy/haproxy.cfg')
      .replace('/usr/local/etc/haproxy/503.http', path.join(dir, '503.http'))
      .replace('127.0.0.11:53', '127.0.0.1:53');
    fs.writeFileSync(path.join(dir, 'haproxy.cfg'), cfg);
    execFileSync(HAPROXY, ['-c', '-q', '-f', path.join(dir, 'haproxy.cfg')], { stdio: 'pipe' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('compose: optional PgBouncer in transaction mode, with a short server_login_retry', () => {
  const { pgbouncer, api } = services;
  assert.deepEqual(pgbouncer.profiles, ['pgbouncer'], 'PgBouncer is opt-in');
  assert.equal(api.depends_on.pgbouncer.required, false);
  const mounted = Object.fromEntries(pgbouncer.volumes.map((v) => v.split(':').slice(0, 2)).map(([from, to]) => [to, from]));
  const ini = read(mounted['/etc/pgbouncer/pgbouncer.ini']);
  const setting = (name) => new RegExp(`^${name}\\s*=\\s*(.+)$`, 'm').exec(ini)?.[1].trim();
  assert.equal(setting('pool_mode'), 'transaction');
  assert.ok(Number(setting('server_login_retry')) <= 2, 'a database restart is not turned into a 15 s outage');
  assert.ok(fs.existsSync(path.join(repo, mounted['/etc/pgbouncer/userlist.txt'])));
  // Through the pooler: the advisory lock goes straight to PostgreSQL; statements are unnamed.
  assert.match(api.environment.DATABASE_URL, /\$\{DATABASE_HOST:-postgres:5432\}/);
  assert.match(api.environment.DATABASE_DIRECT_URL, /@postgres:5432\//);
  assert.equal(interpolate(api.environment.DATABASE_PREPARED_STATEMENTS), 'auto');
  // A version tag, not `latest` nor none: an image that changes under the same name is an untested deployment.
  const [, tag] = /^[\w./-]+:([\w.-]+)$/.exec(pgbouncer.image) ?? [];
  assert.ok(tag && tag !== 'latest' && /\d+\.\d+/.test(tag), `PgBouncer image pinned to a version: ${pgbouncer.image}`);
});

test('compose: each replica serves metrics on a port of its own, on the compose network only', () => {
  const { api, proxy } = services;
  const port = interpolate(api.environment.METRICS_PORT);
  assert.match(port, /^\d+$/, 'METRICS_PORT is set for the replicas');
  assert.notEqual(port, interpolate(api.environment.PORT), 'never the public port');
  assert.ok(api.expose.map(String).includes(port), 'exposed to the compose network');
  assert.equal(api.ports, undefined, 'and published nowhere');
  const mounted = Object.fromEntries(proxy.volumes.map((v) => v.split(':').slice(0, 2)).map(([from, to]) => [to, from]));
  const cfg = read(mounted['/usr/local/etc/haproxy/haproxy.cfg']);
  assert.doesNotMatch(cfg, new RegExp(`api:${port}`), 'the proxy does not forward to it');
});

test('Dockerfile: Node 24, a non-root user, a HEALTHCHECK on liveness', () => {
  const dockerfile = read('Dockerfile');
  const froms = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]);
  assert.ok(froms.length > 0 && froms.every((image) => /^node:24[-.]/.test(image)), `node:24 base images: ${froms}`);
  const users = [...dockerfile.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]);
  assert.ok(users.length > 0 && !['root', '0'].includes(users.at(-1)), 'runs as a non-root user');
  assert.match(dockerfile, /^HEALTHCHECK[^\n]*\\\n[^\n]*\/api\/health\/live/m);
  assert.match(dockerfile, /^CMD \["node", "apps\/api\/dist\/main\.js"\]/m, 'exec form: node receives SIGTERM');
});
