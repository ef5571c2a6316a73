import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { gotoTokens, launchBrowser, openPage, screenshotPath, uniqueUser, type TestUser } from './support';

const baseUrl = inject('baseUrl');
let browser: Browser;
let account: TestUser;

/** Five tokens with long IPv6 allowlists (and 127.0.0.1, so each can be used once from here). */
const TOKENS = [
  { name: 'GitHub Actions, production deploy of the main site', allowedIps: ['127.0.0.1', '2001:db8:85a3:1234:5678:8a2e:370:7334', '2001:db8:aaaa:bbbb:cccc:dddd:eeee:0/112', 'fd12:3456:789a:1::/64', '2001:db8:ffff:ffff:ffff:ffff:ffff:fffe/127'], permissions: { articles: 'write', comments: 'read', social: 'none', account: 'read' } },
  { name: 'Nightly export', allowedIps: ['127.0.0.1', '2001:db8:1:2:3:4:5:6', '2001:db8:abcd:ef01:2345:6789:abcd:ef01', '198.51.100.0/24'], permissions: { articles: 'read', comments: 'read', social: 'read', account: 'read' } },
  { name: 'Staging', allowedIps: ['127.0.0.1', 'fd00:1234:5678:9abc:def0:1234:5678:9abc', 'fd00:1234:5678:9abc::/64', '2001:db8:dead:beef:cafe:babe:f00d:1'] },
  { name: 'Cron', allowedIps: ['127.0.0.1', '2001:db8:1111:2222:3333:4444:5555:6666', '2001:db8:7777:8888:9999:aaaa:bbbb:cccc', '2001:db8:dddd:eeee:ffff:1:2:3', '10.0.0.0/8', '172.16.0.0/12'], permissions: { articles: 'none', comments: 'write', social: 'none', account: 'read' } },
  { name: 'Backup', allowedIps: ['127.0.0.1', '2001:0db8:0000:0000:0000:ff00:0042:8329', '2a02:1810:4d02:9e00:1c2b:3d4e:5f60:7182/128', '2606:4700:4700::1111'] },
];

async function api(path: string, init: { method?: string; token?: string; body?: unknown } = {}) {
  const response = await fetch(`${baseUrl}/api${path}`, {
    method: init.method ?? 'GET',
    headers: { 'Content-Type': 'application/json', ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

beforeAll(async () => {
  browser = await launchBrowser();
  account = uniqueUser();
  const { user } = await api('/users', { method: 'POST', body: { user: account } });
  for (const token of [...TOKENS].reverse()) {
    const created = await api('/user/api-tokens', { method: 'POST', token: user.token, body: { apiToken: { expiresIn: '90d', ...token } } });
    // One use from here, so the card has a recent address.
    await api('/user', { token: created.token });
  }
});
afterAll(async () => {
  await browser?.close();
});

async function signIn(page: Page) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: `Welcome back, ${account.username}` }).waitFor();
}

/** Within each card: boxes that overlap, addresses broken over two lines or clipped, and content sticking out. */
function layoutProblems(page: Page) {
  return page.evaluate(() => {
    const problems: string[] = [];
    for (const card of document.querySelectorAll<HTMLElement>('[data-testid="api-token"]')) {
      const name = card.querySelector('h3')?.textContent ?? '?';
      const boxes = [
        ...card.querySelectorAll<HTMLElement>(
          'h3, .token__hint, .badge, .token__facts dt, .token__facts dd, .token__detail > dt, .token__ip, .token__actions > *',
        ),
        ...[...card.querySelectorAll<HTMLElement>('.token__detail > dd')].filter((dd) => !dd.querySelector('ul')),
      ];
      const rects = boxes.map((el) => ({ el, r: el.getBoundingClientRect() }));
      for (let i = 0; i < rects.length; i++) {
        for (let j = i + 1; j < rects.length; j++) {
          const a = rects[i].r;
          const b = rects[j].r;
          const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
          const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
          if (w > 1 && h > 1) problems.push(`${name}: "${rects[i].el.textContent}" overlaps "${rects[j].el.textContent}"`);
        }
      }
      const cardRect = card.getBoundingClientRect();
      for (const { el, r } of rects) {
        if (r.right > cardRect.right + 0.5 || r.left < cardRect.left - 0.5) problems.push(`${name}: "${el.textContent}" sticks out of the card`);
      }
      for (const chip of card.querySelectorAll<HTMLElement>('.token__ip')) {
        const code = chip.querySelector('code')!;
        if (code.getClientRects().length !== 1 || code.getBoundingClientRect().height > parseFloat(getComputedStyle(code).lineHeight) * 1.5) {
          problems.push(`${name}: the address ${code.textContent} breaks over lines`);
        }
        if (chip.scrollWidth > chip.clientWidth + 1) problems.push(`${name}: the address ${code.textContent} is cut off`);
      }
    }
    return problems;
  });
}

async function axeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const focused = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? '');

describe('the token card with five long allowlists', () => {
  for (const width of [1280, 768, 375]) {
    it(`reads cleanly at ${width} px: no overlapping boxes, no broken addresses${width === 375 ? ', no horizontal scroll' : ''}`, async () => {
      const { context, page } = await openPage(browser, baseUrl, { width, height: 900 });
      await signIn(page);
      await gotoTokens(page);
      await expect.poll(() => page.getByTestId('api-token').count()).toBe(5);
      // Every card shows where it was used from.
      await expect.poll(() => page.locator('[aria-label^="Recent addresses of"]').count()).toBe(5);
      expect(await page.getByText('2001:db8:85a3:1234:5678:8a2e:370:7334/128', { exact: true }).isVisible()).toBe(true);
      expect(await layoutProblems(page)).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: screenshotPath(`token-cards-${width}.png`), fullPage: true });
      await context.close();
    });
  }
});

