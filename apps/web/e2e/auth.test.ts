import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, openPage, signUp, uniqueUser } from './support';

const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('sessions in a real browser', () => {
  it('signs up, survives a reload with the refresh cookie, and signs out', async () => {
    const { context, page } = await openPage(browser, baseUrl);
    const user = await signUp(page, uniqueUser());

    // The access token is in memory only.
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    expect(stored).not.toMatch(/eyJ/);

    await page.reload();
    await page.getByRole('heading', { name: `Welcome back, ${user.username}` }).waitFor();
    await page.goto('/app/settings/api-tokens');
    await page.getByRole('heading', { name: 'API tokens', level: 1 }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'API tokens', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/app/settings/api-tokens');

    await page.getByRole('button', { name: user.username }).click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');

    // Signed out for good: a reload does not bring the session back, and /app/* asks to sign in.
    await page.reload();
    await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Sign in' }).waitFor();
    await page.goto('/app/settings/account');
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();

    // Signing in brings the person back to where they were going.
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Account settings', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/app/settings/account');
    await context.close();
  });

  it('shows a sign-in error for wrong credentials', async () => {
    const { context, page } = await openPage(browser, baseUrl);
    await page.goto('/login');
    await page.getByLabel('Email').fill('nobody@example.com');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Email or password is incorrect.');
    await context.close();
  });
});
