import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { resetSessionForTests } from '@/lib/session';
import { restoreSessionForTests } from '@/app/provider';
import { buildArticle, buildProfile, buildUser } from '@/testing/factories';
import { createMockApi } from '@/testing/mock-api';
import { server } from '@/testing/msw-server';
import { renderApp } from '@/testing/render';

const ada = buildUser({ username: 'ada', bio: 'Counts things' });
const grace = buildProfile({ username: 'grace', bio: 'Compilers, mostly' });
const adaProfile = buildProfile({ username: 'ada' });

function data() {
  return [
    buildArticle({ title: 'By grace', author: grace, favorited: true, favoritesCount: 1 }),
    buildArticle({ title: 'By ada', author: adaProfile }),
  ];
}

const listTitles = (label: string) =>
  within(screen.getByLabelText(label))
    .queryAllByRole('heading', { level: 2 })
    .map((h) => h.textContent);

describe('profile page', () => {
  it('shows someone’s articles and lets a signed-in person follow them', async () => {
    const api = createMockApi({ user: ada, articles: data() });
    server.use(...api.handlers);
    resetSessionForTests(ada);
    const { user } = renderApp('/profile/grace');

    expect(await screen.findByRole('heading', { name: 'grace', level: 1 })).toBeInTheDocument();
    expect(screen.getByText('Compilers, mostly')).toBeInTheDocument();
    const tabs = screen.getByRole('navigation', { name: 'Articles' });
    expect(within(tabs).getByRole('link', { name: 'My Articles' })).toHaveAttribute('aria-current', 'page');
    await waitFor(() => expect(listTitles('Articles by grace')).toEqual(['By grace']));

    await user.click(screen.getByRole('button', { name: 'Follow grace' }));
    expect(await screen.findByRole('button', { name: 'Unfollow grace' })).toHaveAttribute('aria-pressed', 'true');
    expect(api.state.calls.some((c) => c.method === 'POST' && c.path === '/api/profiles/grace/follow')).toBe(true);
  });

  it('shows one’s own Favorited Articles and Edit Profile Settings instead of Follow', async () => {
    server.use(...createMockApi({ user: ada, articles: data() }).handlers);
    resetSessionForTests(ada);
    const { user, router } = renderApp('/profile/ada');

    expect(await screen.findByRole('link', { name: /Edit Profile Settings/ })).toHaveAttribute('href', '/app/settings/account');
    expect(screen.queryByRole('button', { name: /Follow/ })).not.toBeInTheDocument();
    await waitFor(() => expect(listTitles('Articles by ada')).toEqual(['By ada']));
    await user.click(screen.getByRole('link', { name: 'Favorited Articles' }));
    expect(router.state.location.pathname).toBe('/profile/ada/favorites');
    await waitFor(() => expect(listTitles('Articles ada favorited')).toEqual(['By grace']));
  });

  it('says so for an unknown user', async () => {
    server.use(...createMockApi().handlers);
    restoreSessionForTests();
    renderApp('/profile/nobody');
    expect(await screen.findByRole('heading', { name: 'Profile not found', level: 1 })).toBeInTheDocument();
  });
});
