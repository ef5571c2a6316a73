// Redaction micro-benchmark: what redacting a request line by value costs. Prints ns per call of
// redactSecrets for typical URLs (none with a secret, which is nearly every request, and a few
// with one), of loggableHeaders for a browser's headers, and of writing the whole request line
// through pino (to a stream that drops it), the way the API writes it: URL redacted and
// allowlisted headers, against the URL and all headers as they came (pino's redact paths only).
//
//   pnpm --filter @conduit/api bench:redaction   (BENCH_ITERATIONS per case, default 200000)
//
// Each case is timed in 5 rounds after a warm-up, and the median round is printed.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { redactSecrets, loggableHeaders } = require('../dist/common/redaction.js');
const { createLogger } = require('../dist/common/logging.js');

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 200_000);
const token = `conduit_${'A1b2C3d4E5'.repeat(4)}abc123XYZ`;
const jwt = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';

const headers = {
  host: 'conduit.example',
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  accept: 'application/json',
  'accept-encoding': 'gzip, deflate, br, zstd',
  'accept-language': 'en-GB,en;q=0.9',
  authorization: `Bearer ${jwt}`,
  cookie: 'theme=dark',
  referer: 'https://conduit.example/article/how-to-train-your-dragon-a1b2c3',
  'sec-fetch-mode': 'cors',
  'sec-ch-ua': '"Chromium";v="131", "Not_A Brand";v="24"',
  'x-forwarded-for': '203.0.113.7',
};

function time(fn) {
  for (let i = 0; i < ITERATIONS / 10; i++) fn(i);
  const rounds = [];
  for (let r = 0; r < 5; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < ITERATIONS; i++) fn(i);
    rounds.push(Number(process.hrtime.bigint() - start) / ITERATIONS);
  }
  return rounds.sort((a, b) => a - b)[2];
}

let sink = 0;
const cases = {
  'redactSecrets /api/articles/how-to-train-your-dragon-a1b2c3': () => (sink += redactSecrets('/api/articles/how-to-train-your-dragon-a1b2c3').length),
  'redactSecrets /api/articles?tag=x&limit=5&offset=20': () => (sink += redactSecrets('/api/articles?tag=x&limit=5&offset=20').length),
  'redactSecrets /api/user?access_token=<token>': () => (sink += redactSecrets(`/api/user?access_token=${token}`).length),
  'redactSecrets /api/articles/<token>': () => (sink += redactSecrets(`/api/articles/${token}`).length),
  'redactSecrets /api/user?jwt=<jwt>': () => (sink += redactSecrets(`/api/user?jwt=${jwt}`).length),
  'loggableHeaders (11 browser headers)': () => (sink += Object.keys(loggableHeaders(headers)).length),
};
const discard = { write() {} };
const now = createLogger({ logLevel: 'info' }, discard);
const url = '/api/articles?tag=x&limit=5&offset=20';
cases['request line through pino: URL and all headers (pino redact paths)'] = () =>
  now.info({ reqId: 'req-1', req: { method: 'GET', url, headers }, clientIp: '203.0.113.7', res: { statusCode: 200 }, responseTime: 1.2 }, 'request completed');
cases['request line through pino: redactSecrets(URL), allowlisted headers'] = () =>
  now.info(
    { reqId: 'req-1', req: { method: 'GET', url: redactSecrets(url), headers: loggableHeaders(headers) }, clientIp: '203.0.113.7', res: { statusCode: 200 }, responseTime: 1.2 },
    'request completed',
  );

for (const [name, fn] of Object.entries(cases)) console.log(`${time(fn).toFixed(0).padStart(6)} ns/op  ${name}`);
if (sink === 0) console.log('');
