import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import AxeBuilder from '@axe-core/playwright';
import type { Browser } from 'playwright-core';
import { callApiWithToken, createTokenViaUi, gotoTokens, launchBrowser, openPage, screenshotPath, signUp } from './support';

const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('account settings in a real browser', () => {
  it('has no serious or critical accessibility violations and fits 375 px', async () => {
    const { context, page } = await openPage(browser, baseUrl);
    await signUp(page);
    await page.goto('/app/settings/account');
    await page.getByRole('heading', { name: 'Profile' }).waitFor();
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(serious.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
    await page.screenshot({ path: screenshotPath('account-desktop-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 375, height: 812 });
    const overflowing = () =>
      page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('body *')]
          .filter((el) => el.getBoundingClientRect().right > 375.5)
          .map((el) => `${el.tagName.toLowerCase()}.${el.className}`)
          .slice(0, 5),
      );
    await expect.poll(overflowing).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.screenshot({ path: screenshotPath('account-mobile-375.png'), fullPage: true });
    await context.close();
  });

  it('changes the time zone and the password', async () => {
    const { context, page } = await openPage(browser, baseUrl);
    const user = await signUp(page);
    await page.goto('/app/settings/account');
    const zone = page.getByRole('combobox', { name: 'Time zone' });
    await zone.fill('Asia/Tokyo');
    await page.getByRole('button', { name: 'Save time zone' }).click();
    await page.getByText('Time zone saved.').waitFor();

    await page.getByLabel('Current password').fill('definitely wrong');
    await page.getByLabel('New password').fill('another-long-password');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => page.getByLabel('Current password').getAttribute('aria-invalid'), { timeout: 15_000 }).toBe('true');
    const describedBy = (await page.getByLabel('Current password').getAttribute('aria-describedby')) ?? '';
    const message = await page.locator(`[id="${describedBy.split(' ').pop()}"]`).textContent();
    expect(message).toMatch(/incorrect/i);
    await page.getByLabel('Current password').fill(user.password);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Password changed.').waitFor();

    await page.reload();
    await expect.poll(() => page.getByRole('combobox', { name: 'Time zone' }).inputValue()).toBe('Asia/Tokyo');
    await context.close();
  });

  it('deletes the account: signed out, notice on the home page, tokens stop working', async () => {
    const { context, page } = await openPage(browser, baseUrl);
    const user = await signUp(page);
    await gotoTokens(page);
    const raw = await createTokenViaUi(page, 'Doomed', '127.0.0.1');
    expect((await callApiWithToken(baseUrl, raw)).status).toBe(200);

    await page.goto('/app/settings/account');
    await page.getByLabel('Type your password to confirm').fill(user.password);
    await page.getByRole('button', { name: 'Delete my account' }).click();
    await page.getByText('Your account has been deleted.', { exact: false }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Sign in' }).waitFor();

    const after = await callApiWithToken(baseUrl, raw);
    expect(after.status, after.body).toBe(401);

    // The session is gone too: a reload stays signed out, and the old credentials no longer work.
    await page.reload();
    await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Sign in' }).waitFor();
    await page.goto('/login');
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Email or password is incorrect.');
    await context.close();
  });
});
