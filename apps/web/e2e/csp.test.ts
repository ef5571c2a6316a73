import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createTokenViaUi, gotoTokens, launchBrowser, openPage, signUp } from './support';

/**
 * The API's Content-Security-Policy (@fastify/helmet) as a real browser enforces it: the web app,
 * every token screen and Swagger UI work without a single violation, and a page on another
 * origin cannot frame the app (frame-ancestors 'none', X-Frame-Options: DENY).
 */
const baseUrl = inject('baseUrl');
let browser: Browser;
let server: Server | undefined;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

/** Every CSP violation the page reports, from the DOM event and from the console. */
async function watchViolations(context: BrowserContext, page: Page): Promise<string[]> {
  const seen: string[] = [];
  await context.exposeFunction('__cspViolation', (text: string) => seen.push(text));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __cspViolation: (t: string) => void }).__cspViolation(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) seen.push(message.text());
  });
  return seen;
}

describe('under the Content-Security-Policy', () => {
  it('the web app and every token screen work, with no violation', async () => {
    const { context, page } = await openPage(browser, baseUrl);
    const violations = await watchViolations(context, page);
    await signUp(page);
    await gotoTokens(page);
    await createTokenViaUi(page, 'Under CSP');
    await page.getByRole('button', { name: 'I have copied it' }).click();
    const row = page.locator('[data-testid="api-token"]', { hasText: 'Under CSP' });
    await row.getByRole('button', { name: 'Edit Under CSP' }).click();
    await page.getByLabel('Token name').fill('Under CSP 2');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Token “Under CSP 2” saved.').waitFor();
    const renamed = page.locator('[data-testid="api-token"]', { hasText: 'Under CSP 2' });
    await renamed.getByRole('button', { name: 'Rotate Under CSP 2' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Rotate', exact: true }).click();
    await page.getByRole('region', { name: 'Token “Under CSP 2” rotated' }).waitFor();
    await page.getByRole('button', { name: 'I have copied it' }).click();
    await page.locator('[data-testid="api-token"]', { hasText: 'Under CSP 2' }).first().getByRole('button', { name: 'Revoke Under CSP 2' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke', exact: true }).click();
    await page.getByText('Expired and revoked').click();
    await page.getByRole('table').getByRole('row', { name: /Under CSP 2/ }).first().waitFor();
    await page.goto('/app/settings/security-log');
    await page.getByRole('heading', { name: 'Security log', level: 1 }).waitFor();
    // The token filter lists it too, in a hidden <option>: wait for the log's own entry.
    await page.getByRole('main').getByText('Under CSP 2').filter({ visible: true }).first().waitFor();
    expect(violations).toEqual([]);
    await context.close();
  });

  it('Swagger UI at /api/docs renders the API, with no violation', async () => {
    const { context, page } = await openPage(browser, baseUrl);
    const violations = await watchViolations(context, page);
    // Swagger UI's bundle is large: on a busy machine its load takes a while.
    await page.goto('/api/docs', { timeout: 90_000 });
    page.setDefaultTimeout(60_000);
    await page.locator('.swagger-ui .info .title').waitFor();
    await page.locator('.opblock-tag', { hasText: 'api-tokens' }).first().waitFor();
    expect(violations).toEqual([]);
    await context.close();
  });

  it('a page on another origin cannot frame the app', async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><title>Framer</title><h1>Framer</h1><iframe id="f" src="${baseUrl}/app/settings/api-tokens" width="800" height="600"></iframe>`);
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const context = await browser.newContext();
    const page = await context.newPage();
    const refusals: string[] = [];
    page.on('console', (m) => refusals.push(m.text()));
    await page.goto(`${origin}/`);
    await page.getByRole('heading', { name: 'Framer' }).waitFor();
    await page.waitForTimeout(1500);
    const frame = page.frames().find((f) => f !== page.mainFrame());
    // The app never loads in the frame: Chromium shows its error page instead.
    expect(frame?.url().startsWith(baseUrl)).not.toBe(true);
    expect(refusals.some((t) => /frame-ancestors|X-Frame-Options|Refused to (display|frame)/i.test(t))).toBe(true);
    await context.close();
  });
});
