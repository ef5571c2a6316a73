import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, uniqueUser } from './support';

/**
 * A client on another origin (a RealWorld front end served elsewhere, a dashboard) does what a
 * same-origin one does: the API is started with CORS_ORIGINS naming that origin (see global-setup).
 * A page on a third origin, not named, is refused by the browser.
 */
const apiUrl = inject('baseUrl');
const otherOrigin = inject('otherOrigin');

let browser: Browser;
const servers: Server[] = [];

/** A tiny page on `origin` (or on a free port when none is given); returns the origin it is served from. */
async function servePage(origin?: string): Promise<string> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><html><head><title>Another origin</title></head><body><h1>Dashboard</h1></body></html>');
  });
  const port = origin ? Number(new URL(origin).port) : 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function openAt(origin: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${origin}/`);
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  return page;
}

interface Answer {
  status: number;
  body: unknown;
  headers: Record<string, string | null>;
}

/** fetch() inside the page: the browser applies CORS (preflight, allowed and exposed headers). */
function call(page: Page, method: string, path: string, token?: string, body?: unknown): Promise<Answer> {
  return page.evaluate(
    async ({ url, method, token, body }) => {
      const headers: Record<string, string> = {};
      if (token) headers.Authorization = `Bearer ${token}`;
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      return {
        status: res.status,
        body: text ? JSON.parse(text) : null,
        headers: {
          expiresAt: res.headers.get('Conduit-Token-Expires-At'),
          wwwAuthenticate: res.headers.get('WWW-Authenticate'),
        },
      };
    },
    { url: `${apiUrl}/api${path}`, method, token, body },
  );
}

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('a browser client on another origin', () => {
  it('signs up, updates, deletes, and creates, uses and revokes an API token', async () => {
    expect(new URL(otherOrigin).origin).not.toBe(new URL(apiUrl).origin);
    const page = await openAt(await servePage(otherOrigin));
    const user = uniqueUser();

    const registered = await call(page, 'POST', '/users', undefined, { user });
    expect(registered.status).toBe(201);
    const session = (registered.body as { user: { token: string } }).user.token;

    const updated = await call(page, 'PUT', '/user', session, { user: { bio: 'from another origin' } });
    expect(updated.status).toBe(200);
    expect((updated.body as { user: { bio: string } }).user.bio).toBe('from another origin');

    const created = await call(page, 'POST', '/articles', session, { article: { title: `Cross ${user.username}`, description: 'd', body: 'b' } });
    expect(created.status).toBe(201);
    const slug = (created.body as { article: { slug: string } }).article.slug;
    const edited = await call(page, 'PUT', `/articles/${slug}`, session, { article: { body: 'edited elsewhere' } });
    expect(edited.status).toBe(200);
    expect((await call(page, 'POST', `/articles/${slug}/favorite`, session)).status).toBe(200);
    const unfavorited = await call(page, 'DELETE', `/articles/${slug}/favorite`, session);
    expect(unfavorited.status).toBe(200);
    expect((unfavorited.body as { article: { favorited: boolean } }).article.favorited).toBe(false);
    expect((await call(page, 'DELETE', `/articles/${slug}`, session)).status).toBe(204);
    expect((await call(page, 'GET', `/articles/${slug}`)).status).toBe(404);

    const token = await call(page, 'POST', '/user/api-tokens', session, { apiToken: { name: 'dashboard', expiresIn: '7d' } });
    expect(token.status).toBe(201);
    const { token: raw, apiToken } = token.body as { token: string; apiToken: { id: string } };
    const used = await call(page, 'GET', '/user', raw);
    expect(used.status).toBe(200);
    expect(used.headers.expiresAt).toMatch(/^\d{4}-\d{2}-\d{2}T/); // an exposed header
    expect((await call(page, 'DELETE', `/user/api-tokens/${apiToken.id}`, raw)).status).toBe(204);
    const refused = await call(page, 'GET', '/user', raw);
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({ errors: { token: ['has been revoked'] } });
    expect(refused.headers.wwwAuthenticate).toContain('error="invalid_token"');
    await page.context().close();
  });

  it('is refused by the browser from an origin that CORS_ORIGINS does not name', async () => {
    const page = await openAt(await servePage());
    const outcome = await page.evaluate(async (url) => {
      try {
        const res = await fetch(url, { method: 'DELETE', headers: { Authorization: 'Bearer x' } });
        return `answered ${res.status}`;
      } catch (error) {
        return `blocked: ${(error as Error).name}`;
      }
    }, `${apiUrl}/api/user/api-tokens/00000000-0000-0000-0000-000000000000`);
    expect(outcome).toBe('blocked: TypeError');
    await page.context().close();
  });
});
