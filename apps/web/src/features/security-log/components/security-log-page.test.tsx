import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import { resetSessionForTests } from '@/lib/session';
import { buildApiToken, buildSecurityEvent, buildUser, daysAgo } from '@/testing/factories';
import { createMockApi } from '@/testing/mock-api';
import { server } from '@/testing/msw-server';
import { renderApp } from '@/testing/render';

const deploy = buildApiToken({ name: 'deploy', hint: 'Dp01' });

function setup(path = '/app/settings/security-log', events = [
  buildSecurityEvent({
    type: 'token.refused',
    createdAt: '2026-03-03T13:02:11.000Z',
    ip: '198.51.100.9',
    userAgent: 'curl/8.5.0',
    tokenId: deploy.id,
    tokenName: 'deploy',
    tokenHint: 'Dp01',
    detail: { reason: 'ip_not_allowed', count: 12, lastAt: daysAgo(1) },
  }),
  buildSecurityEvent({ type: 'token.created', tokenId: deploy.id, tokenName: 'deploy', tokenHint: 'Dp01', detail: {} }),
  buildSecurityEvent({ type: 'session.signed_in', detail: { via: 'password' } }),
]) {
  resetSessionForTests(buildUser({ timezone: 'Asia/Tokyo' }));
  const api = createMockApi({ tokens: [deploy], events });
  server.use(...api.handlers);
  return { api, ...renderApp(path) };
}

const logCalls = (api: ReturnType<typeof createMockApi>) => api.state.calls.filter((c) => c.path === '/api/user/security-log');

