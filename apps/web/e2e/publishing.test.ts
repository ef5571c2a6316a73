import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openPage, screenshotPath, signUp, uniqueUser } from './support';

const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** axe finds nothing serious or critical, the page does not scroll sideways, and a screenshot is kept. */
async function check(page: Page, name: string, width: number) {
  await page.waitForLoadState('networkidle');
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${name}: ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth), `${name} scrolls sideways`).toBeLessThanOrEqual(width);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: screenshotPath(`publishing-${name}-${width}.png`), fullPage: true });
}

const BODY = [
  '## Why rotate',
  '',
  'Tokens **leak**; rotation with an *overlap* keeps pipelines green.',
  '',
  '- create',
  '- rotate',
  '- revoke',
  '',
  '[the guide](https://example.com/guide) and [a trap](javascript:alert(document.cookie))',
  '',
  '<script>window.__pwned = true</script><img src="x" onerror="window.__pwned = true">',
].join('\n');

describe.each([
  { width: 1280, height: 900 },
  { width: 375, height: 812 },
])('publishing in a real browser at $width px', (viewport) => {
  it('writes, finds, follows, favorites, comments, edits and deletes an article', async () => {
    const { width } = viewport;
    const author = openPage(browser, baseUrl, viewport);
    const { context: authorContext, page } = await author;
    const { context: readerContext, page: reader } = await openPage(browser, baseUrl, viewport);
    try {
      // A visitor sees the home page with its feed and tags.
      await page.goto('/');
      await page.getByRole('navigation', { name: 'Feeds' }).getByRole('link', { name: 'Global Feed' }).waitFor();
      await page.getByRole('heading', { name: 'Popular Tags' }).waitFor();
      await check(page, 'home-visitor', width);

      // The author signs up and writes an article with tags and markdown.
      const writer = await signUp(page, uniqueUser());
      const tag = `t${writer.username.slice(3, 11)}`;
      const title = `Rotating tokens ${writer.username}`;
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'New Article' }).click();
      await page.getByRole('heading', { name: 'New Article', level: 1 }).waitFor();
      await page.getByPlaceholder('Article Title').fill(title);
      await page.getByPlaceholder("What's this article about?").fill('Overlap windows, in practice');
      await page.getByPlaceholder('Write your article (in markdown)').fill(BODY);
      const tags = page.getByPlaceholder('Enter tags');
      for (const t of [tag, 'e2e', 'mistake']) {
        await tags.fill(t);
        await tags.press('Enter');
      }
      await page.getByRole('button', { name: 'Remove tag mistake' }).click();
      await expect.poll(() => page.getByRole('list', { name: 'Tags of this article' }).getByRole('listitem').allTextContents()).toEqual([
        `${tag}✕`,
        'e2e✕',
      ]);
      await check(page, 'editor', width);
      await page.getByRole('button', { name: 'Publish Article' }).click();

      // The article page renders the markdown, without the author's script or javascript: link.
      await page.getByRole('heading', { name: title, level: 1 }).waitFor();
      const slug = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
      await page.getByRole('heading', { name: 'Why rotate', level: 3 }).waitFor();
      expect(await page.locator('.markdown li').allTextContents()).toEqual(['create', 'rotate', 'revoke']);
      expect(await page.locator('.markdown a').getAttribute('href')).toBe('https://example.com/guide');
      expect(await page.locator('.markdown script, .markdown img, .markdown [href^="javascript"]').count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned)).toBeUndefined();
      await page.getByRole('link', { name: /Edit Article/ }).waitFor();
      await check(page, 'article-author', width);

      // It is in the Global Feed, and under its tag.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).click();
      await page.getByRole('navigation', { name: 'Feeds' }).getByRole('link', { name: 'Global Feed' }).click();
      await page.getByRole('heading', { name: title, level: 2 }).waitFor();
      await page.goto(`/article/${encodeURIComponent(slug)}`);
      await page.getByRole('list', { name: 'Tags' }).getByRole('link', { name: tag }).click();
      await page.getByRole('navigation', { name: 'Feeds' }).getByRole('link', { name: tag }).waitFor();
      expect(new URL(page.url()).search).toBe(`?tag=${tag}`);
      await page.getByRole('heading', { name: title, level: 2 }).waitFor();
      await check(page, 'home-tag', width);

      // A second person follows the author, favorites the article and comments on it.
      const second = await signUp(reader, uniqueUser());
      await reader.getByRole('heading', { name: title, level: 2 }).click();
      await reader.getByRole('heading', { name: title, level: 1 }).waitFor();
      await reader.getByRole('button', { name: `Follow ${writer.username}` }).click();
      await reader.getByRole('button', { name: `Unfollow ${writer.username}` }).waitFor();
      await reader.getByRole('button', { name: 'Favorite Article (0)' }).click();
      await reader.getByRole('button', { name: 'Unfavorite Article (1)' }).waitFor();
      await reader.getByPlaceholder('Write a comment...').fill('Overlaps saved our deploys.');
      await reader.getByRole('button', { name: 'Post Comment' }).click();
      await reader.getByRole('region', { name: 'Comments (1)' }).getByRole('paragraph').filter({ hasText: 'Overlaps saved our deploys.' }).waitFor();
      await expect.poll(() => reader.getByPlaceholder('Write a comment...').inputValue()).toBe('');
      await check(reader, 'article-reader', width);

      // Your Feed shows it; so do the author's profile and the reader's favorites.
      await reader.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).click();
      await reader.getByRole('navigation', { name: 'Feeds' }).getByRole('link', { name: 'Your Feed' }).click();
      await reader.getByLabel('Your Feed').getByRole('heading', { name: title, level: 2 }).waitFor();
      await check(reader, 'home-your-feed', width);
      await reader.getByRole('link', { name: writer.username }).first().click();
      await reader.getByRole('heading', { name: writer.username, level: 1 }).waitFor();
      await reader.getByLabel(`Articles by ${writer.username}`).getByRole('heading', { name: title }).waitFor();
      await reader.getByRole('button', { name: `Unfollow ${writer.username}` }).waitFor();
      await check(reader, 'profile', width);
      await reader.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: second.username }).click();
      await reader.getByRole('link', { name: 'Favorited Articles' }).click();
      await reader.getByLabel(`Articles ${second.username} favorited`).getByRole('heading', { name: title }).waitFor();
      await reader.getByRole('link', { name: /Edit Profile Settings/ }).waitFor();
      await check(reader, 'profile-favorites', width);

      // The author sees the comment (without a delete button: it is not theirs), edits and deletes the article.
      await page.goto(`/article/${encodeURIComponent(slug)}`);
      await page.getByRole('region', { name: 'Comments (1)' }).getByRole('paragraph').filter({ hasText: 'Overlaps saved our deploys.' }).waitFor();
      expect(await page.getByRole('button', { name: /^Delete your comment/ }).count()).toBe(0);
      await page.getByRole('link', { name: /Edit Article/ }).click();
      await page.getByRole('heading', { name: 'Edit Article', level: 1 }).waitFor();
      expect(await page.getByPlaceholder('Article Title').inputValue()).toBe(title);
      await page.getByPlaceholder('Article Title').fill(`${title}, revised`);
      await page.getByRole('button', { name: 'Publish Article' }).click();
      await page.getByRole('heading', { name: `${title}, revised`, level: 1 }).waitFor();
      await page.getByRole('button', { name: /Delete Article/ }).click();
      await page.getByRole('alertdialog', { name: 'Delete this article?' }).getByRole('button', { name: 'Delete Article' }).click();
      await page.getByText(`“${title}, revised” is deleted.`).waitFor();
      expect(new URL(page.url()).pathname).toBe('/');

      // Gone for the reader too.
      await reader.goto(`/profile/${writer.username}`);
      await reader.getByText('No articles are here... yet.').waitFor();
    } finally {
      await authorContext.close();
      await readerContext.close();
    }
    // A long journey (two people, nine screens checked with axe): minutes on a busy machine.
  }, 600_000);
});
