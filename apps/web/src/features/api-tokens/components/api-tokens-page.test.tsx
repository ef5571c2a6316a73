import { describe, expect, it, vi } from 'vitest';
import { http, HttpResponse } from 'msw';
import { act, screen, waitFor, within } from '@testing-library/react';
import type { ErrorResponse } from '@conduit/contracts';
import { resetSessionForTests } from '@/lib/session';
import { buildApiToken, buildUser } from '@/testing/factories';
import { createMockApi } from '@/testing/mock-api';
import { server } from '@/testing/msw-server';
import { renderWithProviders } from '@/testing/render';
import { ApiTokensPage } from './api-tokens-page';

function setup(tokens = [buildApiToken({ name: 'Existing' })]) {
  resetSessionForTests(buildUser());
  const api = createMockApi({ tokens });
  server.use(...api.handlers);
  return { api, ...renderWithProviders(<ApiTokensPage />) };
}

describe('ApiTokensPage', () => {
  it('links to the API reference the server renders', async () => {
    setup();
    const link = await screen.findByRole('link', { name: 'API reference' });
    expect(link.getAttribute('href')).toBe('/api/docs');
  });

  it('shows the raw token once in a banner after creation, keeping it out of the query cache', async () => {
    const { user, api, queryClient, unmount } = setup();
    await screen.findByRole('listitem', { name: 'Existing' });

    await user.click(screen.getByRole('button', { name: '+ New Token' }));
    await user.type(screen.getByLabelText('Token name'), 'GitHub Actions, staging');
    await user.click(screen.getByRole('button', { name: 'Create token' }));

    const banner = await screen.findByRole('region', { name: 'Token “GitHub Actions, staging” created' });
    const raw = api.state.rawTokens[0];
    expect(within(banner).getByLabelText('Your new API token')).toHaveValue(raw);
    expect(within(banner).getByText('Copy it now: it will not be shown again.')).toBeInTheDocument();
    // The banner and the new row show the permissions in short form (Read-only: the form's default).
    expect(banner).toHaveTextContent('Permissions: Read-only');
    // The form closed, and the list (refetched before the mutation settled) shows the new token.
    expect(screen.queryByLabelText('Token name')).not.toBeInTheDocument();
    expect(screen.getByRole('listitem', { name: 'GitHub Actions, staging' })).toBeInTheDocument();
    expect(within(screen.getByRole('listitem', { name: 'GitHub Actions, staging' })).getByText('Read-only')).toBeInTheDocument();

    // Nothing in react-query holds the raw token: not the queries, not the mutation cache.
    await waitFor(() => expect(queryClient.getMutationCache().getAll()).toHaveLength(0));
    const cached = JSON.stringify(queryClient.getQueryCache().getAll().map((q) => q.state.data));
    expect(cached).toContain('GitHub Actions, staging');
    expect(cached).not.toContain(raw);
    expect(JSON.stringify(window.localStorage)).not.toContain(raw);
    expect(JSON.stringify(window.sessionStorage)).not.toContain(raw);
    expect(window.location.href).not.toContain(raw);

    // Remounting the page (reload, navigating away and back) loses it for good.
    unmount();
    renderWithProviders(<ApiTokensPage />, { queryClient });
    expect(await screen.findByRole('listitem', { name: 'GitHub Actions, staging' })).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: /created/ })).not.toBeInTheDocument();
    expect(document.body.innerHTML).not.toContain(raw);
  });

  it('copies the token and announces it', async () => {
    const { user, api } = setup();
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    await user.click(await screen.findByRole('button', { name: '+ New Token' }));
    await user.type(screen.getByLabelText('Token name'), 'CI');
    await user.click(screen.getByRole('button', { name: 'Create token' }));
    const banner = await screen.findByRole('region', { name: 'Token “CI” created' });
    await user.click(within(banner).getByRole('button', { name: 'Copy' }));
    expect(writeText).toHaveBeenCalledWith(api.state.rawTokens[0]);
    expect(within(banner).getByRole('status')).toHaveTextContent('Copied');
  });

  it('falls back to selecting the token when the clipboard is unavailable', async () => {
    const { user } = setup();
    Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true });
    await user.click(await screen.findByRole('button', { name: '+ New Token' }));
    await user.type(screen.getByLabelText('Token name'), 'CI');
    await user.click(screen.getByRole('button', { name: 'Create token' }));
    const banner = await screen.findByRole('region', { name: 'Token “CI” created' });
    await user.click(within(banner).getByRole('button', { name: 'Copy' }));
    const field = within(banner).getByLabelText('Your new API token');
    expect(field).toHaveFocus();
    expect(within(banner).getByRole('status')).toHaveTextContent(/Copied|press Ctrl\+C/);
  });

  it('revokes a token only after confirmation naming it, then removes the row', async () => {
    const { user, api } = setup([buildApiToken({ name: 'GitHub Actions, staging' }), buildApiToken({ name: 'Keep me' })]);
    const row = await screen.findByRole('listitem', { name: 'GitHub Actions, staging' });

    await user.click(within(row).getByRole('button', { name: 'Revoke GitHub Actions, staging (…a1B2)' }));
    let dialog = screen.getByRole('alertdialog', { name: 'Revoke “GitHub Actions, staging” (…a1B2)?' });
    expect(dialog).toHaveAccessibleDescription(
      'Scripts using the token ending in …a1B2 will stop working immediately. This cannot be undone.',
    );
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();

    // Cancel (and Escape) leave the token alone.
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(api.state.calls.some((c) => c.method === 'DELETE')).toBe(false);
    expect(within(row).getByRole('button', { name: 'Revoke GitHub Actions, staging (…a1B2)' })).toHaveFocus();

    await user.click(within(row).getByRole('button', { name: 'Revoke GitHub Actions, staging (…a1B2)' }));
    dialog = screen.getByRole('alertdialog', { name: 'Revoke “GitHub Actions, staging” (…a1B2)?' });
    await user.click(within(dialog).getByRole('button', { name: 'Revoke' }));

    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    // The dialog closes only once the list has been refetched: the row is already gone.
    expect(screen.queryByRole('listitem', { name: 'GitHub Actions, staging' })).not.toBeInTheDocument();
    expect(screen.getByRole('listitem', { name: 'Keep me' })).toBeInTheDocument();
    expect(screen.getByText('Token “GitHub Actions, staging” revoked.')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('heading', { name: 'Active tokens' })).toHaveFocus());
    expect(api.state.calls.filter((c) => c.method === 'DELETE')).toHaveLength(1);
  });

  it('shows a failed revocation instead of swallowing it', async () => {
    const { user } = setup([buildApiToken({ name: 'Stubborn' })]);
    server.use(
      http.delete<{ id: string }, never, ErrorResponse>('*/api/user/api-tokens/:id', () =>
        HttpResponse.json({ errors: { database: ['is unavailable'] } }, { status: 503 }),
      ),
    );
    await user.click(await screen.findByRole('button', { name: 'Revoke Stubborn (…a1B2)' }));
    const dialog = screen.getByRole('alertdialog');
    await user.click(within(dialog).getByRole('button', { name: 'Revoke' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('The token was not revoked.');
    expect(alert).toHaveTextContent('Database is unavailable');
    await act(async () => {});
    expect(screen.getByRole('listitem', { name: 'Stubborn' })).toBeInTheDocument();
  });
});
