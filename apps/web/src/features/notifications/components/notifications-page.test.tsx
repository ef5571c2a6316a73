import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { UserMenu } from '@/app/routes/user-menu';
import { resetSessionForTests } from '@/lib/session';
import { buildNotification, buildUser } from '@/testing/factories';
import { createMockApi } from '@/testing/mock-api';
import { server } from '@/testing/msw-server';
import { renderWithProviders } from '@/testing/render';
import { NotificationsPage } from './notifications-page';

function setup(notifications = [
  buildNotification({ kind: 'token_expiring', message: 'Your API token "Deploy" expires in 7 days.', tokenId: 'a1' }),
  buildNotification({ kind: 'token_revoked', message: 'Your API token "Old" was revoked.', tokenId: 'a2' }),
  buildNotification({ kind: 'token_expired', message: 'Your API token "Cron" expired.', tokenId: 'a3', readAt: new Date().toISOString() }),
]) {
  resetSessionForTests(buildUser({ timezone: 'Europe/Paris' }));
  const api = createMockApi({ notifications });
  server.use(...api.handlers);
  const reads = () => api.state.calls.filter((c) => c.method === 'POST' && c.path === '/api/user/notifications/read').map((c) => c.body);
  return { api, reads };
}

describe('NotificationsPage', () => {
  it('lists the notifications newest first, marking the unread ones', async () => {
    setup();
    renderWithProviders(<NotificationsPage />);
    const list = await screen.findByRole('list', { name: 'Notifications' });
    const items = within(list).getAllByRole('listitem');
    expect(items.map((i) => i.getAttribute('aria-label'))).toEqual(['Token expiring (unread)', 'Token revoked (unread)', 'Token expired']);
    expect(within(items[0]).getByText('Your API token "Deploy" expires in 7 days.')).toBeInTheDocument();
    expect(within(items[0]).getByRole('link', { name: 'Manage API tokens' })).toHaveAttribute('href', '/app/settings/api-tokens');
    // Every token notification leads to that token's activity, also once the token has ended.
    for (const item of items) {
      expect(within(item).getByRole('link', { name: /^Token activity/ })).toHaveAttribute(
        'href',
        expect.stringMatching(/^\/app\/settings\/security-log\?tokenId=.+/),
      );
    }
    expect(within(items[1]).queryByRole('link', { name: 'Manage API tokens' })).not.toBeInTheDocument();
    expect(within(items[2]).queryByRole('button', { name: /Mark read/ })).not.toBeInTheDocument();
    expect(screen.getByText('2 unread.')).toBeInTheDocument();
  });

  it('marks one read by id, then all read', async () => {
    const { reads, api } = setup();
    const { user } = renderWithProviders(<NotificationsPage />);
    await user.click(await screen.findByRole('button', { name: 'Mark read: Your API token "Deploy" expires in 7 days.' }));
    await waitFor(() => expect(screen.getByText('1 unread.')).toBeInTheDocument());
    expect(reads()).toEqual([{ ids: [api.state.notifications[0].id] }]);
    expect(screen.getAllByRole('listitem')[0]).toHaveAttribute('aria-label', 'Token expiring');

    await user.click(screen.getByRole('button', { name: 'Mark all read' }));
    await waitFor(() => expect(screen.getByText('Nothing unread.')).toBeInTheDocument());
    expect(reads()).toEqual([{ ids: [api.state.notifications[0].id] }, { all: true }]);
    expect(screen.queryByRole('button', { name: 'Mark all read' })).not.toBeInTheDocument();
  });

  it('says so when there are none', async () => {
    setup([]);
    renderWithProviders(<NotificationsPage />);
    expect(await screen.findByText(/No notifications yet/)).toBeInTheDocument();
  });
});

describe('UserMenu unread count', () => {
  it('shows the unread count on the menu button and links to the list', async () => {
    setup();
    const { user } = renderWithProviders(<UserMenu username="jake" />);
    const button = await screen.findByRole('button', { name: /^Account menu for jake\s*, 2 unread notifications$/ });
    expect(within(button).getByText('2')).toBeInTheDocument();
    await user.click(button);
    expect(screen.getByRole('menuitem', { name: 'Notifications (2 unread)' })).toHaveAttribute('href', '/app/notifications');
  });

  it('shows no count when everything is read', async () => {
    const { api } = setup([buildNotification({ readAt: new Date().toISOString() })]);
    const { user, queryClient } = renderWithProviders(<UserMenu username="jake" />);
    await waitFor(() => expect(queryClient.getQueryData(['notifications', 'list'])).toBeDefined());
    expect(api.state.calls.some((c) => c.path === '/api/user/notifications')).toBe(true);
    const button = screen.getByRole('button', { name: 'Account menu for jake' });
    await user.click(button);
    expect(await screen.findByRole('menuitem', { name: 'Notifications' })).toBeInTheDocument();
  });
});
