import { describe, expect, it, vi } from 'vitest';
import { http, HttpResponse } from 'msw';
import { screen, waitFor, within } from '@testing-library/react';
import {
  READ_ONLY_PERMISSIONS,
  READ_WRITE_PERMISSIONS,
  type CreateApiTokenRequest,
  type CreateApiTokenResponse,
  type ErrorResponse,
} from '@conduit/contracts';
import { resetSessionForTests } from '@/lib/session';
import { buildUser } from '@/testing/factories';
import { createMockApi } from '@/testing/mock-api';
import { server } from '@/testing/msw-server';
import { renderWithProviders } from '@/testing/render';
import { CreateApiTokenForm } from './create-api-token-form';

function setup(options: Parameters<typeof createMockApi>[0] = {}) {
  resetSessionForTests(buildUser({ timezone: 'America/New_York' }));
  const api = createMockApi(options);
  server.use(...api.handlers);
  const onCreated = vi.fn();
  const rendered = renderWithProviders(<CreateApiTokenForm onCreated={onCreated} onCancel={() => {}} />);
  const posts = () => api.state.calls.filter((c) => c.method === 'POST' && c.path === '/api/user/api-tokens');
  return { ...rendered, api, onCreated, posts };
}

describe('CreateApiTokenForm', () => {
  it('says "one address per line" for a comma-separated allowlist, and says so before anyone types', async () => {
    const { user, posts } = setup();
    const ips = screen.getByLabelText(/Allowed IPs/);
    expect(ips).toHaveAccessibleDescription(expect.stringContaining('One address per line (no commas)'));
    await user.type(screen.getByLabelText('Token name'), 'Deploy bot');
    await user.type(ips, '203.0.113.7, 198.51.100.0/24');
    expect(ips).toHaveAttribute('aria-invalid', 'true');
    expect(ips).toHaveAccessibleDescription(
      expect.stringContaining('Line 1: one address per line. Put each of “203.0.113.7, 198.51.100.0/24” on its own line, without commas.'),
    );
    expect(screen.getByRole('button', { name: 'Create token' })).toBeDisabled();
    expect(posts()).toHaveLength(0);
  });

  it('flags a bad allowlist line as the user types and blocks submission', async () => {
    const { user, posts } = setup();
    await user.type(screen.getByLabelText('Token name'), 'Deploy bot');
    const ips = screen.getByLabelText(/Allowed IPs/);
    await user.type(ips, '203.0.113.7{Enter}10.0.0.1/8{Enter}{Enter}127.1');

    expect(ips).toHaveAttribute('aria-invalid', 'true');
    expect(ips).toHaveAccessibleDescription(expect.stringContaining('Line 2: "10.0.0.1/8": host bits are set; did you mean 10.0.0.0/8?'));
    expect(screen.getByText(/^Line 4: "127.1": IPv4 needs four decimal parts/)).toBeInTheDocument();
    expect(screen.queryByText(/^Line 1:/)).not.toBeInTheDocument();
    expect(screen.queryByText(/^Line 3:/)).not.toBeInTheDocument();

    const submit = screen.getByRole('button', { name: 'Create token' });
    expect(submit).toBeDisabled();
    await user.type(screen.getByLabelText('Token name'), '{Enter}');
    expect(posts()).toHaveLength(0);

    // Fixing the lines clears the errors and enables the button.
    await user.clear(ips);
    await user.type(ips, '10.0.0.0/8');
    expect(screen.queryByText(/^Line \d+:/)).not.toBeInTheDocument();
    expect(submit).toBeEnabled();
  });

  it('requires a name and sends the default 30-day expiry with canonical CIDRs', async () => {
    const { user, posts, onCreated } = setup();
    await user.click(screen.getByRole('button', { name: 'Create token' }));
    expect(await screen.findByText(/Give the token a name/)).toBeInTheDocument();
    expect(screen.getByLabelText('Token name')).toHaveAttribute('aria-invalid', 'true');
    expect(posts()).toHaveLength(0);

    expect(screen.getByLabelText('Expiry')).toHaveValue('30d');
    await user.type(screen.getByLabelText('Token name'), '  Nightly cron  ');
    await user.type(screen.getByLabelText(/Allowed IPs/), '2001:DB8:0:0::/32{Enter}203.0.113.7{Enter}203.0.113.7');
    await user.click(screen.getByRole('button', { name: 'Create token' }));

    await waitFor(() => expect(onCreated).toHaveBeenCalledTimes(1));
    const body = posts()[0].body as CreateApiTokenRequest;
    // Read-only unless chosen otherwise: the least a token needs is usually reading.
    expect(body).toEqual({
      apiToken: { name: 'Nightly cron', expiresIn: '30d', allowedIps: ['2001:db8::/32', '203.0.113.7/32'], permissions: READ_ONLY_PERMISSIONS },
    });
    expect(posts()[0].authorization).toBe('Bearer test.session.jwt');
    expect((onCreated.mock.calls[0][0] as CreateApiTokenResponse).token).toMatch(/^conduit_/);
  });

  it('warns when Never is chosen and sends expiresIn "never"', async () => {
    const { user, posts, onCreated } = setup();
    await user.type(screen.getByLabelText('Token name'), 'Forever');
    await user.selectOptions(screen.getByLabelText('Expiry'), 'Never');
    expect(screen.getByText(/Tokens scoped to a specific use should always have an expiry/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Create token' }));
    await waitFor(() => expect(onCreated).toHaveBeenCalled());
    expect((posts()[0].body as CreateApiTokenRequest).apiToken.expiresIn).toBe('never');
  });

  it('takes a custom future date and sends the end of that day in the user’s time zone', async () => {
    const { user, posts, onCreated } = setup();
    await user.type(screen.getByLabelText('Token name'), 'Until launch');
    await user.selectOptions(screen.getByLabelText('Expiry'), 'Custom date');
    const date = screen.getByLabelText('Expiry date');

    await user.type(date, '2001-01-01');
    await user.click(screen.getByRole('button', { name: 'Create token' }));
    expect(await screen.findByText('Pick a date in the future.')).toBeInTheDocument();
    expect(posts()).toHaveLength(0);

    await user.clear(date);
    await user.type(date, '2099-03-10');
    await user.click(screen.getByRole('button', { name: 'Create token' }));
    await waitFor(() => expect(onCreated).toHaveBeenCalled());
    // 23:59:59.999 in New York (EDT, UTC-4, on that date) is 03:59:59.999Z the next day.
    expect((posts()[0].body as CreateApiTokenRequest).apiToken).toEqual({
      name: 'Until launch',
      expiresAt: '2099-03-11T03:59:59.999Z',
      allowedIps: [],
      permissions: READ_ONLY_PERMISSIONS,
    });
  });

  it('shows server-side 422 errors next to their fields', async () => {
    const { user } = setup();
    server.use(
      http.post<never, CreateApiTokenRequest, ErrorResponse>('*/api/user/api-tokens', () =>
        HttpResponse.json(
          {
            errors: {
              name: ['has already been taken'],
              expiresIn: ['must be one of 7d, 30d, 60d, 90d, 1y, never'],
              allowedIps: ['"198.51.100.0/24": is not allowed here'],
            },
          },
          { status: 422 },
        ),
      ),
    );
    await user.type(screen.getByLabelText('Token name'), 'Duplicate');
    await user.type(screen.getByLabelText(/Allowed IPs/), '198.51.100.0/24');
    await user.click(screen.getByRole('button', { name: 'Create token' }));

    const name = screen.getByLabelText('Token name');
    await waitFor(() => expect(name).toHaveAccessibleDescription(expect.stringContaining('Name has already been taken')));
    expect(screen.getByLabelText('Expiry')).toHaveAccessibleDescription(expect.stringContaining('must be one of'));
    expect(screen.getByLabelText(/Allowed IPs/)).toHaveAccessibleDescription(
      expect.stringContaining('"198.51.100.0/24": is not allowed here'),
    );
    // Editing a field clears its server message.
    await user.type(name, '!');
    expect(name).not.toHaveAccessibleDescription(expect.stringContaining('already been taken'));
  });

  it('shows a server error about a custom date next to the date field', async () => {
    const { user } = setup();
    server.use(
      http.post<never, CreateApiTokenRequest, ErrorResponse>('*/api/user/api-tokens', () =>
        HttpResponse.json({ errors: { expiresAt: ['must be in the future'] } }, { status: 422 }),
      ),
    );
    await user.type(screen.getByLabelText('Token name'), 'Soon');
    await user.selectOptions(screen.getByLabelText('Expiry'), 'Custom date');
    await user.type(screen.getByLabelText('Expiry date'), '2099-01-01');
    await user.click(screen.getByRole('button', { name: 'Create token' }));
    await waitFor(() =>
      expect(screen.getByLabelText('Expiry date')).toHaveAccessibleDescription(expect.stringContaining('Expires at must be in the future')),
    );
  });

  it('appends the current IP from GET /api/ip', async () => {
    const { user } = setup();
    const ips = screen.getByLabelText(/Allowed IPs/);
    await user.type(ips, '10.0.0.0/8');
    await user.click(screen.getByRole('button', { name: 'Add my current IP' }));
    await waitFor(() => expect(ips).toHaveValue('10.0.0.0/8\n203.0.113.7'));
    expect(screen.getByText('Added your current IP, 203.0.113.7.')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Add my current IP' }));
    expect(await screen.findByText('203.0.113.7 is already in the list.')).toBeInTheDocument();
    expect(ips).toHaveValue('10.0.0.0/8\n203.0.113.7');
  });

  describe('with a token policy from the server', () => {
    it('offers only the expiries within TOKEN_MAX_LIFETIME and states the policy', async () => {
      const { user, posts, onCreated } = setup({
        tokenPolicy: { maxLifetimeSeconds: 90 * 86400, inactivityRevokeSeconds: 30 * 86400, allowedExpiryPresets: ['7d', '30d', '60d', '90d'] },
      });
      const policy = await screen.findByLabelText('Token policy');
      expect(policy).toHaveTextContent('This server limits API tokens to 90 days; tokens cannot be set to never expire.');
      expect(policy).toHaveTextContent('Tokens unused for 30 days are revoked (you are notified 7 days before).');
      const options = within(screen.getByLabelText('Expiry')).getAllByRole('option').map((o) => o.textContent);
      expect(options).toEqual(['7 days', '30 days', '60 days', '90 days', 'Custom date']);
      expect(screen.getByLabelText('Expiry')).toHaveValue('30d');

      // A custom date past the limit is refused before anything is sent.
      await user.type(screen.getByLabelText('Token name'), 'Deploy');
      await user.selectOptions(screen.getByLabelText('Expiry'), 'custom');
      const date = screen.getByLabelText('Expiry date');
      const far = new Date(Date.now() + 120 * 86_400_000).toISOString().slice(0, 10);
      await user.type(date, far);
      await user.click(screen.getByRole('button', { name: 'Create token' }));
      expect(await screen.findByText("Pick a date within 90 days: this server's maximum token lifetime.")).toBeInTheDocument();
      expect(posts()).toHaveLength(0);

      await user.selectOptions(screen.getByLabelText('Expiry'), '90d');
      await user.click(screen.getByRole('button', { name: 'Create token' }));
      await waitFor(() => expect(onCreated).toHaveBeenCalledTimes(1));
      expect((posts()[0].body as CreateApiTokenRequest).apiToken.expiresIn).toBe('90d');
    });

    it('falls back to the longest allowed preset when the default is beyond the limit', async () => {
      setup({ tokenPolicy: { maxLifetimeSeconds: 10 * 86400, allowedExpiryPresets: ['7d'] } });
      await screen.findByLabelText('Token policy');
      expect(within(screen.getByLabelText('Expiry')).getAllByRole('option').map((o) => o.textContent)).toEqual(['7 days', 'Custom date']);
      expect(screen.getByLabelText('Expiry')).toHaveValue('7d');
    });

    it('shows no policy note and every expiry without limits', async () => {
      const { api } = setup();
      await waitFor(() => expect(api.state.calls.some((c) => c.path === '/api/token-policy')).toBe(true));
      expect(screen.queryByLabelText('Token policy')).not.toBeInTheDocument();
      expect(within(screen.getByLabelText('Expiry')).getAllByRole('option')).toHaveLength(7);
    });
  });

  describe('Permissions', () => {
    it('offers the presets as the quick choice, Read-only by default, each explained', () => {
      setup();
      const group = screen.getByRole('group', { name: 'Permissions' });
      expect(group).toHaveAccessibleDescription(expect.stringContaining('No token can create tokens'));
      expect(screen.getByRole('radio', { name: 'Read-only' })).toBeChecked();
      expect(screen.getByRole('radio', { name: 'Read-only' })).toHaveAccessibleDescription(expect.stringContaining('change nothing'));
      expect(screen.getByRole('radio', { name: 'Read and write' })).not.toBeChecked();
      expect(screen.getByRole('radio', { name: 'Custom' })).not.toBeChecked();
      // The per-resource choices appear only under Custom.
      expect(screen.queryByLabelText('Articles')).not.toBeInTheDocument();
    });

    it('sends the Read and write preset when chosen', async () => {
      const { user, posts, onCreated } = setup();
      await user.type(screen.getByLabelText('Token name'), 'Publisher');
      await user.click(screen.getByRole('radio', { name: 'Read and write' }));
      await user.click(screen.getByRole('button', { name: 'Create token' }));
      await waitFor(() => expect(onCreated).toHaveBeenCalled());
      expect((posts()[0].body as CreateApiTokenRequest).apiToken.permissions).toEqual(READ_WRITE_PERMISSIONS);
      expect((onCreated.mock.calls[0][0] as CreateApiTokenResponse).apiToken.permissions).toEqual(READ_WRITE_PERMISSIONS);
    });

    it('under Custom, offers None / Read / Read and write per resource, each explained, starting from the preset; keyboard only', async () => {
      const { user, posts, onCreated } = setup();
      await user.type(screen.getByLabelText('Token name'), 'Blog bot');
      // Arrow keys move between the radios, as in any radio group; Custom starts from the preset it replaces.
      screen.getByRole('radio', { name: 'Read-only' }).focus();
      await user.keyboard('{ArrowDown}');
      expect(screen.getByRole('radio', { name: 'Read and write' })).toBeChecked();
      await user.keyboard('{ArrowUp}{ArrowUp}');
      expect(screen.getByRole('radio', { name: 'Custom' })).toBeChecked();
      expect(screen.getByRole('radio', { name: 'Custom' })).toHaveFocus();

      const articles = screen.getByLabelText('Articles');
      expect(articles).toHaveValue('read');
      expect(articles).toHaveAccessibleDescription(expect.stringContaining('also create, update and delete articles'));
      for (const label of ['Comments', 'Social', 'Account']) {
        expect(screen.getByLabelText(label)).toHaveValue('read');
        expect(screen.getByLabelText(label)).toHaveAccessibleDescription(/^Read: .+\. Read and write: .+\.$/);
      }
      expect([...(articles as HTMLSelectElement).options].map((o) => o.text)).toEqual(['None', 'Read', 'Read and write']);

      await user.selectOptions(articles, 'Read and write');
      await user.selectOptions(screen.getByLabelText('Comments'), 'None');
      await user.selectOptions(screen.getByLabelText('Social'), 'None');
      await user.click(screen.getByRole('button', { name: 'Create token' }));
      await waitFor(() => expect(onCreated).toHaveBeenCalled());
      expect((posts()[0].body as CreateApiTokenRequest).apiToken.permissions).toEqual({
        articles: 'write',
        comments: 'none',
        social: 'none',
        account: 'read',
      });
    });

    it('says what a token with no access at all can still do', async () => {
      const { user } = setup();
      await user.click(screen.getByRole('radio', { name: 'Custom' }));
      for (const label of ['Articles', 'Comments', 'Social', 'Account']) await user.selectOptions(screen.getByLabelText(label), 'None');
      expect(screen.getByText('With no access to anything, the token can only inspect and revoke itself.')).toBeInTheDocument();
    });

    it('shows a server error about permissions in the Permissions section', async () => {
      const { user } = setup();
      server.use(
        http.post<never, CreateApiTokenRequest, ErrorResponse>('*/api/user/api-tokens', () =>
          HttpResponse.json({ errors: { permissions: ['"wiki" is not a resource; use articles, comments, social, account'] } }, { status: 422 }),
        ),
      );
      await user.type(screen.getByLabelText('Token name'), 'Wiki');
      await user.click(screen.getByRole('button', { name: 'Create token' }));
      await waitFor(() =>
        expect(screen.getByRole('group', { name: 'Permissions' })).toHaveAccessibleDescription(expect.stringContaining('"wiki" is not a resource')),
      );
    });
  });
});
