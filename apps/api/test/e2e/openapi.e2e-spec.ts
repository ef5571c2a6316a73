import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { http, startApp } from '../support/app';

/**
 * The served OpenAPI document is the API reference: Redocly's recommended ruleset finds nothing in
 * it, every operation says who may call it and what it answers, and the types generated from it
 * match the shared contract (libs/contracts) in both directions.
 */
const apiDir = path.resolve(__dirname, '..', '..');
const bin = (name: string) => path.join(apiDir, 'node_modules', '.bin', name);
const generated = path.join(apiDir, 'test', 'openapi', 'generated', 'openapi.ts');

type Operation = {
  operationId: string;
  security?: Record<string, string[]>[];
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, { schema?: unknown }>; headers?: Record<string, unknown> }>;
};

describe('the OpenAPI document', () => {
  let app: NestFastifyApplication;
  let work: string;
  let file: string;
  let document: { paths: Record<string, Record<string, Operation>> };

  beforeAll(async () => {
    app = await startApp();
    const res = await http(app).get('/api/docs/openapi.json').expect(200);
    document = res.body;
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'conduit-openapi-'));
    file = path.join(work, 'openapi.json');
    fs.writeFileSync(file, JSON.stringify(document));
  });
  afterAll(async () => {
    await app.close();
    fs.rmSync(work, { recursive: true, force: true });
  });

  const operations = () =>
    Object.entries(document.paths).flatMap(([p, item]) => Object.entries(item).map(([method, op]) => ({ name: `${method.toUpperCase()} ${p}`, op })));

  it("passes `redocly lint` with the recommended ruleset: 0 errors, 0 warnings", () => {
    const result = spawnSync(bin('redocly'), ['lint', file, '--format', 'json'], {
      encoding: 'utf8',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
      timeout: 60_000,
    });
    const report = JSON.parse(result.stdout) as { totals: { errors: number; warnings: number }; problems: { ruleId: string; message: string; location: { pointer: string }[] }[] };
    const problems = report.problems.map((p) => `${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`);
    expect(problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    expect(result.status).toBe(0);
  }, 90_000);

  it('says for every operation who may call it, and answers 401/429/503 where it authenticates', () => {
    expect(operations().length).toBeGreaterThan(20);
    for (const { name, op } of operations()) {
      expect([name, op.security]).toEqual([name, expect.any(Array)]);
      const authenticates = op.security!.some((s) => 'bearer' in s);
      if (!authenticates) continue;
      for (const status of ['401', '429', '503']) expect([name, status, op.responses[status]?.content?.['application/json']?.schema]).toEqual([name, status, { $ref: '#/components/schemas/ErrorResponseDto' }]);
      expect([name, Object.keys(op.responses['401'].headers ?? {})]).toEqual([name, ['WWW-Authenticate']]);
      expect([name, Object.keys(op.responses['429'].headers ?? {})]).toEqual([name, ['Retry-After']]);
    }
    const get = (p: string, m: string) => document.paths[p][m];
    expect(get('/api/tags', 'get').security).toEqual([]);
    expect(get('/api/articles', 'get').security).toEqual([{}, { bearer: [] }]);
    expect(get('/api/user/api-tokens', 'post').security).toEqual([{ bearer: [] }]);
    expect(Object.keys(get('/api/user/api-tokens', 'post').responses)).toContain('403'); // session only
    expect(Object.keys(get('/api/user/api-tokens', 'get').responses['200'].headers ?? {})).toContain('Conduit-Token-Expires-At');
  });

  it('has exactly one success answer per operation, and a schema for every answer with a body', () => {
    for (const { name, op } of operations()) {
      const success = Object.entries(op.responses).filter(([s]) => s.startsWith('2'));
      expect([name, success.length]).toEqual([name, 1]);
      const [status, response] = success[0];
      if (status !== '204') expect([name, response.content?.['application/json']?.schema]).toEqual([name, expect.anything()]);
      for (const [s, r] of Object.entries(op.responses)) if (s !== '204' && !s.startsWith('2')) expect([name, s, r.content?.['application/json']?.schema]).toEqual([name, s, expect.anything()]);
    }
  });

  it('opens with a "Getting started" and lists its tags in reading order', () => {
    const doc = document as unknown as { info: { description: string }; tags: { name: string; description?: string }[] };
    const intro = doc.info.description;
    expect(intro).toMatch(/## Getting started/);
    for (const step of ['POST /api/users/login', 'POST /api/user/reauthenticate', 'POST /api/user/api-tokens', 'Authorization: Bearer conduit_', '/rotate', 'overlapSeconds']) {
      expect([step, intro.includes(step)]).toEqual([step, true]);
    }
    // Why a token is refused: each reason the API gives.
    for (const reason of ['ip_not_allowed', 'expired', 'revoked', 'rotated', 'insufficient_permission']) expect([reason, intro.includes(reason)]).toEqual([reason, true]);
    expect(doc.tags.map((t) => t.name)).toEqual([
      'users', 'api-tokens', 'trust-policies', 'security-log', 'notifications', 'credentials', 'articles', 'comments', 'favorites', 'profiles', 'tags', 'meta',
    ]);
    for (const tag of doc.tags) expect([tag.name, tag.description]).toEqual([tag.name, expect.stringMatching(/\w{3}/)]);
    const used = new Set(operations().flatMap(({ op }) => (op as { tags?: string[] }).tags ?? []));
    expect([...used].sort()).toEqual(doc.tags.map((t) => t.name).sort());
  });

  it('describes every answer, with examples that belong to their operation', () => {
    for (const { name, op } of operations()) {
      for (const [status, response] of Object.entries(op.responses)) {
        const description = (response as { description?: string }).description ?? '';
        expect([name, status, description.trim().length > 3]).toEqual([name, status, true]);
      }
    }
    const example = (p: string, m: string, status: string) =>
      (document.paths[p][m].responses[status].content?.['application/json'] as { example?: { errors: Record<string, string[]> } }).example;
    // A 422 names a field of the operation's own body or query.
    expect(Object.keys(example('/api/user/api-tokens', 'post', '422')!.errors)).toEqual(['name']);
    expect(Object.keys(example('/api/users/login', 'post', '422')!.errors)).toEqual(['email']);
    expect(Object.keys(example('/api/articles', 'post', '422')!.errors)).toEqual(['title']);
    expect(Object.keys(example('/api/user/security-log', 'get', '422')!.errors)).toEqual(['limit']);
    // A 404 is about what the path names.
    expect(example('/api/user/api-tokens/{id}', 'delete', '404')).toEqual({ errors: { apiToken: ['not found'] } });
    expect(example('/api/profiles/{username}', 'get', '404')).toEqual({ errors: { profile: ['not found'] } });
    expect(example('/api/articles/{slug}', 'get', '404')).toEqual({ errors: { article: ['not found'] } });
    for (const { name, op } of operations()) {
      const e422 = op.responses['422']?.content?.['application/json'] as { example?: { errors: Record<string, string[]> } } | undefined;
      if (!e422?.example) continue;
      const field = Object.keys(e422.example.errors)[0];
      expect([name, JSON.stringify(op).includes(`"${field}"`)]).toEqual([name, true]);
    }
  });

  it('generates types (openapi-typescript) that match libs/contracts both ways', () => {
    fs.mkdirSync(path.dirname(generated), { recursive: true });
    const gen = spawnSync(bin('openapi-typescript'), [file, '-o', generated, '--default-non-nullable', 'false'], { encoding: 'utf8', timeout: 60_000 });
    expect([gen.status, gen.stderr]).toEqual([0, expect.any(String)]);
    const tsc = spawnSync(bin('tsc'), ['--noEmit', '-p', path.join(apiDir, 'test', 'openapi', 'tsconfig.json')], { encoding: 'utf8', timeout: 120_000 });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  }, 150_000);

  it('is rendered for people at /api/docs (Swagger UI and its assets)', async () => {
    const page = await http(app).get('/api/docs').expect(200);
    expect(page.headers['content-type']).toContain('text/html');
    const assets = [...page.text.matchAll(/(?:src|href)="\.\/docs\/([^"]+)"/g)].map((m) => m[1]);
    expect(assets).toEqual(expect.arrayContaining(['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-init.js']));
    for (const asset of assets) await http(app).get(`/api/docs/${asset}`).expect(200);
  });
});
