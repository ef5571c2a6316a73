import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
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

describe('Security log in a real browser against the real API', () => {
  it('shows a token’s first use and its refusals, on the card’s Activity and in the whole log', async () => {
    const { context, page } = await openPage(browser, baseUrl);
    const user = await signUp(page);
    await gotoTokens(page);
    const used = await createTokenViaUi(page, 'Nightly build');
    const fenced = await createTokenViaUi(page, 'Fenced job', '203.0.113.0/24');

    expect((await callApiWithToken(baseUrl, used)).status).toBe(200);
    for (let i = 0; i < 3; i++) {
      const refused = await callApiWithToken(baseUrl, fenced);
      expect(refused.status).toBe(401);
      expect(refused.body).toContain('is not allowed from 127.0.0.1');
    }

    // The used token's card shows where it was used from.
    await gotoTokens(page);
    const card = page.getByRole('listitem', { name: 'Nightly build', exact: true });
    await expect.poll(() => card.getByRole('list', { name: 'Recent addresses of Nightly build' }).textContent()).toContain('127.0.0.1');

    // Activity of the refused token: its log, filtered to it; the refusals arrive when their window ends.
    await page.getByRole('listitem', { name: 'Fenced job', exact: true }).getByRole('link', { name: 'Activity of Fenced job' }).click();
    await page.getByRole('heading', { name: 'Security log', level: 1 }).waitFor();
    await expect.poll(() => page.getByLabel('Token').evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent)).toMatch(/^Fenced job/);
    const refusal = page.getByTestId('security-event').filter({ hasText: 'was refused' });
    await expect
      .poll(async () => {
        if ((await refusal.count()) === 0) await page.reload();
        return refusal.count();
      }, { timeout: 15_000, interval: 1000 })
      .toBe(1);
    await expect.poll(() => refusal.textContent()).toContain('“Fenced job” was refused from an address its allowlist does not include (3 times)');
    await expect.poll(() => refusal.textContent()).toContain('127.0.0.1');
    // Times in the account's time zone (UTC until changed in Account settings), not the browser's (Europe/Paris here).
    await expect.poll(() => page.getByText(/Times are in .*\(UTC\)/).isVisible()).toBe(true);
    const rows = page.getByTestId('security-event');
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-type')))).toEqual(['token.refused', 'token.created']);

    // The whole log, from the user menu; then only first uses.
    await page.getByRole('button', { name: user.username }).click();
    await page.getByRole('menuitem', { name: 'Security log' }).click();
    await page.getByLabel('Token').selectOption('');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(5);
    await page.getByLabel('Event').selectOption({ label: 'Token first used' });
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('“Nightly build” was used for the first time');
    expect(page.url()).toContain('type=token.first_used');
    await page.screenshot({ path: screenshotPath('security-log.png'), fullPage: true });
    await context.close();
  });
});
