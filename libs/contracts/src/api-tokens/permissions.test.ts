import { describe, expect, it } from 'vitest';
import {
  API_TOKEN_RESOURCES, PERMISSION_LEVELS, READ_ONLY_PERMISSIONS, READ_WRITE_PERMISSIONS, NO_PERMISSIONS, PERMISSION_PRESETS,
  completePermissions, decodePermissions, encodePermissions, formatPermissions, hasPermission, permissionsProblems, presetOf,
  type ApiTokenPermissions,
} from './permissions.js';
import { API_ROUTE_ACCESS, describeRouteAccess, requiredPermission } from './route-access.js';

describe('permissions', () => {
  it('has two presets: read-only (every resource read) and read-write (every resource write)', () => {
    expect(PERMISSION_PRESETS['read-only']).toEqual({ articles: 'read', comments: 'read', social: 'read', account: 'read' });
    expect(PERMISSION_PRESETS['read-write']).toEqual({ articles: 'write', comments: 'write', social: 'write', account: 'write' });
    expect(presetOf(READ_ONLY_PERMISSIONS)).toBe('read-only');
    expect(presetOf({ ...READ_ONLY_PERMISSIONS, account: 'none' })).toBeNull();
  });

  it('write includes read; none grants nothing', () => {
    const p: ApiTokenPermissions = { articles: 'write', comments: 'read', social: 'none', account: 'none' };
    expect(hasPermission(p, 'articles:read')).toBe(true);
    expect(hasPermission(p, 'articles:write')).toBe(true);
    expect(hasPermission(p, 'comments:read')).toBe(true);
    expect(hasPermission(p, 'comments:write')).toBe(false);
    expect(hasPermission(p, 'social:read')).toBe(false);
  });

  it('completes a request: left-out resources are none; no permissions at all is write on everything', () => {
    expect(completePermissions({ articles: 'read' })).toEqual({ articles: 'read', comments: 'none', social: 'none', account: 'none' });
    expect(completePermissions({})).toEqual(NO_PERMISSIONS);
    expect(completePermissions(undefined)).toEqual(READ_WRITE_PERMISSIONS);
  });

  it('formats the short form', () => {
    expect(formatPermissions(READ_ONLY_PERMISSIONS)).toBe('Read-only');
    expect(formatPermissions(READ_WRITE_PERMISSIONS)).toBe('Read and write');
    expect(formatPermissions(NO_PERMISSIONS)).toBe('No access');
    expect(formatPermissions({ articles: 'write', comments: 'none', social: 'none', account: 'read' })).toBe('articles: write · account: read');
  });

  it('names every unknown resource and level', () => {
    expect(permissionsProblems({ articles: 'read', account: 'write' })).toEqual([]);
    expect(permissionsProblems({ files: 'read', articles: 'admin', comments: 'none' })).toEqual([
      '"files" is not a resource; use articles, comments, social, account',
      'articles: "admin" is not a level; use none, read, write',
    ]);
    expect(permissionsProblems('read')).toHaveLength(1);
    expect(permissionsProblems(null)).toHaveLength(1);
    expect(permissionsProblems(['read'])).toHaveLength(1);
  });

  it('encodes to one byte and decodes every combination back (81 of them), to shared frozen objects', () => {
    const seen = new Set<number>();
    for (const a of PERMISSION_LEVELS) for (const c of PERMISSION_LEVELS) for (const s of PERMISSION_LEVELS) for (const u of PERMISSION_LEVELS) {
      const p = { articles: a, comments: c, social: s, account: u };
      const mask = encodePermissions(p);
      expect(mask).toBeGreaterThanOrEqual(0);
      expect(mask).toBeLessThan(256);
      expect(decodePermissions(mask)).toEqual(p);
      expect(Object.isFrozen(decodePermissions(mask))).toBe(true);
      expect(decodePermissions(mask)).toBe(decodePermissions(mask));
      seen.add(mask);
    }
    expect(seen.size).toBe(81);
    expect(encodePermissions(READ_WRITE_PERMISSIONS)).toBe(170);
    expect(() => decodePermissions(3)).toThrow(RangeError);
    expect(() => decodePermissions(256)).toThrow(RangeError);
  });
});

describe('route access table', () => {
  it('puts every resource and level the issue names on the routes', () => {
    const byPermission = new Map<string, string[]>();
    for (const [route, a] of Object.entries(API_ROUTE_ACCESS)) {
      const p = requiredPermission(a);
      if (p) byPermission.set(p, [...(byPermission.get(p) ?? []), route]);
    }
    for (const r of API_TOKEN_RESOURCES) {
      expect(byPermission.get(`${r}:read`)?.length ?? 0).toBeGreaterThan(0);
      expect(byPermission.get(`${r}:write`)?.length ?? 0).toBeGreaterThan(0);
    }
    expect(API_ROUTE_ACCESS['POST /api/user/api-tokens'].kind).toBe('session-only');
    expect(API_ROUTE_ACCESS['DELETE /api/user'].kind).toBe('session-only');
    expect(API_ROUTE_ACCESS['GET /api/user/api-tokens/current'].kind).toBe('self');
  });

  it('describes each declaration in one sentence naming its permission', () => {
    for (const a of Object.values(API_ROUTE_ACCESS)) {
      const text = describeRouteAccess(a);
      expect(text).toMatch(/^Access: .+\.$/);
      const p = requiredPermission(a);
      if (p) expect(text).toContain(p);
    }
  });
});
