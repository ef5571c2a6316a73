import { describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { screen, waitFor, within } from '@testing-library/react';
import type { UserResponse } from '@conduit/contracts';
import { resetSessionForTests } from '@/lib/session';
import { buildApiToken, buildNotification, buildUser } from '@/testing/factories';
import { createMockApi } from '@/testing/mock-api';
import { server } from '@/testing/msw-server';
import { renderApp } from '@/testing/render';
import { restoreSessionForTests } from './provider';

describe('app routes', () => {
  it('restores the session with one refresh on load, so a reload keeps the person signed in', async () => {
    const api = createMockApi({ tokens: [buildApiToken({ name: 'Deploy' })] });
    let refreshes = 0;
    server.use(
      http.post<never, never, UserResponse>('*/api/users/refresh', () => {
        refreshes += 1;
        return HttpResponse.json({ user: buildUser({ token: 'restored.jwt' }) });
      }),
      ...api.handlers,
    );
    restoreSessionForTests({ hadSession: true });
    renderApp('/app/settings/api-tokens');
    expect(await screen.findByRole('listitem', { name: 'Deploy' })).toBeInTheDocument();
    expect(refreshes).toBe(1);
    const list = api.state.calls.find((c) => c.path === '/api/user/api-tokens');
    expect(list?.authorization).toBe('Bearer restored.jwt');
  });

  it('sends signed-out visitors to sign in, then back to the page they wanted', async () => {
    const api = createMockApi({ tokens: [buildApiToken({ name: 'Deploy' })], password: 'correct horse' });
    server.use(...api.handlers);
    restoreSessionForTests();
    const { user, router } = renderApp('/app/settings/api-tokens');

    expect(await screen.findByRole('heading', { name: 'Sign in', level: 1 })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/login');
    await user.type(screen.getByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'correct horse');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('heading', { name: 'API tokens', level: 1 })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/app/settings/api-tokens');
    expect(await screen.findByRole('listitem', { name: 'Deploy' })).toBeInTheDocument();
  });

  it('sends the person to sign in when a data call gets 401 and the refresh fails, then back', async () => {
    const api = createMockApi({ tokens: [buildApiToken({ name: 'Deploy' })], password: 'correct horse' });
    let expired = true;
    server.use(
      http.get('*/api/user/api-tokens', ({ request }) =>
        expired && request.headers.get('authorization') === 'Bearer stale.jwt'
          ? HttpResponse.json({ errors: { token: ['expired'] } }, { status: 401 })
          : HttpResponse.json({ apiTokens: api.state.tokens }),
      ),
      ...api.handlers,
    );
    resetSessionForTests(buildUser({ token: 'stale.jwt' }));
    const { user, router } = renderApp('/app/settings/api-tokens');

    expect(await screen.findByText('Your session has ended. Sign in again to continue.')).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/login');
    expect(api.state.calls.filter((c) => c.path === '/api/users/refresh')).toHaveLength(1);

    expired = false;
    await user.type(screen.getByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'correct horse');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('listitem', { name: 'Deploy' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/app/settings/api-tokens');
  });

  it('does not ask for a session refresh on a first visit (no 401 in the console), and does after a sign-in', async () => {
    const api = createMockApi();
    server.use(...api.handlers);
    restoreSessionForTests();
    renderApp('/');
    expect(await screen.findByRole('region', { name: /Publish with Conduit/ })).toBeInTheDocument();
    expect(api.state.calls.filter((c) => c.path === '/api/users/refresh')).toHaveLength(0);
  });

  it('offers sign in and sign up on the home page when signed out', async () => {
    server.use(...createMockApi().handlers);
    restoreSessionForTests();
    renderApp('/');
    const hero = await screen.findByRole('region', { name: 'Conduit' });
    expect(within(hero).getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', '/login');
    expect(within(hero).getByRole('link', { name: 'Sign up' })).toHaveAttribute('href', '/register');
  });

  it('has a keyboard-operable user menu that signs out', async () => {
    const api = createMockApi();
    server.use(...api.handlers);
    resetSessionForTests(buildUser({ username: 'ada' }));
    const { user, router } = renderApp('/');
    expect(await screen.findByRole('heading', { name: 'Welcome back, ada' })).toBeInTheDocument();

    const button = screen.getByRole('button', { name: 'Account menu for ada' });
    expect(button).toHaveAttribute('aria-expanded', 'false');
    button.focus();
    await user.keyboard('{Enter}');
    const menu = screen.getByRole('menu');
    expect(within(menu).getByRole('menuitem', { name: 'Notifications' })).toHaveFocus();
    await user.keyboard('{ArrowDown}');
    expect(within(menu).getByRole('menuitem', { name: 'Account settings' })).toHaveFocus();
    await user.keyboard('{ArrowDown}');
    expect(within(menu).getByRole('menuitem', { name: 'API tokens' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('menu')).not.toBeInTheDocument();
    expect(button).toHaveFocus();

    await user.keyboard('{ArrowUp}');
    expect(screen.getByRole('menuitem', { name: 'Sign out' })).toHaveFocus();
    await user.keyboard('{Enter}');
    const header = screen.getByRole('navigation', { name: 'Account' });
    await waitFor(() => expect(within(header).getByRole('link', { name: 'Sign in' })).toBeInTheDocument());
    expect(api.state.calls.some((c) => c.path === '/api/users/logout')).toBe(true);
    expect(router.state.location.pathname).toBe('/');
  });

  it('navigates with the user menu to the notifications, showing the unread count', async () => {
    server.use(...createMockApi({ notifications: [buildNotification({ message: 'Your API token "Deploy" expires in 1 day.' })] }).handlers);
    resetSessionForTests(buildUser({ username: 'ada' }));
    const { user, router } = renderApp('/');
    const button = await screen.findByRole('button', { name: /^Account menu for ada\s*, 1 unread notification$/ });
    await user.click(button);
    await user.click(screen.getByRole('menuitem', { name: 'Notifications (1 unread)' }));
    expect(await screen.findByRole('heading', { name: 'Notifications' })).toBeInTheDocument();
    expect(screen.getByText('Your API token "Deploy" expires in 1 day.')).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/app/notifications');
  });

  it('navigates with the user menu to API tokens', async () => {
    server.use(...createMockApi().handlers);
    resetSessionForTests(buildUser({ username: 'ada' }));
    const { user, router } = renderApp('/');
    await user.click(await screen.findByRole('button', { name: 'Account menu for ada' }));
    await user.click(screen.getByRole('menuitem', { name: 'API tokens' }));
    expect(router.state.location.pathname).toBe('/app/settings/api-tokens');
    expect(await screen.findByText('You have no active API tokens.')).toBeInTheDocument();
  });
});
