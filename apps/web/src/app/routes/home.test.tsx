import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { resetSessionForTests } from '@/lib/session';
import { restoreSessionForTests } from '@/app/provider';
import { buildArticle, buildProfile, buildUser } from '@/testing/factories';
import { createMockApi } from '@/testing/mock-api';
import { server } from '@/testing/msw-server';
import { renderApp } from '@/testing/render';

const grace = buildProfile({ username: 'grace', following: true });
const linus = buildProfile({ username: 'linus', following: false });

function articles() {
  // Newest first: 12 by linus (two pages of 10), then one by grace, whom ada follows.
  const byLinus = Array.from({ length: 12 }, (_, i) =>
    buildArticle({ title: `Linus writes ${12 - i}`, author: linus, tagList: i % 2 === 0 ? ['kernels'] : [] }),
  );
  return [...byLinus, buildArticle({ title: 'Grace on compilers', author: grace, tagList: ['compilers', 'kernels'] })];
}

const feedNav = () => screen.getByRole('navigation', { name: 'Feeds' });
const titles = (label: string) =>
  within(screen.getByLabelText(label))
    .queryAllByRole('heading', { level: 2 })
    .map((h) => h.textContent);

describe('home feeds', () => {
  it('shows the Global Feed to a visitor, ten at a time, with Popular Tags and no Your Feed', async () => {
    server.use(...createMockApi({ articles: articles() }).handlers);
    restoreSessionForTests();
    const { user } = renderApp('/');

    expect(await screen.findByRole('heading', { name: 'Linus writes 12', level: 2 })).toBeInTheDocument();
    expect(within(feedNav()).getByRole('link', { name: 'Global Feed' })).toHaveAttribute('aria-current', 'page');
    expect(within(feedNav()).queryByRole('link', { name: 'Your Feed' })).not.toBeInTheDocument();
    expect(titles('Global Feed')).toHaveLength(10);

    const tags = screen.getByRole('region', { name: 'Popular Tags' });
    expect(within(tags).getAllByRole('link').map((a) => a.textContent)).toEqual(['kernels', 'compilers']);

    await user.click(screen.getByRole('button', { name: 'Page 2' }));
    await waitFor(() => expect(titles('Global Feed')).toEqual(['Linus writes 2', 'Linus writes 1', 'Grace on compilers']));
    expect(screen.getByRole('button', { name: 'Page 2' })).toHaveAttribute('aria-current', 'page');
  });

  it('opens a tab for a tag clicked in Popular Tags', async () => {
    server.use(...createMockApi({ articles: articles() }).handlers);
    restoreSessionForTests();
    const { user, router } = renderApp('/');
    const tags = await screen.findByRole('region', { name: 'Popular Tags' });
    await user.click(await within(tags).findByRole('link', { name: 'compilers' }));

    const tab = await within(feedNav()).findByRole('link', { name: 'compilers' });
    expect(tab).toHaveAttribute('aria-current', 'page');
    expect(router.state.location.search).toBe('?tag=compilers');
    await waitFor(() => expect(titles('Articles tagged compilers')).toEqual(['Grace on compilers']));
  });

  it('shows Your Feed (the people one follows) to a signed-in person', async () => {
    server.use(...createMockApi({ user: buildUser({ username: 'ada' }), articles: articles() }).handlers);
    resetSessionForTests(buildUser({ username: 'ada' }));
    const { user } = renderApp('/');
    await screen.findByRole('heading', { name: 'Linus writes 12', level: 2 });
    await user.click(within(feedNav()).getByRole('link', { name: 'Your Feed' }));
    await waitFor(() => expect(titles('Your Feed')).toEqual(['Grace on compilers']));
    expect(screen.queryByRole('navigation', { name: 'Pages' })).not.toBeInTheDocument();
  });

  it('favorites from a preview, and sends a visitor to sign in instead', async () => {
    const api = createMockApi({ user: buildUser({ username: 'ada' }), articles: [buildArticle({ title: 'Hello', author: grace, favoritesCount: 2 })] });
    server.use(...api.handlers);
    resetSessionForTests(buildUser({ username: 'ada' }));
    const { user } = renderApp('/');
    await user.click(await screen.findByRole('button', { name: /^Favorite article “Hello” \(\s*2\s*\)$/ }));
    const on = await screen.findByRole('button', { name: /^Unfavorite article “Hello” \(\s*3\s*\)$/ });
    expect(on).toHaveAttribute('aria-pressed', 'true');
    expect(api.state.calls.some((c) => c.method === 'POST' && c.path === '/api/articles/hello/favorite')).toBe(true);
  });

  it('sends a visitor who favorites to sign in', async () => {
    const api = createMockApi({ articles: [buildArticle({ title: 'Hello', author: grace })] });
    server.use(...api.handlers);
    restoreSessionForTests();
    const { user, router } = renderApp('/');
    await user.click(await screen.findByRole('button', { name: /^Favorite article “Hello” \(\s*0\s*\)$/ }));
    expect(await screen.findByRole('heading', { name: 'Sign in', level: 1 })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/login');
    expect(api.state.calls.some((c) => c.path.endsWith('/favorite'))).toBe(false);
  });

  it('links the header to the editor, the settings and one’s profile', async () => {
    server.use(...createMockApi({ user: buildUser({ username: 'ada' }) }).handlers);
    resetSessionForTests(buildUser({ username: 'ada' }));
    renderApp('/');
    const main = screen.getByRole('navigation', { name: 'Main' });
    expect(within(main).getByRole('link', { name: 'Home' })).toHaveAttribute('aria-current', 'page');
    expect(within(main).getByRole('link', { name: 'New Article' })).toHaveAttribute('href', '/editor');
    expect(within(main).getByRole('link', { name: 'Settings' })).toHaveAttribute('href', '/app/settings/account');
    expect(within(main).getByRole('link', { name: 'ada' })).toHaveAttribute('href', '/profile/ada');
    expect(await screen.findByText('No articles are here... yet.')).toBeInTheDocument();
  });
});
