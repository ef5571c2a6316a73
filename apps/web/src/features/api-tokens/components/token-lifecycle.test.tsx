import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import type { ApiToken } from '@conduit/contracts';
import { resetSessionForTests } from '@/lib/session';
import { buildApiToken, buildUser, daysAgo } from '@/testing/factories';
import { createMockApi } from '@/testing/mock-api';
import { server } from '@/testing/msw-server';
import { renderWithProviders } from '@/testing/render';
import { ApiTokensPage } from './api-tokens-page';

function setup(tokens: ApiToken[], inactive: ApiToken[] = []) {
  resetSessionForTests(buildUser({ timezone: 'UTC' }));
  const api = createMockApi({ tokens, inactive });
  server.use(...api.handlers);
  return { api, ...renderWithProviders(<ApiTokensPage />) };
}

describe('editing a token', () => {
  it('opens the creation fields pre-filled, sends only name and allowed IPs, and shows the saved token', async () => {
    const { user, api } = setup([
      buildApiToken({ name: 'Deploy', allowedIps: ['203.0.113.0/24', '2001:db8::/32'], permissions: { articles: 'write', comments: 'none', social: 'none', account: 'read' } }),
    ]);
    const row = await screen.findByRole('listitem', { name: 'Deploy' });
    await user.click(within(row).getByRole('button', { name: 'Edit Deploy (…a1B2)' }));

    const form = screen.getByRole('form', { name: 'Edit “Deploy”' });
    expect(within(form).getByLabelText('Token name')).toHaveValue('Deploy');
    expect(within(form).getByLabelText(/Allowed IPs/)).toHaveValue('203.0.113.0/24\n2001:db8::/32');
    // The permissions as they are: not a preset, so Custom with each level.
    expect(within(form).getByRole('radio', { name: /Custom/ })).toBeChecked();
    // Expiry is shown, not editable.
    expect(within(form).queryByRole('combobox', { name: 'Expiry' })).not.toBeInTheDocument();
    expect(within(form).getByText(/The expiry cannot be edited: rotate the token/)).toBeInTheDocument();

    await user.clear(within(form).getByLabelText('Token name'));
    await user.type(within(form).getByLabelText('Token name'), 'Deploy, production');
    await user.clear(within(form).getByLabelText(/Allowed IPs/));
    await user.type(within(form).getByLabelText(/Allowed IPs/), '198.51.100.7');
    await user.click(within(form).getByRole('button', { name: 'Save changes' }));

    expect(await screen.findByText('Token “Deploy, production” saved.')).toBeInTheDocument();
    expect(screen.queryByRole('form', { name: /Edit/ })).not.toBeInTheDocument();
    const saved = screen.getByRole('listitem', { name: 'Deploy, production' });
    expect(within(saved).getByText('198.51.100.7/32')).toBeInTheDocument();
    // Focus goes back to where the person was: the card's Edit button.
    await waitFor(() => expect(within(saved).getByRole('button', { name: 'Edit Deploy, production (…a1B2)' })).toHaveFocus());
    const patch = api.state.calls.find((c) => c.method === 'PATCH');
    expect(patch?.body).toEqual({
      // Only what changed (the permissions did not): a rename alone needs no recent password.
      apiToken: { name: 'Deploy, production', allowedIps: ['198.51.100.7/32'] },
    });
  });

  it('sends a rename alone as just the name', async () => {
    const { user, api } = setup([buildApiToken({ name: 'Deploy' })]);
    await user.click(await screen.findByRole('button', { name: 'Edit Deploy (…a1B2)' }));
    const form = screen.getByRole('form', { name: 'Edit “Deploy”' });
    await user.clear(within(form).getByLabelText('Token name'));
    await user.type(within(form).getByLabelText('Token name'), 'Deploy, staging');
    await user.click(within(form).getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('Token “Deploy, staging” saved.')).toBeInTheDocument();
    expect(api.state.calls.find((c) => c.method === 'PATCH')?.body).toEqual({ apiToken: { name: 'Deploy, staging' } });
  });

  it('checks the allowed IPs as the creation form does, before sending anything', async () => {
    const { user, api } = setup([buildApiToken({ name: 'Deploy' })]);
    await user.click(await screen.findByRole('button', { name: 'Edit Deploy (…a1B2)' }));
    const form = screen.getByRole('form', { name: 'Edit “Deploy”' });
    await user.type(within(form).getByLabelText(/Allowed IPs/), '10.0.0.1/8');
    expect(within(form).getByRole('button', { name: 'Save changes' })).toBeDisabled();
    expect(within(form).getByText(/Line 1:/)).toBeInTheDocument();
    expect(api.state.calls.some((c) => c.method === 'PATCH')).toBe(false);
  });
});

