import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createTokenViaUi, gotoTokens, launchBrowser, openPage, screenshotPath, signUp } from './support';

const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

function rows(page: Page, name: string) {
  return page.getByRole('listitem', { name, exact: true });
}

/** GET /api/user from Node with a bearer token: status, body and the expiry header. */
async function useToken(token: string) {
  const response = await fetch(`${baseUrl}/api/user`, { headers: { Authorization: `Bearer ${token}` } });
  return { status: response.status, body: await response.text(), expiresAt: response.headers.get('conduit-token-expires-at') };
}

describe('token lifecycle in a real browser against the real API', () => {
  it('edits a token (the allowlist applies to the next request), rotates it, and uses both secrets during the overlap', async () => {
    const { context, page } = await openPage(browser, baseUrl);
    await signUp(page);
    await gotoTokens(page);
    const raw = await createTokenViaUi(page, 'Nightly build', '127.0.0.1');
    expect((await useToken(raw)).status).toBe(200);
    await page.getByRole('button', { name: 'I have copied it' }).click();

    // Edit: the creation fields, pre-filled. Narrow the allowlist away from 127.0.0.1 and rename.
    await rows(page, 'Nightly build').getByRole('button', { name: 'Edit Nightly build' }).click();
    const form = page.getByRole('form', { name: 'Edit “Nightly build”' });
    await form.waitFor();
    expect(await form.getByLabel('Token name').inputValue()).toBe('Nightly build');
    expect(await form.getByLabel(/Allowed IPs/).inputValue()).toBe('127.0.0.1/32');
    await form.getByLabel('Token name').fill('Nightly deploy');
    await form.getByLabel(/Allowed IPs/).fill('10.0.0.0/8');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Token “Nightly deploy” saved.').waitFor();
    await rows(page, 'Nightly deploy').getByText('10.0.0.0/8').waitFor();
    const refused = await useToken(raw);
    expect(refused.status).toBe(401);
    expect(JSON.parse(refused.body)).toEqual({ errors: { token: ['is not allowed from 127.0.0.1'] } });

    // Widen it again: the very next request passes.
    await rows(page, 'Nightly deploy').getByRole('button', { name: 'Edit Nightly deploy' }).click();
    await page.getByLabel(/Allowed IPs/).fill('127.0.0.0/8');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await rows(page, 'Nightly deploy').getByText('127.0.0.0/8').waitFor();
    expect((await useToken(raw)).status).toBe(200);

    // Rotate with a one-hour overlap.
    await rows(page, 'Nightly deploy').getByRole('button', { name: 'Rotate Nightly deploy' }).click();
    const dialog = page.getByRole('dialog', { name: /^Rotate “Nightly deploy” \(…\w{4}\)\?$/ });
    await dialog.waitFor();
    await dialog.getByRole('radio', { name: /1 hour/ }).check();
    await dialog.getByRole('button', { name: 'Rotate', exact: true }).click();
    const banner = page.getByRole('region', { name: 'Token “Nightly deploy” rotated' });
    await banner.waitFor();
    const fresh = await banner.getByLabel('Your new API token').inputValue();
    expect(fresh).toMatch(/^conduit_[A-Za-z0-9]+$/);
    expect(fresh).not.toBe(raw);
    const until = banner.getByText(/The old value keeps working until/);
    await until.waitFor();
    const retiresAt = await until.locator('time').getAttribute('datetime');
    expect(Math.abs(Date.parse(retiresAt as string) - Date.now() - 3_600_000)).toBeLessThan(60_000);

    // Both secrets work during the overlap; the old one announces its end.
    const viaOld = await useToken(raw);
    expect(viaOld.status, viaOld.body).toBe(200);
    expect(viaOld.expiresAt).toBe(retiresAt);
    const viaNew = await useToken(fresh);
    expect(viaNew.status, viaNew.body).toBe(200);
    expect(viaNew.expiresAt).not.toBe(retiresAt);

    // The list shows both; the old one as Retiring, keeping the edited allowlist on the new one.
    await expect.poll(() => rows(page, 'Nightly deploy').count()).toBe(2);
    await rows(page, 'Nightly deploy').nth(1).getByText('Retiring').waitFor();
    await rows(page, 'Nightly deploy').nth(0).getByText('127.0.0.0/8').waitFor();
    await page.screenshot({ path: screenshotPath('api-tokens-rotated-1280.png'), fullPage: true });

    // Revoke the old one now; it moves to "Expired and revoked".
    await rows(page, 'Nightly deploy').nth(1).getByRole('button', { name: 'Revoke Nightly deploy' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke', exact: true }).click();
    await expect.poll(() => rows(page, 'Nightly deploy').count()).toBe(1);
    expect((await useToken(raw)).status).toBe(401);
    expect((await useToken(fresh)).status).toBe(200);
    await page.getByText('Expired and revoked').click();
    const ended = page.getByRole('table').getByRole('row', { name: /Nightly deploy/ });
    await ended.waitFor();
    expect(await ended.textContent()).toContain('Revoked by you');
    expect(await ended.textContent()).toContain(raw.slice(-4));
    await context.close();
  });
});
