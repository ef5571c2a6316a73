import { describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { screen, waitFor, within } from '@testing-library/react';
import { resetSessionForTests } from '@/lib/session';
import { buildApiToken, buildUser } from '@/testing/factories';
import { createMockApi } from '@/testing/mock-api';
import { server } from '@/testing/msw-server';
import { renderApp } from '@/testing/render';
import { restoreSessionForTests } from './provider';

const REQUIRED = { errors: { reauthentication: ['is required: confirm your password'] } };

describe('settings', () => {
  it('opens Account at /app, with a navigation listing every settings page', async () => {
    server.use(...createMockApi().handlers);
    resetSessionForTests(buildUser({ username: 'ada' }));
    const { router, user } = renderApp('/app');
    expect(await screen.findByRole('heading', { name: 'Account settings', level: 1 })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/app/settings/account');

    const nav = screen.getByRole('navigation', { name: 'Settings' });
    const links = within(nav).getAllByRole('link');
    expect(links.map((l) => l.textContent)).toEqual(['Account', 'API tokens', 'Security log', 'Notifications']);
    expect(within(nav).getByRole('link', { name: 'Account' })).toHaveAttribute('aria-current', 'page');

    await user.click(within(nav).getByRole('link', { name: 'Security log' }));
    expect(await screen.findByRole('heading', { name: 'Security log', level: 1 })).toBeInTheDocument();
    expect(within(nav).getByRole('link', { name: 'Security log' })).toHaveAttribute('aria-current', 'page');
    await user.click(within(nav).getByRole('link', { name: 'Notifications' }));
    expect(await screen.findByRole('heading', { name: 'Notifications', level: 1 })).toBeInTheDocument();
  });

  it('greets a new account as new, and a returning one with "Welcome back"', async () => {
    server.use(
      http.post('*/api/users', () => HttpResponse.json({ user: buildUser({ username: 'newbie', token: 'n.jwt' }) }, { status: 201 })),
      ...createMockApi().handlers,
    );
    restoreSessionForTests();
    const { user, router } = renderApp('/register');
    await user.type(await screen.findByLabelText('Username'), 'newbie');
    await user.type(screen.getByLabelText('Email'), 'newbie@example.com');
    await user.type(screen.getByLabelText('Password'), 'long enough password');
    await user.click(screen.getByRole('button', { name: 'Sign up' }));
    expect(await screen.findByRole('heading', { name: 'Welcome to Conduit, newbie' })).toBeInTheDocument();
    // The flag leaves the history entry, so a reload of this page greets them as returning.
    await waitFor(() => expect(router.state.location.state).toBeNull());
    expect(screen.getByRole('heading', { name: 'Welcome to Conduit, newbie' })).toBeInTheDocument();
  });

  it('after "Confirm it\'s you" is cancelled: focus back on Save profile, and a sentence says nothing changed', async () => {
    const api = createMockApi({ user: buildUser({ username: 'ada', email: 'ada@example.com' }) });
    let confirmed = false;
    server.use(
      http.put('*/api/user', async ({ request }) => {
        const { user } = (await request.clone().json()) as { user: { email?: string } };
        if (!confirmed && user.email !== 'ada@example.com') return HttpResponse.json(REQUIRED, { status: 403 });
        return undefined;
      }),
      http.post('*/api/user/reauthenticate', async ({ request }) => {
        const { password } = (await request.json()) as { password: string };
        if (password !== 'correct horse battery') return HttpResponse.json({ errors: { password: ['is incorrect'] } }, { status: 422 });
        confirmed = true;
        return new HttpResponse(null, { status: 204 });
      }),
      ...api.handlers,
    );
    resetSessionForTests(buildUser({ username: 'ada', email: 'ada@example.com' }));
    const { user } = renderApp('/app/settings/account');
    const email = await screen.findByLabelText('Email');
    await user.clear(email);
    await user.type(email, 'ada@new.example');
    const save = screen.getByRole('button', { name: 'Save profile' });
    await user.click(save);

    let dialog = await screen.findByRole('dialog', { name: "Confirm it's you" });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(save).toHaveFocus());
    expect(
      await screen.findByText(/^Nothing was changed: this change needs your password, and it was not confirmed\./),
    ).toBeInTheDocument();

    // Again, confirming this time: focus comes back to the button, and the status says it is saved.
    await user.click(save);
    dialog = await screen.findByRole('dialog', { name: "Confirm it's you" });
    await user.type(within(dialog).getByLabelText('Password'), 'wrong');
    await user.click(within(dialog).getByRole('button', { name: 'Confirm' }));
    expect(await within(dialog).findByText('That is not your password. Check it and try again.')).toBeInTheDocument();
    await user.clear(within(dialog).getByLabelText('Password'));
    await user.type(within(dialog).getByLabelText('Password'), 'correct horse battery');
    await user.click(within(dialog).getByRole('button', { name: 'Confirm' }));
    expect(await screen.findByText('Profile saved.')).toBeInTheDocument();
    await waitFor(() => expect(save).toHaveFocus());
  });

  it('asks before leaving the page while a new token is shown and not copied', async () => {
    const api = createMockApi({ tokens: [buildApiToken({ name: 'Existing' })] });
    server.use(...api.handlers);
    resetSessionForTests(buildUser({ username: 'ada' }));
    const { user, router } = renderApp('/app/settings/api-tokens');
    await screen.findByRole('listitem', { name: 'Existing' });
    await user.click(screen.getByRole('button', { name: '+ New Token' }));
    await user.type(screen.getByLabelText('Token name'), 'Fresh');
    await user.click(screen.getByRole('button', { name: 'Create token' }));
    await screen.findByRole('region', { name: 'Token “Fresh” created' });

    // Closing or reloading the tab: the browser's own prompt.
    const unload = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(unload);
    expect(unload.defaultPrevented).toBe(true);

    // A link inside the app: our dialog. Staying keeps the token on screen.
    const nav = screen.getByRole('navigation', { name: 'Settings' });
    await user.click(within(nav).getByRole('link', { name: 'Account' }));
    let dialog = await screen.findByRole('alertdialog', { name: 'Leave without copying the token?' });
    expect(within(dialog).getByRole('button', { name: 'Stay and copy it' })).toHaveFocus();
    await user.click(within(dialog).getByRole('button', { name: 'Stay and copy it' }));
    expect(router.state.location.pathname).toBe('/app/settings/api-tokens');
    expect(screen.getByRole('region', { name: 'Token “Fresh” created' })).toBeInTheDocument();

    await user.click(within(nav).getByRole('link', { name: 'Account' }));
    dialog = await screen.findByRole('alertdialog', { name: 'Leave without copying the token?' });
    await user.click(within(dialog).getByRole('button', { name: 'Leave' }));
    expect(await screen.findByRole('heading', { name: 'Account settings', level: 1 })).toBeInTheDocument();
  });

  it('does not ask once the token has been copied', async () => {
    const api = createMockApi({ tokens: [buildApiToken({ name: 'Existing' })] });
    server.use(...api.handlers);
    resetSessionForTests(buildUser({ username: 'ada' }));
    const { user, router } = renderApp('/app/settings/api-tokens');
    await screen.findByRole('listitem', { name: 'Existing' });
    await user.click(screen.getByRole('button', { name: '+ New Token' }));
    await user.type(screen.getByLabelText('Token name'), 'Fresh');
    await user.click(screen.getByRole('button', { name: 'Create token' }));
    const banner = await screen.findByRole('region', { name: 'Token “Fresh” created' });
    await user.click(within(banner).getByRole('button', { name: 'Copy' }));
    expect(await within(banner).findByText('Copied')).toBeInTheDocument();

    const unload = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(unload);
    expect(unload.defaultPrevented).toBe(false);
    await user.click(within(screen.getByRole('navigation', { name: 'Settings' })).getByRole('link', { name: 'Account' }));
    expect(await screen.findByRole('heading', { name: 'Account settings', level: 1 })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/app/settings/account');
  });
});
