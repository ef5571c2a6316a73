import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
export const SCREENSHOT_DIR = path.resolve(here, '..', '..', '..', 'artifacts', 'screenshots');

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function openPage(
  browser: Browser,
  baseUrl: string,
  viewport = { width: 1280, height: 900 },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport, timezoneId: 'Europe/Paris', locale: 'en-US' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page };
}

let counter = 0;
export function uniqueUser() {
  const id = `${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  return { username: `e2e${id}`, email: `e2e-${id}@example.com`, password: `pw-${id}-long-enough` };
}

export type TestUser = ReturnType<typeof uniqueUser>;

export async function signUp(page: Page, user: TestUser = uniqueUser()): Promise<TestUser> {
  await page.goto('/register');
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('heading', { name: `Welcome to Conduit, ${user.username}` }).waitFor();
  return user;
}

export async function gotoTokens(page: Page) {
  await page.goto('/app/settings/api-tokens');
  await page.getByRole('heading', { name: 'API tokens', level: 1 }).waitFor();
  // Wait for the list to settle (empty state or at least one row).
  await page.locator('.empty-state, [data-testid="api-token"]').first().waitFor();
}

/** Creates a token through the UI and returns the raw value read from the banner. */
/** Fills and submits the create form (opening it first unless `open` is false, when the test already filled parts of it). */
export async function createTokenViaUi(page: Page, name: string, allowedIps = '', { open = true } = {}): Promise<string> {
  if (open) await page.getByRole('button', { name: '+ New Token' }).first().click();
  await page.getByLabel('Token name').fill(name);
  if (allowedIps) await page.getByLabel(/Allowed IPs/).fill(allowedIps);
  await page.getByRole('button', { name: 'Create token' }).click();
  const banner = page.getByRole('region', { name: `Token “${name}” created` });
  await banner.waitFor();
  const raw = await banner.getByLabel('Your new API token').inputValue();
  expect(raw).toMatch(/^conduit_[A-Za-z0-9]+$/);
  return raw;
}

/** GET /api/user from Node (not the browser) with a bearer token. */
export async function callApiWithToken(baseUrl: string, token: string) {
  const response = await fetch(`${baseUrl}/api/user`, { headers: { Authorization: `Bearer ${token}` } });
  const text = await response.text();
  return { status: response.status, body: text, wwwAuthenticate: response.headers.get('www-authenticate') };
}

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return path.join(SCREENSHOT_DIR, name);
}
