import { createPrivateKey, randomUUID, sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openPage, screenshotPath, signUp } from './support';

const baseUrl = inject('baseUrl');
const ciIssuer = inject('ciIssuer');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** An ID token as the CI platform (the loopback issuer of the global setup) would give a job. */
function idToken(claims: Record<string, unknown>): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const input = `${part({ alg: 'RS256', typ: 'JWT', kid: ciIssuer.kid })}.${part({ iss: ciIssuer.url, jti: randomUUID(), iat: now, nbf: now - 5, exp: now + 300, ...claims })}`;
  return `${input}.${sign('sha256', Buffer.from(input), createPrivateKey(ciIssuer.privateKeyPem)).toString('base64url')}`;
}

async function testToken(page: Page, policy: string, token: string) {
  const card = page.getByRole('listitem', { name: policy });
  const box = card.getByLabel('ID token', { exact: true });
  if (!(await box.isVisible())) await card.getByText('Test an ID token').click();
  await box.fill(token);
  await card.getByRole('button', { name: 'Check token' }).click();
}

describe('Trusted CI in a real browser against the real API', () => {
  it('creates a policy, tests ID tokens against it, and deletes it', async () => {
    const { context, page } = await openPage(browser, baseUrl);
    await signUp(page);
    await page.goto('/app/settings/api-tokens');
    await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Trusted CI' }).click();
    await page.getByRole('heading', { name: 'Trusted CI', level: 1 }).waitFor();
    await page.getByText('No trust policies yet').waitFor();

    await page.getByRole('button', { name: '+ New policy' }).click();
    expect(await page.getByRole('radio', { name: 'GitHub Actions' }).isChecked()).toBe(true);
    await page.screenshot({ path: screenshotPath('trusted-ci-form-1280.png'), fullPage: true });
    await page.getByRole('radio', { name: 'Other trusted issuer' }).check();
    await page.getByLabel('Issuer', { exact: true }).selectOption(ciIssuer.url);
    await page.getByLabel('Name', { exact: true }).fill('Site deploys');
    await page.getByLabel('Subject (sub)').fill('repo:acme/site:ref:refs/heads/main');
    const audience = await page.getByLabel('Audience', { exact: true }).inputValue();
    expect(audience).toBe(baseUrl);
    await page.getByRole('button', { name: 'Create policy' }).click();
    await page.getByText('Policy “Site deploys” created').waitFor();
    const card = page.getByRole('listitem', { name: 'Site deploys' });
    expect(await card.getByRole('list', { name: 'Conditions of Site deploys' }).textContent()).toContain('sub = repo:acme/site:ref:refs/heads/main');
    expect(await card.getByLabel('Workflow snippet for Site deploys').textContent()).toContain(`${baseUrl}/api/oauth/token`);

    // A job of another branch: refused, and the page says which claim and why.
    await testToken(page, 'Site deploys', idToken({ aud: audience, sub: 'repo:acme/site:ref:refs/heads/dev' }));
    await card.getByText('This token would be refused').waitFor();
    expect(await card.getByRole('row', { name: /claim sub/ }).textContent()).toContain(
      'Failed: expected repo:acme/site:ref:refs/heads/main, got repo:acme/site:ref:refs/heads/dev',
    );
    // The right job: it would be exchanged.
    await testToken(page, 'Site deploys', idToken({ aud: audience, sub: 'repo:acme/site:ref:refs/heads/main' }));
    await card.getByText('This token would be exchanged').waitFor();
    await page.screenshot({ path: screenshotPath('trusted-ci-policy-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 375, height: 800 });
    await page.screenshot({ path: screenshotPath('trusted-ci-policy-375.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });

    await card.getByRole('button', { name: 'Delete Site deploys' }).click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByRole('button', { name: 'Delete policy' }).click();
    await page.getByText('No trust policies yet').waitFor();
    await context.close();
  });
});