describe('focus after each dialog, and the screens around the tokens', () => {
  for (const width of [1280, 375]) {
    it(`returns focus to where the person was at ${width} px`, async () => {
      const { context, page } = await openPage(browser, baseUrl, { width, height: 900 });
      await signIn(page);
      await gotoTokens(page);
      const card = page.getByRole('listitem', { name: 'Staging', exact: true });
      const hint = (await card.locator('.token__hint code').textContent())!.replace('…', '');

      // Rotate: the dialog names the token with its hint, says what carries over; Escape → back on Rotate.
      await card.getByRole('button', { name: `Rotate Staging (…${hint})` }).click();
      const rotate = page.getByRole('dialog', { name: `Rotate “Staging” (…${hint})?` });
      await rotate.waitFor();
      expect(await rotate.textContent()).toContain('permissions');
      expect(await axeViolations(page)).toEqual([]);
      // The overlap radios are small circles next to their labels, not full-width ellipses.
      const radio = rotate.getByRole('radio', { name: /1 hour/ });
      const box = (await radio.boundingBox())!;
      expect(box.width).toBeLessThan(30);
      expect(box.height).toBeLessThan(30);
      await page.screenshot({ path: screenshotPath(`rotate-dialog-${width}.png`) });
      await page.keyboard.press('Escape');
      await expect.poll(() => focused(page)).toBe(`Rotate Staging (…${hint})`);

      // Revoke: Cancel → back on Revoke.
      await card.getByRole('button', { name: `Revoke Staging (…${hint})` }).click();
      const revoke = page.getByRole('alertdialog', { name: `Revoke “Staging” (…${hint})?` });
      await revoke.waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: screenshotPath(`revoke-dialog-${width}.png`) });
      await revoke.getByRole('button', { name: 'Cancel' }).click();
      await expect.poll(() => focused(page)).toBe(`Revoke Staging (…${hint})`);

      // Edit and save: focus back on the card's Edit button; the notice says what happened.
      await card.getByRole('button', { name: `Edit Staging (…${hint})` }).click();
      const form = page.getByRole('form', { name: 'Edit “Staging”' });
      await form.waitFor();
      const preset = form.getByRole('radio').first();
      const presetBox = (await preset.boundingBox())!;
      expect(presetBox.width).toBeLessThan(30);
      await page.screenshot({ path: screenshotPath(`edit-token-form-${width}.png`), fullPage: true });
      await form.getByLabel('Token name').fill(`Staging ${width}`);
      await form.getByRole('button', { name: 'Save changes' }).click();
      await page.getByText(`Token “Staging ${width}” saved.`).waitFor();
      await expect.poll(() => focused(page)).toBe(`Edit Staging ${width} (…${hint})`);
      await form.waitFor({ state: 'detached' });
      await page.getByLabel('Token name').waitFor({ state: 'detached' });
      // Put the name back for the other width.
      await page.getByRole('button', { name: `Edit Staging ${width} (…${hint})` }).click();
      await page.getByLabel('Token name').fill('Staging');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByText('Token “Staging” saved.').waitFor();

      // Security log: the client described, the full string on demand; nothing sticks out on a phone.
      await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Security log' }).click();
      await page.getByRole('heading', { name: 'Security log', level: 1 }).waitFor();
      await page.getByTestId('security-event').first().waitFor();
      const clients = await page.locator('.security-log__agent summary').allTextContents();
      expect(clients).toContain('Chrome on Linux');
      expect(clients).toContain('Node.js');
      expect(await page.getByTestId('security-event').filter({ hasText: 'was changed: its name' }).count()).toBeGreaterThan(0);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: screenshotPath(`security-log-${width}.png`), fullPage: true });

      await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Account', exact: true }).click();
      await page.getByRole('heading', { name: 'Account settings', level: 1 }).waitFor();
      await page.screenshot({ path: screenshotPath(`account-settings-nav-${width}.png`) });
      await context.close();
    });
  }

  it('warns before leaving while a new token is not copied, and an anonymous page load logs no error', async () => {
    const { context, page } = await openPage(browser, baseUrl, { width: 1280, height: 900 });
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto('/');
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.goto('/login');
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    expect(errors).toEqual([]);

    await signIn(page);
    await gotoTokens(page);
    await page.getByRole('button', { name: '+ New Token' }).first().click();
    await page.getByLabel('Token name').fill('Not copied yet');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByRole('region', { name: 'Token “Not copied yet” created' }).waitFor();
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Security log' }).click();
    const leave = page.getByRole('alertdialog', { name: 'Leave without copying the token?' });
    await leave.waitFor();
    await page.screenshot({ path: screenshotPath('leave-warning-1280.png') });
    await leave.getByRole('button', { name: 'Stay and copy it' }).click();
    expect(new URL(page.url()).pathname).toBe('/app/settings/api-tokens');
    await page.getByRole('region', { name: 'Token “Not copied yet” created' }).getByRole('button', { name: 'Copy' }).click();
    await page.getByText('Copied', { exact: true }).waitFor();
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Security log' }).click();
    await page.getByRole('heading', { name: 'Security log', level: 1 }).waitFor();
    await context.close();
  });
});
