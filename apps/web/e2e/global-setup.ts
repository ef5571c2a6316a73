import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { startMailbox } from './mailbox';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    /** A second origin (another port) that the API's CORS_ORIGINS names; nothing listens there yet. */
    otherOrigin: string;
    /** A loopback OIDC issuer the API trusts (TRUSTED_ISSUERS), and the key it signs ID tokens with. */
    ciIssuer: { url: string; kid: string; privateKeyPem: string };
    /** The file the test SMTP server appends each received message to (JSON lines; see mailbox.ts). */
    mailbox: string;
  }
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '..', '..', '..');
const WEB_ROOT = path.join(REPO_ROOT, 'apps', 'web');
const API_MAIN = path.join(REPO_ROOT, 'apps', 'api', 'dist', 'main.js');

function run(command: string, args: string[], cwd: string) {
  // vitest sets NODE_ENV=test; the builds must be production builds (React's dev build is 50% larger).
  const result = spawnSync(command, args, { cwd, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed in ${cwd} (exit ${result.status})`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(baseUrl: string, child: ChildProcess, logFile: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n') : '(no log)';
  throw new Error(`The API did not become healthy at ${baseUrl} (exit code ${child.exitCode}). Last log lines:\n${log}`);
}

/** A loopback OIDC issuer (discovery and JWKS) playing GitHub Actions for the Trusted CI journey. */
async function startCiIssuer(): Promise<{ server: Server; url: string; kid: string; privateKeyPem: string }> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomUUID();
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  let url = '';
  const server = createHttpServer((req, res) => {
    const body =
      req.url === '/.well-known/openid-configuration' ? { issuer: url, jwks_uri: `${url}/jwks` } : req.url === '/jwks' ? { keys: [jwk] } : null;
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return { server, url, kid, privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() };
}

/**
 * Builds the API and the web app (skip with E2E_SKIP_BUILD=1), starts the production server on a
 * free port with a fresh data directory (embedded PostgreSQL), and stops it afterwards.
 */
export default async function setup(project: TestProject) {
  if (process.env.E2E_SKIP_BUILD !== '1') {
    run('npx', ['-y', 'pnpm@12.4.2', '--filter', '@conduit/api', 'build'], REPO_ROOT);
    run('npx', ['vite', 'build', '--logLevel', 'warn'], WEB_ROOT);
  }
  if (!existsSync(API_MAIN)) throw new Error(`${API_MAIN} is missing: build the API first`);
  if (!existsSync(path.join(WEB_ROOT, 'dist', 'index.html'))) throw new Error('apps/web/dist is missing: run vite build');

  const port = await freePort();
  const otherOrigin = `http://127.0.0.1:${await freePort()}`;
  const dataDir = await mkdtemp(path.join(tmpdir(), 'conduit-web-e2e-'));
  // The embedded PostgreSQL runs as the OS user "postgres" when we are root: let it in.
  await chmod(dataDir, 0o777);
  const logFile = path.join(dataDir, 'api.log');
  // A real SMTP server for the mail the API sends (password reset links): every message lands in one file.
  const mailbox = await startMailbox(path.join(dataDir, 'mail.jsonl'));
  const log = createWriteStream(logFile);
  const baseUrl = `http://127.0.0.1:${port}`;
  const ciIssuer = await startCiIssuer();

  const child = spawn(process.execPath, [API_MAIN], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      // Stopped by SIGTERM at the end of the run: no load balancer to wait for.
      SHUTDOWN_GRACE: '0',
      DATA_DIR: dataDir,
      WEB_DIST: path.join(WEB_ROOT, 'dist'),
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      CORS_ORIGINS: otherOrigin,
      // Refusals become a security log event when their window ends: short, so a test can read them.
      SECURITY_LOG_REFUSAL_WINDOW: '2s',
      TRUSTED_ISSUERS: `https://token.actions.githubusercontent.com,https://gitlab.com,${ciIssuer.url}`,
      SMTP_URL: mailbox.url,
      // Every browser test signs up its users from 127.0.0.1.
      SIGNUP_LIMIT: '100000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    }
    log.end();
    ciIssuer.server.closeAllConnections();
    await new Promise<void>((resolve) => ciIssuer.server.close(() => resolve()));
    await mailbox.stop();
    if (process.env.E2E_KEEP_DATA === '1') console.log(`API data and log kept in ${dataDir}`);
    else await rm(dataDir, { recursive: true, force: true });
  };

  try {
    // Generous: on a busy machine the first start (initdb, migrations) has taken over a minute.
    await waitForHealth(baseUrl, child, logFile, 180_000);
  } catch (error) {
    await stop();
    throw error;
  }
  project.provide('baseUrl', baseUrl);
  project.provide('otherOrigin', otherOrigin);
  project.provide('ciIssuer', { url: ciIssuer.url, kid: ciIssuer.kid, privateKeyPem: ciIssuer.privateKeyPem });
  project.provide('mailbox', mailbox.file);
  return stop;
}