describe('Security log page', () => {
  it('lists what happened, from where, in the user’s time zone', async () => {
    setup();
    const rows = await screen.findAllByTestId('security-event');
    expect(rows).toHaveLength(3);
    expect(rows[0]).toHaveTextContent('“deploy” was refused from an address its allowlist does not include (12 times)');
    expect(within(rows[0]).getByText('198.51.100.9')).toBeInTheDocument();
    // The client in a few words; the full User-Agent on demand.
    expect(within(rows[0]).getByText('curl 8.5.0', { selector: 'summary' })).toBeInTheDocument();
    expect(within(rows[0]).getByText('curl/8.5.0')).toBeInTheDocument();
    // 13:02 UTC is 22:02 in Tokyo.
    expect(within(rows[0]).getByText('Mar 3, 2026, 22:02:11')).toHaveAttribute('datetime', '2026-03-03T13:02:11.000Z');
    expect(rows[2]).toHaveTextContent('Signed in with your password');
    expect(screen.getByText(/Times are in .*Asia\/Tokyo/)).toBeInTheDocument();
  });

  it('says where GitHub secret scanning found a revoked token', async () => {
    setup('/app/settings/security-log', [
      buildSecurityEvent({
        type: 'token.revoked',
        tokenId: deploy.id,
        tokenName: 'deploy',
        tokenHint: 'Dp01',
        detail: { by: 'leak_report', reporter: 'github_secret_scanning', url: 'https://github.com/octo-org/site/blob/4f1c2d3/deploy.sh', source: 'content' },
      }),
      buildSecurityEvent({ type: 'token.revoked', tokenId: deploy.id, tokenName: 'deploy', tokenHint: 'Dp01', detail: { by: 'leak_report' } }),
    ]);
    const rows = await screen.findAllByTestId('security-event');
    expect(rows[0]).toHaveTextContent('“deploy” was revoked: GitHub secret scanning found it in public at https://github.com/octo-org/site/blob/4f1c2d3/deploy.sh');
    expect(rows[1]).toHaveTextContent('“deploy” was revoked after a leak report');
  });

  it('filters by token and by type through the API, and keeps the filters in the URL', async () => {
    const { user, api, router } = setup();
    await screen.findAllByTestId('security-event');
    await user.selectOptions(screen.getByLabelText('Token'), 'deploy (…Dp01)');
    expect(await screen.findAllByTestId('security-event')).toHaveLength(2);
    expect(router.state.location.search).toBe(`?tokenId=${deploy.id}`);
    await user.selectOptions(screen.getByLabelText('Event'), 'Token refused');
    await screen.findByText(/was refused/);
    expect(await screen.findAllByTestId('security-event')).toHaveLength(1);
    // Filtering happens in the API (the mock filters what it answers): one call per filter change.
    expect(logCalls(api).length).toBeGreaterThanOrEqual(3);
    expect(router.state.location.search).toBe(`?tokenId=${deploy.id}&type=token.refused`);
  });

  it('opens filtered to a token (the card’s Activity link) and loads older events with Load more', async () => {
    const many = Array.from({ length: 60 }, (_, i) =>
      buildSecurityEvent({ type: 'token.new_ip', tokenId: deploy.id, tokenName: 'deploy', ip: `203.0.113.${i}`, detail: {} }),
    );
    const { user } = setup('/app/settings/api-tokens', many);
    const card = await screen.findByRole('listitem', { name: 'deploy' });
    await user.click(within(card).getByRole('link', { name: 'Activity of deploy (…Dp01)' }));
    expect(await screen.findByRole('heading', { name: 'Security log' })).toBeInTheDocument();
    expect(screen.getByLabelText('Token')).toHaveValue(deploy.id);
    expect(await screen.findAllByTestId('security-event')).toHaveLength(50);
    await user.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await screen.findByText('203.0.113.59')).toBeInTheDocument();
    expect(screen.getAllByTestId('security-event')).toHaveLength(60);
    expect(screen.queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
  });

  it('says which fields a change touched', async () => {
    setup('/app/settings/security-log', [
      buildSecurityEvent({ type: 'token.updated', tokenId: deploy.id, tokenName: 'deploy', tokenHint: 'Dp01', detail: { changed: ['name', 'allowedIps', 'permissions'] } }),
      buildSecurityEvent({ type: 'token.updated', tokenId: deploy.id, tokenName: 'deploy', tokenHint: 'Dp01', detail: { changed: ['allowedIps'] } }),
    ]);
    const rows = await screen.findAllByTestId('security-event');
    expect(rows[0]).toHaveTextContent('“deploy” was changed: its name, its allowed IPs and its permissions');
    expect(rows[1]).toHaveTextContent('“deploy” was changed: its allowed IPs');
  });

  it('says who rotated a token and how the new value ends', async () => {
    setup('/app/settings/security-log', [
      buildSecurityEvent({ type: 'token.rotated', tokenId: deploy.id, tokenName: 'deploy', tokenHint: 'Dp01', detail: { by: 'token', newHint: 'Nw02', replacedById: 'b2', retiresAt: daysAgo(-1), expiresAt: null } }),
      buildSecurityEvent({ type: 'token.rotated', tokenId: deploy.id, tokenName: 'deploy', tokenHint: 'Dp01', detail: { by: 'session', newHint: 'Nw01', replacedById: 'b1', retiresAt: daysAgo(-1), expiresAt: null } }),
    ]);
    const rows = await screen.findAllByTestId('security-event');
    expect(rows[0]).toHaveTextContent('“deploy” rotated itself; the new value ends in …Nw02');
    expect(rows[1]).toHaveTextContent('“deploy” was rotated; the new value ends in …Nw01');
  });

  it('offers revoked and expired tokens in the token filter, marked as such', async () => {
    resetSessionForTests(buildUser({ timezone: 'Asia/Tokyo' }));
    const gone = buildApiToken({ name: 'deploy', hint: 'Old1', state: 'revoked', endReason: 'session', endedAt: new Date().toISOString() });
    const api = createMockApi({
      tokens: [deploy],
      inactive: [gone],
      events: [buildSecurityEvent({ type: 'token.revoked', tokenId: gone.id, tokenName: 'deploy', tokenHint: 'Old1', detail: { by: 'session' } })],
    });
    server.use(...api.handlers);
    const { user, router } = renderApp('/app/settings/security-log');
    const select = await screen.findByLabelText('Token');
    const option = await within(select).findByRole('option', { name: 'deploy (…Old1): revoked by you' });
    expect(option.closest('optgroup')).toHaveAttribute('label', 'Expired and revoked');
    expect(within(select).getByRole('option', { name: 'deploy (…Dp01)' }).closest('optgroup')).toHaveAttribute('label', 'Active tokens');
    await user.selectOptions(select, option);
    expect(router.state.location.search).toBe(`?tokenId=${gone.id}`);
    expect(await screen.findByText(/was revoked by you/)).toBeInTheDocument();
  });
});
