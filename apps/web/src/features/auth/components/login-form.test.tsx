import { describe, expect, it, vi } from 'vitest';
import { http, HttpResponse } from 'msw';
import { screen, waitFor } from '@testing-library/react';
import type { ErrorResponse, LoginUserRequest, UserResponse } from '@conduit/contracts';
import { getAccessToken, getSession } from '@/lib/session';
import { buildUser } from '@/testing/factories';
import { createMockApi } from '@/testing/mock-api';
import { server } from '@/testing/msw-server';
import { renderWithProviders } from '@/testing/render';
import { LoginForm } from './login-form';
import { RegisterForm } from './register-form';

describe('LoginForm', () => {
  it('asks for both fields before calling the API', async () => {
    const api = createMockApi();
    server.use(...api.handlers);
    const { user } = renderWithProviders(<LoginForm onSuccess={() => {}} />);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(screen.getByLabelText('Email')).toHaveAccessibleDescription('Enter your email address.');
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('Enter your password.');
    expect(api.state.calls).toHaveLength(0);
  });

  it('says the credentials are wrong on 401 and keeps the person signed out', async () => {
    const api = createMockApi();
    server.use(...api.handlers);
    const onSuccess = vi.fn();
    const { user } = renderWithProviders(<LoginForm onSuccess={onSuccess} />);
    await user.type(screen.getByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'wrong password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Email or password is incorrect.');
    expect(onSuccess).not.toHaveBeenCalled();
    expect(getSession().status).not.toBe('authenticated');
    // No refresh-and-retry on the sign-in endpoint.
    expect(api.state.calls.map((c) => c.path)).toEqual(['/api/users/login']);
  });

  it('shows per-field server errors next to their fields', async () => {
    server.use(
      http.post<never, LoginUserRequest, ErrorResponse>('*/api/users/login', () =>
        HttpResponse.json({ errors: { email: ['is invalid'] } }, { status: 422 }),
      ),
    );
    const { user } = renderWithProviders(<LoginForm onSuccess={() => {}} />);
    await user.type(screen.getByLabelText('Email'), 'nope@');
    await user.type(screen.getByLabelText('Password'), 'whatever1');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(screen.getByLabelText('Email')).toHaveAccessibleDescription('Email is invalid'));
  });

  it('says when the address has too many failed attempts (429), with the wait', async () => {
    server.use(
      http.post<never, LoginUserRequest, ErrorResponse>('*/api/users/login', () =>
        HttpResponse.json(
          { errors: { credentials: ['too many failed attempts from this address; retry in 42 seconds'] } },
          { status: 429, headers: { 'Retry-After': '42' } },
        ),
      ),
    );
    const { user } = renderWithProviders(<LoginForm onSuccess={() => {}} />);
    await user.type(screen.getByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'whatever1');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many failed attempts from this address; retry in 42 seconds.');
    expect(screen.getByLabelText('Password')).not.toHaveAccessibleDescription(/too many/i);
  });

  it('explains a network failure', async () => {
    server.use(http.post('*/api/users/login', () => HttpResponse.error()));
    const { user } = renderWithProviders(<LoginForm onSuccess={() => {}} />);
    await user.type(screen.getByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'whatever1');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Could not reach the server');
  });

  it('keeps the access token in memory only on success', async () => {
    const api = createMockApi({ user: buildUser({ token: 'fresh.jwt' }), password: 'correct horse' });
    server.use(...api.handlers);
    const onSuccess = vi.fn();
    const { user, queryClient } = renderWithProviders(<LoginForm onSuccess={onSuccess} />);
    await user.type(screen.getByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'correct horse');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(onSuccess).toHaveBeenCalled());
    expect(getAccessToken()).toBe('fresh.jwt');
    expect(getSession()).toMatchObject({ status: 'authenticated', user: { username: 'ada' } });
    expect(JSON.stringify(window.localStorage)).not.toContain('fresh.jwt');
    expect(JSON.stringify(window.sessionStorage)).not.toContain('fresh.jwt');
    await waitFor(() => expect(queryClient.getMutationCache().getAll()).toHaveLength(0));
  });
});

describe('RegisterForm', () => {
  it('checks the password length and shows a 409 next to the username', async () => {
    server.use(
      http.post<never, never, UserResponse | ErrorResponse>('*/api/users', () =>
        HttpResponse.json({ errors: { username: ['has already been taken'] } }, { status: 409 }),
      ),
    );
    const { user } = renderWithProviders(<RegisterForm onSuccess={() => {}} />);
    await user.type(screen.getByLabelText('Username'), 'ada');
    await user.type(screen.getByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'short');
    await user.click(screen.getByRole('button', { name: 'Sign up' }));
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription(expect.stringContaining('Use at least 8 characters.'));

    await user.type(screen.getByLabelText('Password'), ' enough now');
    await user.click(screen.getByRole('button', { name: 'Sign up' }));
    await waitFor(() => expect(screen.getByLabelText('Username')).toHaveAccessibleDescription('Username has already been taken'));
  });
});
