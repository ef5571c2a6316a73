import { describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { screen, waitFor, within } from '@testing-library/react';
import { READ_ONLY_PERMISSIONS, type ApiTokenListResponse, type ErrorResponse } from '@conduit/contracts';
import { resetSessionForTests } from '@/lib/session';
import { buildApiToken, buildUser, daysAgo, daysFromNow } from '@/testing/factories';
import { createMockApi } from '@/testing/mock-api';
import { server } from '@/testing/msw-server';
import { renderWithProviders } from '@/testing/render';
import { ApiTokenList } from './api-token-list';

function tokenItem(name: string) {
  return screen.getByRole('listitem', { name });
}

describe('ApiTokenList', () => {
  it('shows each token with its hint, creation date, expiry, last use and allowed IPs', async () => {
    resetSessionForTests(buildUser({ timezone: 'Europe/Paris' }));
    const api = createMockApi({
      tokens: [
        buildApiToken({
          name: 'GitHub Actions, staging',
          hint: 'abcd',
          createdAt: '2025-01-15T10:00:00.000Z',
          expiresAt: null,
          allowedIps: ['203.0.113.0/24', '2001:db8::/32'],
          lastUsedAt: new Date(Date.now() - 3 * 60_000).toISOString(),
          lastUsedIp: '203.0.113.7',
          recentIps: [
            { ip: '203.0.113.7', lastSeenAt: new Date(Date.now() - 5 * 60_000).toISOString() },
            { ip: '2001:db8::5', lastSeenAt: daysAgo(2) },
          ],
          permissions: READ_ONLY_PERMISSIONS,
        }),
        buildApiToken({ name: 'Nightly cron', hint: 'wxyz', createdAt: daysAgo(2), expiresAt: '2099-06-30T12:00:00.000Z' }),
        buildApiToken({ name: 'Blog bot', permissions: { articles: 'write', comments: 'none', social: 'none', account: 'read' } }),
      ],
    });
    server.use(...api.handlers);
    renderWithProviders(<ApiTokenList onNew={() => {}} />);

    const first = await screen.findByRole('listitem', { name: 'GitHub Actions, staging' });
    expect(within(first).getByText('…abcd')).toBeInTheDocument();
    expect(within(first).getByText('Jan 15, 2025')).toHaveAttribute('title', expect.stringContaining('Europe/Paris'));
    expect(within(first).getByText('Never expires')).toBeInTheDocument();
    expect(within(first).getByText('203.0.113.0/24')).toBeInTheDocument();
    const recent = within(first).getByRole('list', { name: 'Recent addresses of GitHub Actions, staging' });
    const items = within(recent).getAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual(['203.0.113.7 5 minutes ago', '2001:db8::5 2 days ago']);
    expect(within(items[1]).getByText('2 days ago')).toHaveAttribute('title', expect.stringContaining('Europe/Paris'));
    expect(within(first).getByRole('link', { name: 'Activity of GitHub Actions, staging (…abcd)' })).toHaveAttribute(
      'href',
      expect.stringContaining('/app/settings/security-log?tokenId='),
    );
    expect(within(screen.getByRole('listitem', { name: 'Nightly cron' })).getByText('None yet')).toBeInTheDocument();
    expect(within(first).getByText('2001:db8::/32')).toBeInTheDocument();
    expect(within(first).getByText('Read-only')).toBeInTheDocument();
    expect(within(tokenItem('Nightly cron')).getByText('Read and write')).toBeInTheDocument();
    expect(within(tokenItem('Blog bot')).getByText('articles: write · account: read')).toBeInTheDocument();

    // Relative last use, with the exact time and IP available on focus via aria-describedby.
    const lastUsed = within(first).getByText('3 minutes ago');
    expect(lastUsed).toHaveAttribute('tabindex', '0');
    expect(lastUsed).toHaveAccessibleDescription(expect.stringContaining('from 203.0.113.7'));
    expect(lastUsed).toHaveAccessibleDescription(expect.stringContaining('Europe/Paris'));

    const second = tokenItem('Nightly cron');
    expect(within(second).getByText('Never used')).toBeInTheDocument();
    expect(within(second).getByText('Jun 30, 2099')).toBeInTheDocument();
    expect(within(second).getByText('Any IP')).toBeInTheDocument();
    expect(within(second).getByRole('button', { name: 'Revoke Nightly cron (…wxyz)' })).toBeInTheDocument();
  });

  it('shows the last-use tooltip on keyboard focus and hides it on Escape', async () => {
    resetSessionForTests(buildUser());
    const api = createMockApi({
      tokens: [buildApiToken({ name: 'Deploy', lastUsedAt: daysAgo(1), lastUsedIp: '198.51.100.4' })],
    });
    server.use(...api.handlers);
    const { user } = renderWithProviders(<ApiTokenList />);
    const trigger = await screen.findByText('yesterday');
    const tooltip = screen.getByRole('tooltip', { hidden: true });
    expect(tooltip).not.toHaveClass('tooltip__bubble--open');
    await user.tab();
    expect(trigger).toHaveFocus();
    expect(tooltip).toHaveClass('tooltip__bubble--open');
    expect(tooltip).toHaveTextContent('198.51.100.4');
    await user.keyboard('{Escape}');
    expect(tooltip).not.toHaveClass('tooltip__bubble--open');
  });

  it('marks stale tokens as candidates for revocation and soon-expiring ones as expiring soon', async () => {
    resetSessionForTests(buildUser());
    const api = createMockApi({
      tokens: [
        buildApiToken({ name: 'Unused for months', createdAt: daysAgo(200), lastUsedAt: daysAgo(91) }),
        buildApiToken({ name: 'Never used, old', createdAt: daysAgo(95), lastUsedAt: null, expiresAt: null }),
        buildApiToken({ name: 'Expiring', createdAt: daysAgo(20), expiresAt: daysFromNow(3), lastUsedAt: daysAgo(1) }),
        buildApiToken({ name: 'Healthy', createdAt: daysAgo(100), expiresAt: daysFromNow(30), lastUsedAt: daysAgo(89) }),
      ],
    });
    server.use(...api.handlers);
    renderWithProviders(<ApiTokenList />);

    await screen.findByRole('listitem', { name: 'Healthy' });
    expect(within(tokenItem('Unused for months')).getByText('Candidate for revocation')).toBeInTheDocument();
    expect(within(tokenItem('Never used, old')).getByText('Candidate for revocation')).toBeInTheDocument();
    expect(within(tokenItem('Expiring')).getByText('Expires soon')).toBeInTheDocument();
    expect(within(tokenItem('Expiring')).queryByText('Candidate for revocation')).not.toBeInTheDocument();
    expect(within(tokenItem('Healthy')).queryByText('Candidate for revocation')).not.toBeInTheDocument();
    expect(within(tokenItem('Healthy')).queryByText('Expires soon')).not.toBeInTheDocument();
  });

  it('explains what tokens are for when there are none, with the + New Token action', async () => {
    resetSessionForTests(buildUser());
    server.use(...createMockApi().handlers);
    let opened = 0;
    const { user } = renderWithProviders(<ApiTokenList onNew={() => (opened += 1)} />);

    expect(await screen.findByText('You have no active API tokens.')).toBeInTheDocument();
    expect(screen.getByText(/CI\/CD pipelines, cron jobs/)).toBeInTheDocument();
    expect(screen.queryByRole('list')).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '+ New Token' }));
    expect(opened).toBe(1);
  });

  it('shows a skeleton while loading, then an error with a working retry', async () => {
    resetSessionForTests(buildUser());
    let fail = true;
    server.use(
      http.get<never, never, ApiTokenListResponse | ErrorResponse>('*/api/user/api-tokens', () =>
        fail
          ? HttpResponse.json({ errors: { database: ['is unavailable'] } }, { status: 503 })
          : HttpResponse.json({ apiTokens: [buildApiToken({ name: 'Back again' })] }),
      ),
    );
    const { user } = renderWithProviders(<ApiTokenList />);

    expect(screen.getByTestId('token-skeleton')).toBeInTheDocument();
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Your tokens could not be loaded.');
    expect(alert).toHaveTextContent('Database is unavailable');

    fail = false;
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('listitem', { name: 'Back again' })).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('alert')).not.toBeInTheDocument());
  });
});
