import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

/**
 * The layers of apps/api/src, lowest first (README, "Architecture"). A module may import its own
 * layer and the layers below it, never one above; folders of one layer may import each other as
 * long as no cycle forms between folders.
 */
export const LAYERS: ReadonlyArray<readonly string[]> = [
  ['config'],
  ['database'],
  ['common'],
  // Counters and gauges, counted where things happen (served on METRICS_PORT).
  ['metrics'],
  // The kernel every controller may import: who is calling and what a route needs.
  ['access', 'openapi'],
  // Platform services the features report to or run on.
  ['scheduler', 'mail', 'throttle'],
  ['notifications'],
  ['security-log'],
  // Features.
  ['users', 'sessions', 'api-tokens', 'trust-policies', 'secret-scanning', 'password-reset', 'profiles', 'articles', 'favorites', 'comments', 'tags', 'health'],
  // The request pipeline, on top of the features it authenticates with.
  ['auth'],
  // The application: app.module.ts, app.factory.ts, main.ts.
  ['.'],
];

const SRC = __dirname;
const rank = new Map(LAYERS.flatMap((folders, i) => folders.map((f) => [f, i] as const)));

/** Every .ts file under src, with the top-level folder of each relative import it makes. */
function importGraph(): Array<{ file: string; from: string; to: string }> {
  const edges: Array<{ file: string; from: string; to: string }> = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) {
        const { importedFiles } = ts.preProcessFile(fs.readFileSync(full, 'utf8'), true, true);
        for (const { fileName } of importedFiles) {
          if (!fileName.startsWith('.')) continue;
          const target = path.relative(SRC, path.resolve(path.dirname(full), fileName));
          edges.push({ file: path.relative(SRC, full), from: folderOf(path.relative(SRC, full)), to: folderOf(target) });
        }
      }
    }
  };
  walk(SRC);
  return edges;
}

const folderOf = (relative: string) => (relative.includes(path.sep) ? relative.split(path.sep)[0] : '.');

describe('the import graph of apps/api/src', () => {
  const edges = importGraph();

  it('reads imports (type-only ones too) from every folder', () => {
    expect(edges.length).toBeGreaterThan(200);
    expect(edges).toContainEqual({ file: path.join('auth', 'guards', 'authentication.guard.ts'), from: 'auth', to: 'access' });
    // `import type` counts: a type is a dependency too.
    expect(edges).toContainEqual({ file: path.join('users', 'user.mapper.ts'), from: 'users', to: 'access' });
  });

  it('places every folder in a layer', () => {
    const folders = new Set(edges.flatMap((e) => [e.from, e.to]));
    expect([...folders].filter((f) => !rank.has(f))).toEqual([]);
  });

  it('has no import from a lower layer into a higher one', () => {
    const upward = edges
      .filter((e) => (rank.get(e.to) ?? 0) > (rank.get(e.from) ?? 0))
      .map((e) => `${e.file} imports ${e.to}/ (layer ${rank.get(e.to)} above ${e.from}'s ${rank.get(e.from)})`);
    expect(upward).toEqual([]);
  });

  it('has no cycle between folders', () => {
    const next = new Map<string, Set<string>>();
    for (const e of edges) if (e.from !== e.to) (next.get(e.from) ?? next.set(e.from, new Set()).get(e.from)!).add(e.to);
    const cycles: string[] = [];
    const visit = (folder: string, trail: string[]): void => {
      if (trail.includes(folder)) {
        cycles.push([...trail.slice(trail.indexOf(folder)), folder].join(' → '));
        return;
      }
      for (const to of next.get(folder) ?? []) visit(to, [...trail, folder]);
    };
    for (const folder of next.keys()) visit(folder, []);
    expect(cycles).toEqual([]);
  });

  it('keeps access/ free of features: it imports only common/ and the contracts', () => {
    expect([...new Set(edges.filter((e) => e.from === 'access' && e.to !== 'access').map((e) => e.to))]).toEqual(['common']);
  });

  it('documents error answers with @ApiErrors only (openapi/): no controller declares its own error responses', () => {
    const ERROR_RESPONSE = /\bApi(BadRequest|Unauthorized|Forbidden|NotFound|Conflict|PayloadTooLarge|UnsupportedMediaType|UnprocessableEntity|TooManyRequests|InternalServerError|ServiceUnavailable)Response\b|\bApiResponse\(|\bErrorResponseDto\b/;
    const declaring: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.controller.ts') && ERROR_RESPONSE.test(fs.readFileSync(full, 'utf8'))) declaring.push(path.relative(SRC, full));
      }
    };
    walk(SRC);
    // Not the one error format: the OAuth token endpoint answers in OAuth's (RFC 6749), health's 503 is its status body.
    expect(declaring.sort()).toEqual([path.join('health', 'health.controller.ts'), path.join('trust-policies', 'oauth-token.controller.ts')]);
  });

  /** The files (besides migrations) in which `pattern` occurs: for a table, its feature's repository (README, "Architecture"). */
  const filesMatching = (pattern: RegExp): string[] => {
    const naming: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (entry.name !== 'migrations') walk(full);
        } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('spec.ts') && pattern.test(fs.readFileSync(full, 'utf8'))) {
          naming.push(path.relative(SRC, full));
        }
      }
    };
    walk(SRC);
    return naming.sort();
  };

  it('names the api_tokens table in the api-tokens repository only (and in migrations)', () => {
    // The security log's insert reads a token's name and hint when the caller had none (a left join).
    expect(filesMatching(/\bapi_tokens\b/)).toEqual([path.join('api-tokens', 'api-token.entity.ts'), path.join('api-tokens', 'api-tokens.repository.ts'), path.join('security-log', 'security-log.repository.ts')]);
  });

  it.each([
    ['password_resets', path.join('password-reset', 'password-resets.repository.ts')],
    ['scheduled_jobs', path.join('scheduler', 'scheduled-jobs.repository.ts')],
    ['mail_outbox', path.join('mail', 'mail-outbox.repository.ts')],
    ['security_events', path.join('security-log', 'security-log.repository.ts')],
    ['sessions', path.join('sessions', 'sessions.repository.ts')],
    ['auth_failures', path.join('common', 'auth-failures.repository.ts')],
  ])('runs SQL on the %s table in its repository only (and in migrations)', (table, repository) => {
    expect(filesMatching(new RegExp(`\\b(FROM|INTO|UPDATE|JOIN|TABLE)\\s+${table}\\b`))).toEqual([repository]);
  });
});
