import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { getSession, resetSessionForTests } from '@/lib/session';
import { buildUser } from '@/testing/factories';
import { createMockApi } from '@/testing/mock-api';
import { server } from '@/testing/msw-server';
import { renderApp } from '@/testing/render';

function setup() {
  const api = createMockApi({ user: buildUser({ username: 'ada', bio: 'Hi', timezone: 'UTC' }), password: 'correct horse' });
  server.use(...api.handlers);
  resetSessionForTests(api.state.user);
  return { api, ...renderApp('/app/settings/account') };
}

describe('AccountPage', () => {
  it('saves the profile and confirms it', async () => {
    const { user, api } = setup();
    const profile = await screen.findByRole('region', { name: 'Profile' });
    const bio = within(profile).getByLabelText(/Bio/);
    expect(bio).toHaveValue('Hi');
    await user.clear(bio);
    await user.type(bio, 'Writes about tokens');
    await user.click(within(profile).getByRole('button', { name: 'Save profile' }));
    expect(await within(profile).findByText('Profile saved.')).toBeInTheDocument();
    const put = api.state.calls.find((c) => c.method === 'PUT');
    expect(put?.body).toEqual({ user: { username: 'ada', email: 'ada@example.com', bio: 'Writes about tokens', image: null } });
  });

  it('shows a wrong current password next to that field', async () => {
    const { user } = setup();
    const section = await screen.findByRole('region', { name: 'Password' });
    await user.type(within(section).getByLabelText('Current password'), 'not it');
    await user.type(within(section).getByLabelText('New password'), 'a new password');
    await user.click(within(section).getByRole('button', { name: 'Change password' }));
    await waitFor(() =>
      expect(within(section).getByLabelText('Current password')).toHaveAccessibleDescription('Current password is incorrect'),
    );
    expect(within(section).queryByText('Password changed.')).not.toBeInTheDocument();
  });

  it('checks the new password length before sending', async () => {
    const { user, api } = setup();
    const section = await screen.findByRole('region', { name: 'Password' });
    await user.type(within(section).getByLabelText('Current password'), 'correct horse');
    await user.type(within(section).getByLabelText('New password'), 'short');
    await user.click(within(section).getByRole('button', { name: 'Change password' }));
    expect(within(section).getByLabelText('New password')).toHaveAccessibleDescription(expect.stringContaining('Use at least 8 characters.'));
    expect(api.state.calls.some((c) => c.method === 'PUT')).toBe(false);
  });

  it('saves a time zone picked from the list and refuses unknown ones', async () => {
    const { user, api } = setup();
    const section = await screen.findByRole('region', { name: 'Time zone' });
    const input = within(section).getByRole('combobox', { name: 'Time zone' });
    expect(input).toHaveValue('UTC');
    await user.clear(input);
    await user.type(input, 'Mars/Olympus');
    await user.click(within(section).getByRole('button', { name: 'Save time zone' }));
    expect(input).toHaveAccessibleDescription(expect.stringContaining('Pick a time zone from the list'));
    await user.clear(input);
    await user.type(input, 'Asia/Tokyo');
    await user.click(within(section).getByRole('button', { name: 'Save time zone' }));
    expect(await within(section).findByText('Time zone saved.')).toBeInTheDocument();
    expect(api.state.calls.find((c) => c.method === 'PUT')?.body).toEqual({ user: { timezone: 'Asia/Tokyo' } });
    expect(getSession().user?.timezone).toBe('Asia/Tokyo');
  });

  it('deletes the account after the password, signs out and shows a notice on the home page', async () => {
    const { user, router } = setup();
    const section = await screen.findByRole('region', { name: 'Delete account' });
    await user.type(within(section).getByLabelText('Type your password to confirm'), 'wrong one');
    await user.click(within(section).getByRole('button', { name: 'Delete my account' }));
    await waitFor(() =>
      expect(within(section).getByLabelText('Type your password to confirm')).toHaveAccessibleDescription('Password is incorrect'),
    );
    const field = within(section).getByLabelText('Type your password to confirm');
    await user.clear(field);
    await user.type(field, 'correct horse');
    await user.click(within(section).getByRole('button', { name: 'Delete my account' }));
    expect(await screen.findByText('Your account has been deleted. Its API tokens no longer work.')).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/');
    expect(getSession().status).toBe('anonymous');
    expect(within(screen.getByRole('navigation', { name: 'Account' })).getByRole('link', { name: 'Sign up' })).toBeInTheDocument();
  });
});
