// Real components for the deployment tier: PostgreSQL 15, PgBouncer and HAProxy from the Debian
// packages (.ci/run installs them), and Conduit instances started as in production
// (node dist/main.js). Everything listens on 127.0.0.1 only. As root, PostgreSQL and PgBouncer run
// as the OS user `postgres` (they refuse root), in a temporary folder every user can traverse.
import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const api = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const MAIN = path.join(api, 'dist', 'main.js');
export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';
export const PGBOUNCER = process.env.PGBOUNCER ?? '/usr/sbin/pgbouncer';
export const HAPROXY = process.env.HAPROXY ?? '/usr/sbin/haproxy';

/** The address HAProxy connects to the instances from. */
export const PROXY_SOURCE = '127.0.0.2';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function requireBinaries() {
  const missing = [path.join(PG_BIN, 'postgres'), PGBOUNCER, HAPROXY].filter((p) => !fs.existsSync(p));
  if (missing.length) {
    throw new Error(`deployment tier: missing ${missing.join(', ')}; install the Debian packages: apt-get install -y postgresql pgbouncer haproxy`);
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** A temporary folder that the OS user postgres can enter (the checkout may be root-only). */
export function workDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conduit-deploy-'));
  fs.chmodSync(dir, 0o755);
  return dir;
}

/** As root: the uid/gid of the OS user postgres (the Debian package creates it). */
function postgresUser() {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error('deployment tier: running as root needs the OS user postgres (apt-get install -y postgresql creates it)');
  }
}

function ownDir(dir) {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const ids = postgresUser();
  if (ids) fs.chownSync(dir, ids.uid, ids.gid);
  return dir;
}

function writeOwned(file, content, mode = 0o600) {
  fs.writeFileSync(file, content, { mode });
  const ids = postgresUser();
  if (ids) fs.chownSync(file, ids.uid, ids.gid);
}

