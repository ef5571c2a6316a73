// Load from many source addresses: wrk and autocannon cannot bind local addresses, so this one
// uses node's http client with `localAddress` (the loopback range 127.0.0.0/8 gives millions of
// them on Linux). Runs in a worker thread; CONNECTIONS loops each take the next address, send
// PER_ADDRESS requests over one keep-alive connection from it, then move on.
import { Worker } from 'node:worker_threads';

const WORKER = `
const http = require('node:http');
const { workerData, parentPort } = require('node:worker_threads');
const { url, headers, addresses, connections, perAddress, durationMs, randomToken } = workerData;
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
// A random conduit_ string of the right length: its checksum is (almost always) wrong.
const junk = () => { let s = 'conduit_'; for (let i = 0; i < 49; i++) s += ALPHABET[(Math.random() * 62) | 0]; return s; };
const target = new URL(url);
let next = 0, done = 0, errors = 0, statuses = {};
const latencies = [];
const end = Date.now() + durationMs;
function one(agent) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const req = http.request({ host: target.hostname, port: target.port, path: target.pathname, headers: randomToken ? { ...headers, authorization: 'Bearer ' + junk() } : headers, agent }, (res) => {
      res.resume();
      res.on('end', () => {
        statuses[res.statusCode] = (statuses[res.statusCode] || 0) + 1;
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        done++;
        resolve();
      });
    });
    req.on('error', () => { errors++; resolve(); });
    req.end();
  });
}
async function loop() {
  while (Date.now() < end) {
    const localAddress = addresses[next++ % addresses.length];
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1, localAddress });
    for (let i = 0; i < perAddress && Date.now() < end; i++) await one(agent);
    agent.destroy();
  }
}
const started = Date.now();
Promise.all(Array.from({ length: connections }, loop)).then(() => {
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] || 0;
  parentPort.postMessage({ rps: done / ((Date.now() - started) / 1000), p50: q(0.5), p99: q(0.99), statuses, errors, addressesUsed: Math.min(next, addresses.length) });
});
`;

/** `count` loopback addresses 127.1.0.1, 127.1.0.2, … */
export function loopbackAddresses(count) {
  return Array.from({ length: count }, (_, i) => `127.1.${(i + 1) >> 8}.${(i + 1) & 255}`);
}

export function addressLoad(url, headers, { addresses, connections = 50, perAddress = 20, durationSeconds = 6, randomToken = false }) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: { url, headers, addresses, connections, perAddress, durationMs: durationSeconds * 1000, randomToken },
    });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}