describe('rotating a token', () => {
  it('asks for the overlap, then shows the new value once with until when the old one keeps working', async () => {
    const { user, api, queryClient } = setup([buildApiToken({ name: 'CI', allowedIps: ['203.0.113.0/24'] })]);
    const row = await screen.findByRole('listitem', { name: 'CI' });
    await user.click(within(row).getByRole('button', { name: 'Rotate CI (…a1B2)' }));

    const dialog = screen.getByRole('dialog', { name: 'Rotate “CI” (…a1B2)?' });
    const choices = within(dialog).getAllByRole('radio');
    expect(choices.map((c) => c.parentElement?.textContent?.split(' (')[0].trim())).toEqual(['None', '1 hour', '1 day', '7 days']);
    await user.click(within(dialog).getByRole('radio', { name: /1 day/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Rotate' }));

    const banner = await screen.findByRole('region', { name: 'Token “CI” rotated' });
    const raw = api.state.rawTokens[0];
    expect(within(banner).getByLabelText('Your new API token')).toHaveValue(raw);
    expect(within(banner).getByText('Copy it now: it will not be shown again.')).toBeInTheDocument();
    const rotation = api.state.calls.find((c) => c.path.endsWith('/rotate'));
    expect(rotation?.body).toEqual({ rotation: { overlapSeconds: 86_400 } });
    const retiresAt = api.state.tokens.find((t) => t.state === 'retiring')?.retiresAt as string;
    expect(within(banner).getByText(/The old value keeps working until/)).toBeInTheDocument();
    expect(within(banner).getByText(/The old value keeps working until/).querySelector('time')).toHaveAttribute('dateTime', retiresAt);

    // The list shows both: the new token, and the old one marked Retiring (no second rotation offered).
    await waitFor(() => expect(screen.getAllByRole('listitem', { name: 'CI' })).toHaveLength(2));
    const [fresh, old] = screen.getAllByRole('listitem', { name: 'CI' });
    expect(within(fresh).getByRole('button', { name: /^Rotate CI \(…\w{4}\)$/ })).toBeInTheDocument();
    expect(within(old).getByText('Retiring')).toBeInTheDocument();
    expect(within(old).getByText('Works until')).toBeInTheDocument();
    expect(within(old).queryByRole('button', { name: /^Rotate CI \(…\w{4}\)$/ })).not.toBeInTheDocument();

    await waitFor(() => expect(queryClient.getMutationCache().getAll()).toHaveLength(0));
    expect(JSON.stringify(queryClient.getQueryCache().getAll().map((q) => q.state.data))).not.toContain(raw);
  });

  it('says at once that the old value stopped working when no overlap is chosen; Cancel rotates nothing', async () => {
    const { user, api } = setup([buildApiToken({ name: 'Cron' })]);
    await user.click(await screen.findByRole('button', { name: 'Rotate Cron (…a1B2)' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Cancel' }));
    expect(api.state.calls.some((c) => c.path.endsWith('/rotate'))).toBe(false);

    await user.click(screen.getByRole('button', { name: 'Rotate Cron (…a1B2)' }));
    const dialog = screen.getByRole('dialog');
    await user.click(within(dialog).getByRole('radio', { name: /None/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Rotate' }));
    const banner = await screen.findByRole('region', { name: 'Token “Cron” rotated' });
    expect(within(banner).getByText('The old value has stopped working.')).toBeInTheDocument();
  });
});

describe('Expired and revoked', () => {
  it('is collapsed below the list; opened, it shows name, hint, when and why', async () => {
    const ended = (name: string, endReason: ApiToken['endReason'], state: ApiToken['state']) =>
      buildApiToken({ name, hint: `${name.slice(0, 2)}Zz`, state, endReason, endedAt: daysAgo(2) });
    const { user } = setup(
      [buildApiToken({ name: 'Active one' })],
      [
        ended('Old CI', 'rotation', 'retired'),
        ended('Leaked', 'leak_report', 'revoked'),
        ended('Lapsed', 'expired', 'expired'),
        ended('Mine', 'session', 'revoked'),
        ended('Itself', 'token', 'revoked'),
        ended('Idle', 'inactivity', 'revoked'),
      ],
    );
    await screen.findByRole('listitem', { name: 'Active one' });
    const summary = screen.getByText('Expired and revoked');
    expect(summary.closest('details')).not.toHaveAttribute('open');
    expect(screen.queryByRole('table')).not.toBeInTheDocument();

    await user.click(summary);
    const table = await screen.findByRole('table');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => [within(r).getByRole('rowheader').textContent, r.querySelector('code')?.textContent, (r as HTMLTableRowElement).cells[3]?.textContent])).toEqual([
      ['Old CI', '…OlZz', 'Rotated'],
      ['Leaked', '…LeZz', 'Reported as leaked'],
      ['Lapsed', '…LaZz', 'Expired'],
      ['Mine', '…MiZz', 'Revoked by you'],
      ['Itself', '…ItZz', 'Revoked by the token itself'],
      ['Idle', '…IdZz', 'Revoked for inactivity'],
    ]);
    for (const r of rows) expect(r.querySelector('time')).toHaveAttribute('dateTime', expect.stringMatching(/^\d{4}-/));
    // Each ended token can still be investigated: its activity in the security log.
    expect(within(rows[1]).getByRole('link', { name: 'Activity of Leaked (…LeZz)' })).toHaveAttribute(
      'href',
      expect.stringMatching(/^\/app\/settings\/security-log\?tokenId=/),
    );
    expect(screen.queryByRole('listitem', { name: 'Old CI' })).not.toBeInTheDocument();
  });

  it('says so when nothing ended recently', async () => {
    const { user } = setup([buildApiToken({ name: 'Active one' })]);
    await user.click(await screen.findByText('Expired and revoked'));
    expect(await screen.findByText('None in the last 90 days.')).toBeInTheDocument();
  });
});