/** A child process with its output kept in a file (and the last lines in memory for messages). */
function launch(name, command, args, { env = {}, asPostgres = false, logFile } = {}) {
  const ids = asPostgres ? postgresUser() : undefined;
  const child = spawn(command, args, {
    ...(ids ?? {}),
    env: { ...process.env, LC_MESSAGES: 'C', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = fs.createWriteStream(logFile, { flags: 'a' });
  let output = '';
  const onData = (chunk) => {
    log.write(chunk);
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  child.on('error', (error) => onData(Buffer.from(`${name}: ${error.message}\n`)));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { name, child, exited, output: () => output };
}

async function waitFor(what, check, timeoutMs, proc) {
  const started = Date.now();
  for (;;) {
    if (proc && proc.child.exitCode !== null) throw new Error(`${what}: ${proc.name} exited:\n${proc.output()}`);
    try {
      if (await check()) return Date.now() - started;
    } catch {
      // not yet
    }
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms${proc ? `:\n${proc.output()}` : ''}`);
    await sleep(100);
  }
}

function canConnect(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** PostgreSQL 15 from the Debian package, on its own data directory and port. */
export class Postgres {
  constructor(root) {
    this.root = root;
    this.dataDir = path.join(root, 'pg');
    this.password = randomBytes(12).toString('hex');
    this.port = 0;
    this.proc = undefined;
  }

  url(database = 'postgres', port = this.port) {
    return `postgresql://postgres:${this.password}@127.0.0.1:${port}/${database}`;
  }

  async init() {
    ownDir(this.dataDir);
    const pwfile = path.join(this.root, 'pg-password');
    writeOwned(pwfile, `${this.password}\n`);
    const ids = postgresUser();
    execFileSync(path.join(PG_BIN, 'initdb'), ['-D', this.dataDir, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--locale=C', '--no-instructions'], {
      ...(ids ?? {}),
      stdio: 'pipe',
    });
    fs.rmSync(pwfile);
    this.port = await freePort();
  }

  async start() {
    this.proc = launch('postgres', path.join(PG_BIN, 'postgres'), [
      '-D', this.dataDir, '-p', String(this.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=',
      '-c', 'max_connections=300', '-c', 'fsync=off', '-c', 'log_min_messages=warning',
    ], { asPostgres: true, logFile: path.join(this.root, 'postgres.log') });
    await waitFor('PostgreSQL start', () => this.proc.output().includes('ready to accept connections'), 60_000, this.proc);
  }

  /** Fast shutdown (every session is terminated, FATAL 57P01), then the same server again. */
  async restart() {
    const started = Date.now();
    await this.stop();
    const down = Date.now();
    await this.start();
    return { downMs: Date.now() - down, totalMs: Date.now() - started };
  }

  async stop() {
    if (!this.proc || this.proc.child.exitCode !== null) return;
    this.proc.child.kill('SIGINT');
    await this.proc.exited;
  }
}

/** PgBouncer (Debian 12 ships 1.18: no prepared statements in transaction mode) in front of `pg`. */
export class PgBouncer {
  constructor(root, pg, database) {
    this.root = root;
    this.pg = pg;
    this.database = database;
    this.port = 0;
  }

  url() {
    return `postgresql://postgres:${this.pg.password}@127.0.0.1:${this.port}/${this.database}`;
  }

  async start() {
    this.port = await freePort();
    const dir = ownDir(path.join(this.root, 'pgbouncer'));
    writeOwned(path.join(dir, 'userlist.txt'), `"postgres" "${this.pg.password}"\n`);
    // The settings README "PgBouncer" documents (deploy/pgbouncer/pgbouncer.ini), on loopback.
    writeOwned(path.join(dir, 'pgbouncer.ini'), [
      '[databases]',
      `${this.database} = host=127.0.0.1 port=${this.pg.port} dbname=${this.database}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${this.port}`,
      'unix_socket_dir =',
      'auth_type = scram-sha-256',
      `auth_file = ${path.join(dir, 'userlist.txt')}`,
      'pool_mode = transaction',
      'max_client_conn = 1000',
      'default_pool_size = 40',
      'server_login_retry = 1',
      'server_connect_timeout = 5',
      'ignore_startup_parameters = extra_float_digits',
      '',
    ].join('\n'));
    this.proc = launch('pgbouncer', PGBOUNCER, [path.join(dir, 'pgbouncer.ini')], { asPostgres: true, logFile: path.join(this.root, 'pgbouncer.log') });
    await waitFor('PgBouncer start', () => canConnect(this.port), 30_000, this.proc);
  }

  async stop() {
    if (!this.proc || this.proc.child.exitCode !== null) return;
    this.proc.child.kill('SIGINT');
    await this.proc.exited;
  }
}

/** HAProxy as in deploy/haproxy/haproxy.cfg: round-robin, checks on readiness, forwardfor. */
export class HaProxy {
  constructor(root, backendPorts) {
    this.root = root;
    this.backendPorts = backendPorts;
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start() {
    this.port = await freePort();
    this.statsPort = await freePort();
    const errorFile = path.join(this.root, '503.http');
    fs.copyFileSync(path.join(api, '..', '..', 'deploy', 'haproxy', '503.http'), errorFile);
    const config = [
      'global',
      '  maxconn 4096',
      'defaults',
      '  mode http',
      '  timeout connect 2s',
      '  timeout client 60s',
      '  timeout server 60s',
      '  timeout http-keep-alive 10s',
      '  retries 3',
      '  retry-on conn-failure',
      '  option redispatch',
      `  errorfile 503 ${errorFile}`,
      'frontend http',
      `  bind 127.0.0.1:${this.port}`,
      '  option forwardfor',
      '  default_backend api',
      'backend api',
      '  balance roundrobin',
      // Its own loopback address towards the instances: they trust it (TRUSTED_PROXIES), and not
      // the test's clients on 127.0.0.1.
      `  source ${PROXY_SOURCE}`,
      '  option httpchk GET /api/health/ready',
      '  http-check expect status 200',
      // Checks every 500 ms (1 s in deploy/): out of rotation within about 1 s of SIGTERM.
      '  default-server inter 500ms fall 2 rise 2',
      ...this.backendPorts.map((port, i) => `  server api${i + 1} 127.0.0.1:${port} check`),
      'listen stats',
      `  bind 127.0.0.1:${this.statsPort}`,
      '  stats enable',
      '  stats uri /stats',
      '',
    ].join('\n');
    const file = path.join(this.root, 'haproxy.cfg');
    fs.writeFileSync(file, config);
    execFileSync(HAPROXY, ['-c', '-q', '-f', file]);
    this.proc = launch('haproxy', HAPROXY, ['-db', '-f', file], { logFile: path.join(this.root, 'haproxy.log') });
    await waitFor('HAProxy start', () => canConnect(this.port), 30_000, this.proc);
  }

  /** Server name → UP / DOWN / … as HAProxy sees it. */
  async states() {
    const csv = await (await fetch(`http://127.0.0.1:${this.statsPort}/stats;csv`)).text();
    const [header, ...rows] = csv.trim().split('\n');
    const cols = header.replace(/^# /, '').split(',');
    const states = {};
    for (const row of rows) {
      const cells = row.split(',');
      if (cells[cols.indexOf('pxname')] === 'api' && cells[cols.indexOf('svname')].startsWith('api')) {
        states[cells[cols.indexOf('svname')]] = cells[cols.indexOf('status')];
      }
    }
    return states;
  }

  async waitAllUp(timeoutMs = 60_000) {
    return waitFor('HAProxy: every server UP', async () => Object.values(await this.states()).every((s) => s === 'UP'), timeoutMs, this.proc);
  }

  async stop() {
    if (!this.proc || this.proc.child.exitCode !== null) return;
    this.proc.child.kill('SIGTERM');
    await this.proc.exited;
  }
}

export const SECRETS = {
  JWT_SECRET: randomBytes(32).toString('base64url'),
  TOKEN_HASH_SECRET: randomBytes(32).toString('base64url'),
};

/** One Conduit instance, started the production way on a fixed port. */
export class Instance {
  constructor(root, name, port, env) {
    this.root = root;
    this.name = name;
    this.port = port;
    this.env = env;
    this.starts = 0;
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Spawns the process; `ready()` waits for readiness. */
  spawn() {
    this.starts += 1;
    this.proc = launch(this.name, process.execPath, [MAIN], {
      env: {
        NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(this.port), LOG_LEVEL: 'warn', WEB_DIST: '/nonexistent',
        TRUSTED_PROXIES: PROXY_SOURCE, DATABASE_POOL_SIZE: '5', SHUTDOWN_GRACE: '3s', ...SECRETS, ...this.env,
      },
      logFile: path.join(this.root, `${this.name}.log`),
    });
    return this;
  }

  async ready(timeoutMs = 180_000) {
    return waitFor(`${this.name} ready`, async () => (await fetch(`${this.url}/api/health/ready`)).status === 200, timeoutMs, this.proc);
  }

  get running() {
    return this.proc !== undefined && this.proc.child.exitCode === null && this.proc.child.signalCode === null;
  }

  /** SIGTERM, as an orchestrator sends it; resolves with the exit code and how long it took. */
  async terminate() {
    const started = Date.now();
    this.proc.child.kill('SIGTERM');
    const { code, signal } = await this.proc.exited;
    return { code, signal, ms: Date.now() - started };
  }

  kill() {
    if (this.running) this.proc.child.kill('SIGKILL');
  }
}
