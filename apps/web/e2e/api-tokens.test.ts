import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import {
  callApiWithToken,
  createTokenViaUi,
  gotoTokens,
  launchBrowser,
  openPage,
  screenshotPath,
  signUp,
} from './support';

const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

function row(page: Page, name: string) {
  return page.getByRole('listitem', { name, exact: true });
}

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Presses Tab until the focused element matches, as a keyboard user would. */
async function tabTo(page: Page, matches: (el: { tag: string; text: string; label: string }) => boolean, max = 40) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const el = await page.evaluate(() => {
      const a = document.activeElement as HTMLElement | null;
      const label = a?.id ? (document.querySelector(`label[for="${a.id}"]`)?.textContent ?? '') : '';
      return { tag: a?.tagName.toLowerCase() ?? '', text: (a?.textContent ?? '').trim(), label: label.trim() };
    });
    if (matches(el)) return;
  }
  throw new Error('Tab never reached the expected element');
}

describe('API tokens in a real browser against the real API', () => {
  it('creates a token limited to 127.0.0.1, uses it over HTTP, sees it as used, revokes it', async () => {
    const { context, page } = await openPage(browser, baseUrl);
    await signUp(page);
    await gotoTokens(page);
    await page.getByText('You have no active API tokens.').waitFor();

    const name = 'GitHub Actions, staging';
    const raw = await createTokenViaUi(page, name, '127.0.0.1');
    await expect.poll(() => page.getByText('Copy it now: it will not be shown again.').isVisible()).toBe(true);
    await expect.poll(() => row(page, name).getByText('Never used').isVisible()).toBe(true);
    await expect.poll(() => row(page, name).getByText('127.0.0.1/32').isVisible()).toBe(true);

    // The raw token is nowhere but on screen.
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + location.href);
    expect(stored).not.toContain(raw);

    // Screenshots: desktop and phone, with the banner and one token.
    await page.screenshot({ path: screenshotPath('api-tokens-desktop-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 375, height: 812 });
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.screenshot({ path: screenshotPath('api-tokens-mobile-375.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });

    // Use it from Node (127.0.0.1 is allowed).
    const used = await callApiWithToken(baseUrl, raw);
    expect(used.status, used.body).toBe(200);
    expect(JSON.parse(used.body).user).toMatchObject({ token: null });

    // Reload until the list shows the use (it is written off the request path).
    const deadline = Date.now() + 20_000;
    let shown = false;
    while (!shown && Date.now() < deadline) {
      await page.reload();
      await row(page, name).waitFor();
      shown = !(await row(page, name).getByText('Never used').isVisible());
      if (!shown) await page.waitForTimeout(1000);
    }
    expect(shown, 'last use never appeared in the list').toBe(true);
    const lastUsed = row(page, name).locator('.tooltip__trigger');
    await expect.poll(() => lastUsed.textContent()).toMatch(/just now|minute|second/);
    await lastUsed.focus();
    await expect.poll(() => row(page, name).getByRole('tooltip').textContent()).toContain('127.0.0.1');
    await page.screenshot({ path: screenshotPath('api-tokens-used-tooltip-1280.png') });
    // The reload hid the banner for good.
    expect(await page.getByLabel('Your new API token').count()).toBe(0);

    // Revoke via the UI, with confirmation.
    await row(page, name).getByRole('button', { name: `Revoke ${name}` }).click();
    const dialog = page.getByRole('alertdialog', { name: new RegExp(`^Revoke “${name}” \\(…\\w{4}\\)\\?$`) });
    await dialog.waitFor();
    await expect.poll(() => dialog.textContent()).toContain('Scripts using it will stop working immediately. This cannot be undone.');
    await dialog.getByRole('button', { name: 'Revoke', exact: true }).click();
    await row(page, name).waitFor({ state: 'detached' });
    await page.getByText('You have no active API tokens.').waitFor();

    const revoked = await callApiWithToken(baseUrl, raw);
    expect(revoked.status, revoked.body).toBe(401);
    await context.close();
  });

  it('flags a bad allowlist line before submitting', async () => {
    const { context, page } = await openPage(browser, baseUrl);
    await signUp(page);
    await gotoTokens(page);
    await page.getByRole('button', { name: '+ New Token' }).first().click();
    await page.getByLabel('Token name').fill('Bad list');
    await page.getByLabel(/Allowed IPs/).fill('127.0.0.1\n10.0.0.1/8');
    await page.getByText('Line 2: "10.0.0.1/8": host bits are set; did you mean 10.0.0.0/8?').waitFor();
    expect(await page.getByRole('button', { name: 'Create token' }).isDisabled()).toBe(true);
    await page.getByLabel(/Allowed IPs/).fill('127.0.0.1\n10.0.0.0/8');
    await expect.poll(() => page.getByText(/^Line \d+:/).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Create token' }).isEnabled()).toBe(true);

    // The server's answer for what the client cannot know (e.g. a too-long name) lands by its field.
    await page.getByLabel('Token name').fill('x'.repeat(101));
    await page.getByText('Use at most 100 characters.').waitFor();
    await context.close();
  });

  it('shows the raw token once: a reload hides the banner', async () => {
    const { context, page } = await openPage(browser, baseUrl);
    await signUp(page);
    await gotoTokens(page);
    const raw = await createTokenViaUi(page, 'Nightly cron');
    await page.reload();
    await row(page, 'Nightly cron').waitFor();
    expect(await page.getByRole('region', { name: /created/ }).count()).toBe(0);
    expect(await page.content()).not.toContain(raw);
    // Navigating away and back hides it too.
    const raw2 = await createTokenViaUi(page, 'Second');
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Account', exact: true }).click();
    await page.getByRole('heading', { name: 'Account settings', level: 1 }).waitFor();
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'API tokens' }).click();
    await row(page, 'Second').waitFor();
    expect(await page.content()).not.toContain(raw2);
    await context.close();
  });

  it('creates a Read-only token (the default) that reads over HTTP and is refused a write with 403 insufficient_scope', async () => {
    const { context, page } = await openPage(browser, baseUrl);
    await signUp(page);
    await gotoTokens(page);
    await page.getByRole('button', { name: '+ New Token' }).first().click();
    expect(await page.getByRole('radio', { name: 'Read-only' }).isChecked()).toBe(true);
    const name = 'Read-only reporter';
    const raw = await createTokenViaUi(page, name, '', { open: false });
    const banner = page.getByRole('region', { name: `Token “${name}” created` });
    await expect.poll(() => banner.textContent()).toContain('Permissions: Read-only');
    await expect.poll(() => row(page, name).getByText('Read-only', { exact: true }).isVisible()).toBe(true);

    const read = await callApiWithToken(baseUrl, raw);
    expect(read.status, read.body).toBe(200);
    const write = await fetch(`${baseUrl}/api/articles`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${raw}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ article: { title: 'Not allowed', description: 'd', body: 'b' } }),
    });
    expect(write.status).toBe(403);
    expect(write.headers.get('www-authenticate')).toBe('Bearer realm="conduit", error="insufficient_scope", scope="articles:write"');
    expect(await write.json()).toEqual({ errors: { token: ['lacks the articles:write permission'] } });
    await context.close();
  });

  it('creates a token with custom permissions; the list shows them in short form', async () => {
    const { context, page } = await openPage(browser, baseUrl);
    await signUp(page);
    await gotoTokens(page);
    await page.getByRole('button', { name: '+ New Token' }).first().click();
    await page.getByRole('radio', { name: 'Custom' }).check();
    await page.getByLabel('Articles', { exact: true }).selectOption({ label: 'Read and write' });
    await page.getByLabel('Comments', { exact: true }).selectOption({ label: 'None' });
    await page.getByLabel('Social', { exact: true }).selectOption({ label: 'None' });
    const raw = await createTokenViaUi(page, 'Blog bot', '', { open: false });
    await expect.poll(() => row(page, 'Blog bot').getByText('articles: write · account: read').isVisible()).toBe(true);
    const publish = await fetch(`${baseUrl}/api/articles`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${raw}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ article: { title: `Published by a bot ${Date.now()}`, description: 'd', body: 'b' } }),
    });
    expect(publish.status).toBe(201);
    await context.close();
  });

  it('creates a token with the keyboard alone', async () => {
    const { context, page } = await openPage(browser, baseUrl);
    await signUp(page);
    await gotoTokens(page);
    await page.locator('body').focus();

    await tabTo(page, (el) => el.tag === 'button' && el.text === '+ New Token');
    await page.keyboard.press('Enter');
    // Focus moved into the form's first field.
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe('name');
    await page.keyboard.type('Keyboard only');
    await tabTo(page, (el) => el.tag === 'select');
    await page.keyboard.press('ArrowDown'); // 30 days → 60 days
    await tabTo(page, (el) => el.tag === 'textarea');
    await page.keyboard.type('127.0.0.1');
    await page.keyboard.press('Enter');
    await page.keyboard.type('2001:db8::/32');
    await tabTo(page, (el) => el.tag === 'button' && el.text === 'Create token');
    await page.keyboard.press('Enter');

    const banner = page.getByRole('region', { name: 'Token “Keyboard only” created' });
    await banner.waitFor();
    // Focus lands on the banner so the token is announced and reachable.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('new-token-title');
    await tabTo(page, (el) => el.tag === 'button' && el.text === 'Copy', 5);
    await page.keyboard.press('Enter');
    await expect.poll(() => banner.getByRole('status').textContent()).toMatch(/Copied|Ctrl\+C/);

    const item = row(page, 'Keyboard only');
    await item.waitFor();
    await expect.poll(() => item.textContent()).toContain('2001:db8::/32');

    // Revoke by keyboard too; Escape cancels first.
    await item.getByRole('button', { name: 'Revoke Keyboard only' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('alertdialog').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('alertdialog').waitFor({ state: 'detached' });
    await context.close();
  });

  it('has no serious or critical accessibility violations on the tokens page', async () => {
    const { context, page } = await openPage(browser, baseUrl);
    await signUp(page);
    await gotoTokens(page);
    expect(await seriousViolations(page)).toEqual([]); // empty state
    await createTokenViaUi(page, 'Axe check', '127.0.0.1');
    expect(await seriousViolations(page)).toEqual([]); // banner + list
    await page.getByRole('button', { name: '+ New Token' }).first().click();
    await page.getByLabel(/Allowed IPs/).fill('10.0.0.1/8');
    await page.getByLabel('Expiry', { exact: true }).selectOption('never');
    await page.getByRole('radio', { name: 'Custom' }).check();
    await page.getByLabel('Articles', { exact: true }).waitFor();
    expect(await seriousViolations(page)).toEqual([]); // form with errors, warning and custom permissions
    await page.screenshot({ path: screenshotPath('api-tokens-form-1280.png'), fullPage: true });
    await page.getByRole('button', { name: 'Cancel' }).click();
    await row(page, 'Axe check').getByRole('button', { name: 'Revoke Axe check' }).click();
    await page.getByRole('alertdialog').waitFor();
    expect(await seriousViolations(page)).toEqual([]); // dialog
    await page.screenshot({ path: screenshotPath('api-tokens-revoke-dialog-1280.png') });
    await page.setViewportSize({ width: 375, height: 812 });
    await page.keyboard.press('Escape');
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});
