import { describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import { screen, waitFor } from '@testing-library/react';
import type { CompletePasswordResetRequest, ErrorResponse, PasswordResetRequest, PasswordResetStatusResponse } from '@conduit/contracts';
import { PASSWORD_RESET_TOKEN_INVALID } from '@conduit/contracts';
import { clearSession, getSession } from '@/lib/session';
import { buildUser } from '@/testing/factories';
import { createMockApi } from '@/testing/mock-api';
import { server } from '@/testing/msw-server';
import { renderApp } from '@/testing/render';
import { resetSessionForTests } from '@/lib/session';

const TOKEN = 'Zk3q0d2b8m4xJt1nQhV7sW9yR5cE6uA0pL2oK8iH3gF';

function statusHandler(available: boolean) {
  return http.get<never, never, PasswordResetStatusResponse>('*/api/users/password-reset', () =>
    HttpResponse.json({ passwordReset: { available, linkValiditySeconds: 1800 } }),
  );
}

describe('Forgot password page', () => {
  it('is linked from sign-in; asks for the email, then says a link is on its way without saying whether the account exists', async () => {
    const requests: PasswordResetRequest[] = [];
    server.use(
      statusHandler(true),
      http.post<never, PasswordResetRequest>('*/api/users/password-reset', async ({ request }) => {
        requests.push(await request.json());
        return HttpResponse.json({ passwordReset: { requested: true, linkValiditySeconds: 1800 } }, { status: 202 });
      }),
    );
    clearSession();
    const { user, router } = renderApp('/login');
    await user.click(await screen.findByRole('link', { name: 'Forgot password?' }));
    expect(router.state.location.pathname).toBe('/forgot-password');
    expect(await screen.findByRole('heading', { name: 'Forgot your password?', level: 1 })).toBeInTheDocument();
    expect(screen.getByText(/the link works once, within 30 minutes/)).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Send reset link' }));
    expect(screen.getByLabelText('Email')).toHaveAccessibleDescription('Enter the email address of your account.');
    await waitFor(() => expect(screen.getByLabelText('Email')).toHaveFocus());
    expect(requests).toHaveLength(0);

    await user.type(screen.getByLabelText('Email'), ' ada@example.com ');
    await user.click(screen.getByRole('button', { name: 'Send reset link' }));
    const done = await screen.findByRole('status');
    expect(done).toHaveTextContent('Check your email');
    expect(done).toHaveTextContent('If an account uses ada@example.com, a link to set a new password is on its way. It works once, within 30 minutes.');
    await waitFor(() => expect(done.parentElement).toHaveFocus());
    expect(requests).toEqual([{ user: { email: 'ada@example.com' } }]);
  });

  it('says when the operator has not configured mail, and offers no form', async () => {
    server.use(statusHandler(false));
    clearSession();
    renderApp('/forgot-password');
    const note = await screen.findByRole('note');
    expect(note).toHaveTextContent('Password reset by email is not available');
    expect(note).toHaveTextContent('The operator of this server has not configured mail');
    expect(screen.queryByRole('button', { name: 'Send reset link' })).not.toBeInTheDocument();
  });

  it('reads the throttle as a sentence with the wait', async () => {
    server.use(
      statusHandler(true),
      http.post<never, never, ErrorResponse>('*/api/users/password-reset', () =>
        HttpResponse.json({ errors: { email: ['too many failed attempts from this address; retry in 42 seconds'] } }, { status: 429 }),
      ),
    );
    clearSession();
    const { user } = renderApp('/forgot-password');
    await user.type(await screen.findByLabelText('Email'), 'ada@example.com');
    await user.click(screen.getByRole('button', { name: 'Send reset link' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many failed attempts from this address; retry in 42 seconds.');
  });
});

describe('Reset password page', () => {
  it('reads the token from the fragment, drops it from the address, sets the password, ends the session and sends to sign in', async () => {
    const bodies: CompletePasswordResetRequest[] = [];
    server.use(
      http.post<never, CompletePasswordResetRequest>('*/api/users/password-reset/complete', async ({ request }) => {
        bodies.push(await request.json());
        return new HttpResponse(null, { status: 204 });
      }),
      ...createMockApi().handlers,
    );
    resetSessionForTests(buildUser({ token: 'old.session' }));
    const { user, router } = renderApp(`/reset-password#token=${TOKEN}`);
    expect(await screen.findByRole('heading', { name: 'Set a new password', level: 1 })).toBeInTheDocument();
    await waitFor(() => expect(router.state.location.hash).toBe(''));
    expect(screen.getByRole('status')).toHaveTextContent('every session of your account ends. Your API tokens keep working');

    await user.type(screen.getByLabelText('New password'), 'short');
    await user.click(screen.getByRole('button', { name: 'Set new password' }));
    expect(screen.getByLabelText('New password')).toHaveAccessibleDescription('At least 8 characters. Choose a password of at least 8 characters.');
    await waitFor(() => expect(screen.getByLabelText('New password')).toHaveFocus());

    await user.clear(screen.getByLabelText('New password'));
    await user.type(screen.getByLabelText('New password'), 'a brand new password');
    await user.type(screen.getByLabelText('Confirm new password'), 'a brand new passwerd');
    await user.click(screen.getByRole('button', { name: 'Set new password' }));
    expect(screen.getByLabelText('Confirm new password')).toHaveAccessibleDescription('The two passwords are not the same.');
    expect(bodies).toHaveLength(0);

    await user.clear(screen.getByLabelText('Confirm new password'));
    await user.type(screen.getByLabelText('Confirm new password'), 'a brand new password');
    await user.click(screen.getByRole('button', { name: 'Set new password' }));
    expect(await screen.findByRole('heading', { name: 'Sign in', level: 1 })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/login');
    expect(screen.getByRole('status')).toHaveTextContent('Your password has been reset and every session has ended. Sign in with your new password.');
    expect(bodies).toEqual([{ passwordReset: { token: TOKEN, password: 'a brand new password' } }]);
    expect(getSession().status).toBe('anonymous');
  });

  it('a used or expired link: says so as a sentence and offers a new one', async () => {
    server.use(
      http.post<never, never, ErrorResponse>('*/api/users/password-reset/complete', () =>
        HttpResponse.json({ errors: { token: [PASSWORD_RESET_TOKEN_INVALID] } }, { status: 422 }),
      ),
    );
    clearSession();
    const { user } = renderApp(`/reset-password#token=${TOKEN}`);
    await user.type(await screen.findByLabelText('New password'), 'a brand new password');
    await user.type(screen.getByLabelText('Confirm new password'), 'a brand new password');
    await user.click(screen.getByRole('button', { name: 'Set new password' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('This link cannot be used');
    expect(alert).toHaveTextContent('It has already been used, has expired, or was not copied whole.');
    expect(screen.getByRole('link', { name: 'Ask for a new link' })).toHaveAttribute('href', '/forgot-password');
    await waitFor(() => expect(alert.parentElement).toHaveFocus());
  });

  it('without a token in the address: explains where the link comes from', async () => {
    clearSession();
    renderApp('/reset-password');
    expect(await screen.findByRole('alert')).toHaveTextContent('This page needs the link from your email');
    expect(screen.queryByLabelText('New password')).not.toBeInTheDocument();
  });
});
