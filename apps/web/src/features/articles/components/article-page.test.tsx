import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { resetSessionForTests } from '@/lib/session';
import { restoreSessionForTests } from '@/app/provider';
import { buildArticle, buildComment, buildProfile, buildUser } from '@/testing/factories';
import { createMockApi } from '@/testing/mock-api';
import { server } from '@/testing/msw-server';
import { renderApp } from '@/testing/render';

const grace = buildProfile({ username: 'grace' });
const ada = buildUser({ username: 'ada' });

const hostile = [
  '# Heading one',
  '',
  'Some **bold** text and a [good link](https://example.com/docs).',
  '',
  '<script>window.__pwned = true</script>',
  '',
  '[click me](javascript:window.__pwned=true) and [data](data:text/html,<script>alert(1)</script>)',
  '',
  '<img src="x" onerror="window.__pwned=true"> <a href="javascript:alert(1)">raw link</a> <b>raw bold</b>',
  '',
  '![a picture](javascript:alert(1))',
].join('\n');

describe('article page', () => {
  it('renders the markdown body without the author’s script, raw HTML or javascript: links', async () => {
    server.use(...createMockApi({ articles: [buildArticle({ title: 'Markdown', body: hostile, author: grace })] }).handlers);
    restoreSessionForTests();
    const { container } = renderApp('/article/markdown');

    expect(await screen.findByRole('heading', { name: 'Markdown', level: 1 })).toBeInTheDocument();
    // Markdown works: the body's h1 becomes an h2 under the title, bold and links render.
    // The renderer is loaded on demand.
    expect(await screen.findByRole('heading', { name: 'Heading one', level: 2 }, { timeout: 10_000 })).toBeInTheDocument();
    expect(screen.getByText('bold').tagName).toBe('STRONG');
    expect(screen.getByRole('link', { name: 'good link' })).toHaveAttribute('href', 'https://example.com/docs');

    // No script element, no event handler, no raw HTML element, no javascript:/data: URL.
    expect(container.querySelector('script')).toBeNull();
    expect(container.querySelector('[onerror]')).toBeNull();
    expect(container.querySelector('.markdown b')).toBeNull();
    for (const element of container.querySelectorAll('.markdown [href], .markdown [src]')) {
      const url = element.getAttribute('href') ?? element.getAttribute('src') ?? '';
      expect(url).not.toMatch(/^\s*(javascript|data|vbscript):/i);
    }
    const clickMe = within(container.querySelector('.markdown') as HTMLElement).getByText('click me');
    expect(clickMe.getAttribute('href') ?? '').toBe('');
    expect(container.innerHTML).not.toContain('javascript:');
    expect((window as unknown as { __pwned?: boolean }).__pwned).toBeUndefined();
  });

  it('lets a reader follow the author and favorite the article', async () => {
    const api = createMockApi({ user: ada, articles: [buildArticle({ title: 'Hello', author: grace, favoritesCount: 4 })] });
    server.use(...api.handlers);
    resetSessionForTests(ada);
    const { user } = renderApp('/article/hello');

    await user.click(await screen.findByRole('button', { name: 'Follow grace' }));
    expect(await screen.findByRole('button', { name: 'Unfollow grace' })).toHaveAttribute('aria-pressed', 'true');
    await user.click(screen.getByRole('button', { name: /Favorite Article \(4\)/ }));
    expect(await screen.findByRole('button', { name: /Unfavorite Article \(5\)/ })).toHaveAttribute('aria-pressed', 'true');
    expect(screen.queryByRole('link', { name: /Edit Article/ })).not.toBeInTheDocument();
    expect(api.state.calls.map((c) => `${c.method} ${c.path}`)).toEqual(
      expect.arrayContaining(['POST /api/profiles/grace/follow', 'POST /api/articles/hello/favorite']),
    );
  });

  it('gives the author Edit Article and Delete Article, which deletes after confirming', async () => {
    const api = createMockApi({ user: ada, articles: [buildArticle({ title: 'Mine', author: buildProfile({ username: 'ada' }) })] });
    server.use(...api.handlers);
    resetSessionForTests(ada);
    const { user, router } = renderApp('/article/mine');

    expect(await screen.findByRole('link', { name: /Edit Article/ })).toHaveAttribute('href', '/editor/mine');
    expect(screen.queryByRole('button', { name: /Follow/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Favorite Article/ })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: /Delete Article/ }));
    const dialog = screen.getByRole('alertdialog', { name: 'Delete this article?' });
    await user.click(within(dialog).getByRole('button', { name: 'Delete Article' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/'));
    expect(await screen.findByText('“Mine” is deleted.')).toBeInTheDocument();
    expect(api.articles.articles).toHaveLength(0);
  });

  it('says so when the article does not exist', async () => {
    server.use(...createMockApi().handlers);
    restoreSessionForTests();
    renderApp('/article/nope');
    expect(await screen.findByRole('heading', { name: 'Article not found', level: 1 })).toBeInTheDocument();
  });
});

describe('comments', () => {
  it('posts a comment and deletes one’s own, but not someone else’s', async () => {
    const api = createMockApi({
      user: ada,
      articles: [buildArticle({ title: 'Talk', author: grace })],
      comments: { talk: [buildComment({ body: 'First!', author: grace })] },
    });
    server.use(...api.handlers);
    resetSessionForTests(ada);
    const { user } = renderApp('/article/talk');

    const comments = await screen.findByRole('region', { name: /Comments/ });
    expect(await within(comments).findByText('First!')).toBeInTheDocument();
    expect(within(comments).queryByRole('button', { name: /Delete/ })).not.toBeInTheDocument();

    await user.click(within(comments).getByRole('button', { name: 'Post Comment' }));
    expect(await within(comments).findByText('Write something first.')).toBeInTheDocument();
    expect(api.state.calls.some((c) => c.method === 'POST' && c.path.endsWith('/comments'))).toBe(false);

    await user.type(within(comments).getByPlaceholderText('Write a comment...'), 'Nice <b>post</b>');
    await user.click(within(comments).getByRole('button', { name: 'Post Comment' }));
    // Shown as text, never as HTML.
    expect(await within(comments).findByText('Nice <b>post</b>')).toBeInTheDocument();
    expect(within(comments).getByPlaceholderText('Write a comment...')).toHaveValue('');
    expect(within(comments).getByRole('heading', { name: 'Comments (2)' })).toBeInTheDocument();

    await user.click(within(comments).getByRole('button', { name: /^Delete your comment .*Nice <b>post<\/b>/ }));
    await waitFor(() => expect(within(comments).queryByText('Nice <b>post</b>')).not.toBeInTheDocument());
    expect(within(comments).getByRole('heading', { name: 'Comments (1)' })).toHaveFocus();
    expect(within(comments).getByText('Your comment is deleted.')).toBeInTheDocument();
    expect(api.state.calls.some((c) => c.method === 'DELETE' && /\/comments\/\d+$/.test(c.path))).toBe(true);
    expect(within(comments).getByText('First!')).toBeInTheDocument();
  });

  it('asks a visitor to sign in to comment', async () => {
    server.use(...createMockApi({ articles: [buildArticle({ title: 'Talk', author: grace })] }).handlers);
    restoreSessionForTests();
    renderApp('/article/talk');
    const comments = await screen.findByRole('region', { name: /Comments/ });
    expect(await within(comments).findByRole('link', { name: 'Sign in' })).toHaveAttribute('href', '/login');
    expect(within(comments).queryByPlaceholderText('Write a comment...')).not.toBeInTheDocument();
  });
});
