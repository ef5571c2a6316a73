// Article-list benchmark: starts the built API on its own embedded PostgreSQL seeded (in SQL, with
// generate_series) with 10,000 articles by 100 authors, 50 tags (3 per article), ~20,000 favorites
// and follows; then loads it with autocannon at 20 connections and prints req/s, p50 and p99 for
//   GET /api/articles?limit=20            (anonymous)
//   GET /api/articles?limit=20            (signed in: favorited/following computed per article)
//   GET /api/articles?tag=…&limit=20       (a tag on ~600 articles)
//   GET /api/articles/feed?limit=20        (a user following 10 authors: ~1,000 articles)
//
//   pnpm --filter @conduit/api bench:articles     (BENCH_DURATION=10 seconds per run by default)
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(here, '..', 'dist');
const { EmbeddedPostgres } = require(path.join(dist, 'database', 'embedded-postgres.js'));
const { Client } = require('pg');
const autocannon = require('autocannon');

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = 20;
const AUTHORS = 100;
const ARTICLES = 10_000;
const TAGS = 50;
const FOLLOWED = 10;

const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

async function startServer(databaseUrl) {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(dist, 'main.js')], {
    env: {
      ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn', WEB_DIST: '/nonexistent', DATABASE_POOL_SIZE: '10', SHUTDOWN_GRACE: '0',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the API exited during start-up (code ${child.exitCode})`);
    try {
      if ((await fetch(`${base}/api/health`)).ok) return { child, base };
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start within 60 s');
}

async function stopServer({ child }) {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

async function register(base, username) {
  const res = await fetch(`${base}/api/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: { username, email: `${username}@bench.test`, password: 'bench password' } }),
  });
  if (res.status !== 201) throw new Error(`register ${username}: ${res.status} ${await res.text()}`);
  return (await res.json()).user.token;
}

/** Everything in SQL: seconds, not minutes. The API's own schema (its migrations ran at start). */
async function seed(databaseUrl, readerName) {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const t0 = Date.now();
    await db.query('BEGIN');
    await db.query(
      `INSERT INTO users (username, email, password_hash)
       SELECT 'author' || i, 'author' || i || '@bench.test', 'not-a-hash' FROM generate_series(1, $1) i`,
      [AUTHORS],
    );
    await db.query(`CREATE TEMP TABLE bench_authors AS SELECT row_number() OVER (ORDER BY username) - 1 AS n, id FROM users WHERE username LIKE 'author%'`);
    await db.query(
      `INSERT INTO articles (slug, author_id, title, description, body, created_at, updated_at)
       SELECT 'bench-article-' || i, a.id, 'Bench article ' || i, 'Description of article ' || i,
              repeat('Lorem ipsum dolor sit amet. ', 40), now() - i * interval '1 minute', now() - i * interval '1 minute'
         FROM generate_series(1, $1) i JOIN bench_authors a ON a.n = i % $2`,
      [ARTICLES, AUTHORS],
    );
    await db.query(`INSERT INTO tags (name) SELECT 'tag' || i FROM generate_series(0, $1 - 1) i`, [TAGS]);
    await db.query(
      `INSERT INTO article_tags (article_id, tag_id, position)
       SELECT a.id, t.id, x.position
         FROM articles a
         CROSS JOIN LATERAL (VALUES (1, a.id % $1), (2, (a.id * 7 + 3) % $1), (3, (a.id * 13 + 5) % $1)) AS x(position, tag)
         JOIN tags t ON t.name = 'tag' || x.tag
       ON CONFLICT DO NOTHING`,
      [TAGS],
    );
    // Each author favorites ~2% of the articles (the trigger keeps favorites_count).
    await db.query(
      `INSERT INTO favorites (user_id, article_id)
       SELECT u.id, a.id FROM bench_authors u JOIN articles a ON (a.id * 31 + u.n) % 50 = 0`,
    );
    // Each author follows the next 10.
    await db.query(
      `INSERT INTO follows (follower_id, followee_id)
       SELECT f.id, t.id FROM bench_authors f JOIN bench_authors t ON t.n <> f.n AND (t.n - f.n + $1) % $1 BETWEEN 1 AND $2`,
      [AUTHORS, FOLLOWED],
    );
    // The reader follows 10 authors and favorites a few hundred articles.
    const { rows: [reader] } = await db.query('SELECT id FROM users WHERE username = $1', [readerName]);
    await db.query(`INSERT INTO follows (follower_id, followee_id) SELECT $1, id FROM bench_authors WHERE n < $2`, [reader.id, FOLLOWED]);
    await db.query(`INSERT INTO favorites (user_id, article_id) SELECT $1, id FROM articles WHERE id % 23 = 0`, [reader.id]);
    await db.query('COMMIT');
    await db.query('VACUUM ANALYZE');
    const counts = await db.query(
      `SELECT (SELECT count(*) FROM articles)::int AS articles, (SELECT count(*) FROM article_tags)::int AS article_tags,
              (SELECT count(*) FROM favorites)::int AS favorites, (SELECT count(*) FROM follows)::int AS follows,
              (SELECT count(*) FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE t.name = 'tag7')::int AS tag7,
              (SELECT count(*) FROM articles a JOIN follows f ON f.followee_id = a.author_id WHERE f.follower_id = $1)::int AS feed`,
      [reader.id],
    );
    console.log(`Seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${JSON.stringify(counts.rows[0])}`);
  } finally {
    await db.end();
  }
}

function load(base, title, url, headers = {}) {
  return new Promise((resolve, reject) => {
    autocannon({ url: base + url, connections: CONNECTIONS, duration: DURATION, headers }, (error, result) => {
      if (error) return reject(error);
      resolve({ title, url, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors });
    });
  });
}

async function main() {
  if (!fs.existsSync(path.join(dist, 'main.js'))) throw new Error('build the API first (pnpm build)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conduit-bench-articles-'));
  fs.chmodSync(dir, 0o755);
  const pg = new EmbeddedPostgres({ dataDir: path.join(dir, 'pg') });
  await pg.start();
  let server;
  try {
    server = await startServer(pg.url);
    const reader = 'bench_reader';
    const token = await register(server.base, reader);
    await seed(pg.url, reader);

    // Sanity: what the runs will fetch.
    for (const url of ['/api/articles?limit=20', '/api/articles?tag=tag7&limit=20', '/api/articles/feed?limit=20']) {
      const res = await fetch(server.base + url, { headers: { authorization: `Bearer ${token}` } });
      const body = await res.json();
      if (res.status !== 200 || body.articles.length !== 20) throw new Error(`${url}: ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
      console.log(`${url}: ${body.articlesCount} articles in all`);
    }

    const auth = { authorization: `Bearer ${token}` };
    const runs = [
      ['list, anonymous', '/api/articles?limit=20', {}],
      ['list, signed in', '/api/articles?limit=20', auth],
      ['tag filter', '/api/articles?tag=tag7&limit=20', {}],
      ['feed (follows 10 authors)', '/api/articles/feed?limit=20', auth],
    ];
    const results = [];
    for (const [title, url, headers] of runs) {
      await load(server.base, title, url, headers).then((r) => results.push(r));
      const r = results.at(-1);
      console.log(`${title.padEnd(28)} ${r.rps.toFixed(0).padStart(6)} req/s   p50 ${String(r.p50).padStart(3)} ms   p99 ${String(r.p99).padStart(3)} ms` +
        (r.non2xx || r.errors ? `   (non-2xx ${r.non2xx}, errors ${r.errors})` : ''));
    }
    console.log(`\n${CONNECTIONS} connections, ${DURATION} s per run, ${os.cpus().length} cores (API process + PostgreSQL + autocannon share them).`);
    if (results.some((r) => r.non2xx || r.errors)) process.exitCode = 1;
  } finally {
    if (server) await stopServer(server);
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
