import AxeBuilder from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { waitForMail } from './mailbox';
import { callApiWithToken, createTokenViaUi, gotoTokens, launchBrowser, openPage, screenshotPath, signUp, uniqueUser } from './support';

const baseUrl = inject('baseUrl');
const mailbox = inject('mailbox');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

const noHorizontalScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

function linkIn(text: string): string {
  const match = /(http:\/\/\S+\/reset-password#token=[A-Za-z0-9_-]+)/.exec(text);
  if (!match) throw new Error(`no reset link in:\n${text}`);
  return match[1];
}

async function askForLink(page: Page, email: string, shot?: string) {
  await page.goto('/login');
  await page.getByRole('link', { name: 'Forgot password?' }).click();
  await page.getByRole('heading', { name: 'Forgot your password?', level: 1 }).waitFor();
  await page.getByLabel('Email').waitFor();
  expect(await seriousViolations(page)).toEqual([]);
  if (shot) await page.screenshot({ path: screenshotPath(`${shot}-request.png`), fullPage: true });
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  const done = page.getByRole('status').filter({ hasText: 'Check your email' });
  await done.waitFor();
  expect(await done.textContent()).toContain(`If an account uses ${email}, a link to set a new password is on its way.`);
  expect(await seriousViolations(page)).toEqual([]);
  if (shot) await page.screenshot({ path: screenshotPath(`${shot}-sent.png`), fullPage: true });
}

describe('forgot password, through a real SMTP server', () => {
  it('emails a link that sets a new password once, ends every session and keeps API tokens (1280 px)', async () => {
    // The person's first browser: signed in, with an API token.
    const first = await openPage(browser, baseUrl);
    const user = await signUp(first.page, uniqueUser());
    await gotoTokens(first.page);
    const apiToken = await createTokenViaUi(first.page, 'nightly export');

    // Elsewhere, they forgot the password.
    const { context, page } = await openPage(browser, baseUrl);
    await askForLink(page, user.email, 'password-reset-1280');
    const mail = await waitForMail(mailbox, user.email);
    expect(mail.subject).toBe('Reset your Conduit password');
    expect(mail.text).toContain('Your API tokens keep working');
    const link = linkIn(mail.text);
    expect(link.startsWith(`${baseUrl}/reset-password#token=`)).toBe(true);

    await page.goto(link);
    await page.getByRole('heading', { name: 'Set a new password', level: 1 }).waitFor();
    // The token leaves the address bar at once.
    await expect.poll(() => new URL(page.url()).hash).toBe('');
    expect(await page.getByRole('status').first().textContent()).toContain('Your API tokens keep working');
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath('password-reset-1280-form.png'), fullPage: true });

    // Mismatched confirmation: a sentence by the field, focus on it.
    await page.getByLabel('New password', { exact: true }).fill('a brand new password');
    await page.getByLabel('Confirm new password').fill('a different password');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('confirmation');
    expect(await page.getByText('The two passwords are not the same.').isVisible()).toBe(true);

    await page.getByLabel('Confirm new password').fill('a brand new password');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    expect(await page.getByRole('status').first().textContent()).toContain('Your password has been reset and every session has ended.');
    await page.screenshot({ path: screenshotPath('password-reset-1280-signin.png'), fullPage: true });
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill('a brand new password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: `Welcome back, ${user.username}` }).waitFor();

    // The first browser's session has ended; its API token still works.
    await first.page.reload();
    await first.page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    expect((await callApiWithToken(baseUrl, apiToken)).status).toBe(200);

    // The link works once.
    await page.goto(link);
    await page.getByLabel('New password', { exact: true }).fill('yet another password');
    await page.getByLabel('Confirm new password').fill('yet another password');
    await page.getByRole('button', { name: 'Set new password' }).click();
    const refused = page.getByRole('alert').filter({ hasText: 'This link cannot be used' });
    await refused.waitFor();
    expect(await refused.textContent()).toContain('It has already been used, has expired, or was not copied whole.');
    await page.screenshot({ path: screenshotPath('password-reset-1280-used.png'), fullPage: true });
    await context.close();
    await first.context.close();
  });

  it('an unknown email reads the same; the pages fit a phone (375 px)', async () => {
    const { context, page } = await openPage(browser, baseUrl, { width: 375, height: 740 });
    const nobody = uniqueUser().email;
    await askForLink(page, nobody, 'password-reset-375');
    expect(await noHorizontalScroll(page)).toBe(true);

    const registered = await openPage(browser, baseUrl, { width: 375, height: 740 });
    const user = await signUp(registered.page, uniqueUser());
    await registered.context.close();
    await askForLink(page, user.email);
    const link = linkIn((await waitForMail(mailbox, user.email)).text);
    await page.goto(link);
    await page.getByRole('heading', { name: 'Set a new password', level: 1 }).waitFor();
    expect(await noHorizontalScroll(page)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath('password-reset-375-form.png'), fullPage: true });
    await context.close();
  });
});
