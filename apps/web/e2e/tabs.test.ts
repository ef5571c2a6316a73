import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, openPage, signUp, uniqueUser } from './support';

const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Two pages of one browser context (two tabs: one cookie jar) reload at the same moment, several times. */
async function reloadTogether(context: BrowserContext, first: Page, username: string) {
  const second = await context.newPage();
  second.setDefaultTimeout(15_000);
  await second.goto('/');
  const welcome = (page: Page) => page.getByRole('heading', { name: `Welcome back, ${username}` }).waitFor();
  await welcome(second);
  for (let i = 0; i < 5; i++) {
    await Promise.all([first.reload(), second.reload()]);
    await Promise.all([welcome(first), welcome(second)]);
  }
  // Still signed in for real: an authenticated page loads in both, after one more reload.
  await Promise.all([first.goto('/app/settings/api-tokens'), second.goto('/app/settings/api-tokens')]);
  for (const page of [first, second]) {
    await page.getByRole('heading', { name: 'API tokens', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/app/settings/api-tokens');
  }
  await Promise.all([first.reload(), second.reload()]);
  await Promise.all([welcomeOr(first), welcomeOr(second)]);
}

const welcomeOr = (page: Page) => page.getByRole('heading', { name: 'API tokens', level: 1 }).waitFor();

describe('two tabs refreshing at the same moment stay signed in', () => {
  it('with Web Locks (tabs take turns)', async () => {
    const { context, page } = await openPage(browser, baseUrl);
    try {
      const user = await signUp(page, uniqueUser());
      expect(await page.evaluate(() => typeof navigator.locks?.request)).toBe('function');
      await reloadTogether(context, page, user.username);
    } finally {
      await context.close();
    }
  });

  it('without Web Locks (BroadcastChannel, and the server’s refresh grace)', async () => {
    const { context, page } = await openPage(browser, baseUrl);
    await context.addInitScript(() => Object.defineProperty(navigator, 'locks', { value: undefined, configurable: true }));
    try {
      const user = await signUp(page, uniqueUser());
      expect(await page.evaluate(() => typeof navigator.locks)).toBe('undefined');
      await reloadTogether(context, page, user.username);
    } finally {
      await context.close();
    }
  });
});
