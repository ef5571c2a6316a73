#!/usr/bin/env node
// RealWorld conformance: starts the compiled API the normal way (node apps/api/dist/main.js, an
// embedded PostgreSQL in a fresh data folder) and runs both RealWorld suites held in this folder
// against it: the current Bruno collection (realworld-v2/, with @usebruno/cli: every request must
// pass) and the legacy Postman collection (legacy/, with newman: no assertion may fail). Prints
// each summary and exits non-zero unless both passed. Build first (`pnpm build`);
// `pnpm test:conformance` does both. Where the suites come from: README.md in this folder.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const apiDir = path.resolve(here, '..', '..');
const repoRoot = path.resolve(apiDir, '..', '..');
const mainJs = path.join(apiDir, 'dist', 'main.js');
const bin = (name) => path.join(apiDir, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);
const bru = bin('bru');
const newman = bin('newman');
const brunoSource = path.join(here, 'realworld-v2', 'bruno');
const postmanCollection = path.join(here, 'legacy', 'Conduit.postman_collection.json');
const EXPECTED_REQUESTS = 154;
const LEGACY_EXPECTED_REQUESTS = 32;
const BOOT_TIMEOUT_MS = 60_000;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url, server) {
  const deadline = Date.now() + BOOT_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the API exited during start-up (code ${server.exitCode})`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`GET ${url} did not answer 200 within ${BOOT_TIMEOUT_MS / 1000} s`);
}

function stop(server) {
  return new Promise((resolve) => {
    if (server.exitCode !== null || server.signalCode !== null) return resolve();
    const killer = setTimeout(() => server.kill('SIGKILL'), 30_000);
    server.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    server.kill('SIGTERM');
  });
}

function run(command, args, options) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', ...options });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** Totals from newman's JSON report. */
function readNewmanReport(file) {
  const { run } = JSON.parse(fs.readFileSync(file, 'utf8'));
  const failures = run.failures.map((f) => `${f.source?.name ?? '?'}: ${f.error?.test ? `${f.error.test}: ` : ''}${f.error?.message ?? ''}`);
  return { requests: run.stats.requests.total, assertions: run.stats.assertions.total, failedAssertions: run.stats.assertions.failed, failures };
}

/** Totals from bru's JSON report (an array of iterations, each with a summary and results). */
function readReport(file) {
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  const iterations = Array.isArray(report) ? report : [report];
  const totals = { requests: 0, passedRequests: 0, failedRequests: 0, errorRequests: 0, failures: [] };
  for (const iteration of iterations) {
    const s = iteration.summary ?? {};
    totals.requests += s.totalRequests ?? 0;
    totals.passedRequests += s.passedRequests ?? 0;
    totals.failedRequests += s.failedRequests ?? 0;
    totals.errorRequests += s.errorRequests ?? 0;
    for (const result of iteration.results ?? []) {
      const failed = [...(result.assertionResults ?? []), ...(result.testResults ?? [])].filter((r) => r.status !== 'pass');
      if (failed.length || result.error) {
        totals.failures.push(
          `${result.test?.filename ?? result.suitename ?? '?'}: ${result.error ?? failed.map((f) => `${f.description ?? ''} ${f.error ?? ''}`.trim()).join('; ')}`,
        );
      }
    }
  }
  return totals;
}

async function main() {
  if (!fs.existsSync(mainJs)) throw new Error(`${mainJs} is missing: build the API first (pnpm build)`);
  for (const tool of [bru, newman]) if (!fs.existsSync(tool)) throw new Error(`${tool} is missing: install the workspace (pnpm install)`);

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'conduit-conformance-'));
  // PostgreSQL may run as another OS user (as root: `postgres`): it must be able to reach its folder.
  fs.chmodSync(work, 0o755);
  const dataDir = path.join(work, 'data');
  fs.mkdirSync(dataDir, { mode: 0o755 });
  const collection = path.join(work, 'bruno');
  fs.cpSync(brunoSource, collection, { recursive: true });
  fs.chmodSync(collection, 0o755);
  const reportFile = path.join(work, 'bru-report.json');
  const newmanReportFile = path.join(work, 'newman-report.json');

  const port = await freePort();
  const host = `http://127.0.0.1:${port}`;
  const serverLog = path.join(work, 'server.log');
  const log = fs.openSync(serverLog, 'a');
  const server = spawn(process.execPath, [mainJs], {
    cwd: repoRoot,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', NODE_ENV: 'production', DATABASE_URL: '', SHUTDOWN_GRACE: '0' },
    stdio: ['ignore', log, log],
  });
  const onSignal = () => void stop(server).then(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  let exitCode = 1;
  try {
    console.log(`Starting the API on ${host} (data in ${dataDir}) …`);
    await waitForHealth(`${host}/api/health`, server);
    console.log('API is up; running the RealWorld v2 Bruno collection …\n');
    const bruCode = await run(bru, ['run', '-r', '--env', 'local', '--env-var', `host=${host}`, '--reporter-json', reportFile], {
      cwd: collection,
      env: { ...process.env, NO_COLOR: process.env.NO_COLOR ?? '' },
    });
    if (!fs.existsSync(reportFile)) throw new Error(`bru exited with ${bruCode} and wrote no report`);
    const totals = readReport(reportFile);
    const v2Passed =
      totals.requests === EXPECTED_REQUESTS && totals.passedRequests === EXPECTED_REQUESTS && totals.failedRequests === 0 && totals.errorRequests === 0;

    // The legacy collection's own variables, as its upstream runner set them: a fresh user per run.
    console.log('\nRunning the legacy Postman collection with newman …\n');
    const username = `u${Date.now().toString(36)}`;
    const newmanCode = await run(
      newman,
      [
        'run', postmanCollection,
        '--global-var', `APIURL=${host}/api`,
        '--global-var', `USERNAME=${username}`,
        '--global-var', `EMAIL=${username}@mail.com`,
        '--global-var', 'PASSWORD=password',
        '--reporters', 'cli,json', '--reporter-json-export', newmanReportFile,
        '--reporter-cli-no-success-assertions', '--reporter-cli-no-console',
      ],
      { cwd: work },
    );
    if (!fs.existsSync(newmanReportFile)) throw new Error(`newman exited with ${newmanCode} and wrote no report`);
    const legacy = readNewmanReport(newmanReportFile);
    const legacyPassed = legacy.requests === LEGACY_EXPECTED_REQUESTS && legacy.failedAssertions === 0 && legacy.assertions > 0;

    console.log(`\nConformance (RealWorld v2, Bruno): ${totals.passedRequests}/${EXPECTED_REQUESTS} requests passed` +
      ` (bru ran ${totals.requests}; failed ${totals.failedRequests}, errors ${totals.errorRequests}; bru exit code ${bruCode})`);
    for (const failure of totals.failures) console.log(`  ✗ ${failure}`);
    console.log(`Conformance (legacy Postman, newman): ${legacy.assertions - legacy.failedAssertions}/${legacy.assertions} assertions passed` +
      ` in ${legacy.requests}/${LEGACY_EXPECTED_REQUESTS} requests (newman exit code ${newmanCode})`);
    for (const failure of legacy.failures) console.log(`  ✗ ${failure}`);
    exitCode = v2Passed && bruCode === 0 && legacyPassed && newmanCode === 0 ? 0 : 1;
  } catch (error) {
    console.error(`Conformance run failed: ${error instanceof Error ? error.message : String(error)}`);
    const tail = fs.readFileSync(serverLog, 'utf8').split('\n').slice(-30).join('\n');
    if (tail.trim()) console.error(`--- server log (last lines) ---\n${tail}`);
  } finally {
    await stop(server);
    fs.closeSync(log);
    if (exitCode === 0 || !process.env.CONFORMANCE_KEEP) fs.rmSync(work, { recursive: true, force: true });
    else console.error(`Kept ${work} for inspection.`);
  }
  process.exit(exitCode);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
