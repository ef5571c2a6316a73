import { describe, expect, it } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { buildUser } from '@/testing/factories';
import { server } from '@/testing/msw-server';
import { apiClient, ApiError } from '@/lib/api-client';
import { resetSessionForTests } from '@/lib/session';
import { ConfirmPasswordHost } from './confirm-password-dialog';

const REQUIRED = { errors: { reauthentication: ['is required: confirm your password'] } };

describe('"Confirm it\'s you": the API client asks for the password and retries', () => {
  it('on 403 reauthentication: dialog, wrong password shown on the field, right one retries the action once', async () => {
    resetSessionForTests(buildUser({ token: 'a.jwt' }));
    let confirmed = false;
    const passwords: string[] = [];
    let attempts = 0;
    server.use(
      http.post('*/api/user/api-tokens', () => {
        attempts += 1;
        return confirmed ? HttpResponse.json({ ok: true }, { status: 201 }) : HttpResponse.json(REQUIRED, { status: 403 });
      }),
      http.post('*/api/user/reauthenticate', async ({ request }) => {
        const { password } = (await request.json()) as { password: string };
        passwords.push(password);
        if (password !== 'right password') return HttpResponse.json({ errors: { password: ['is incorrect'] } }, { status: 422 });
        confirmed = true;
        return new HttpResponse(null, { status: 204 });
      }),
    );
    render(<ConfirmPasswordHost />);
    const result = apiClient.post<{ ok: boolean }>('/user/api-tokens', { apiToken: { name: 'x' } });
    const dialog = await screen.findByRole('dialog', { name: "Confirm it's you" });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Password'), 'wrong');
    await user.click(screen.getByRole('button', { name: 'Confirm' }));
    expect(await screen.findByText('That is not your password. Check it and try again.')).toBeTruthy();
    await user.clear(screen.getByLabelText('Password'));
    await user.type(screen.getByLabelText('Password'), 'right password');
    await user.click(screen.getByRole('button', { name: 'Confirm' }));
    await expect(result).resolves.toEqual({ ok: true });
    expect(passwords).toEqual(['wrong', 'right password']);
    expect(attempts).toBe(2);
    await waitFor(() => expect(dialog.isConnected).toBe(false));
  });

  it('cancelling leaves the 403 to the caller', async () => {
    resetSessionForTests(buildUser({ token: 'a.jwt' }));
    server.use(http.put('*/api/user', () => HttpResponse.json(REQUIRED, { status: 403 })));
    render(<ConfirmPasswordHost />);
    const result = apiClient.put('/user', { user: { email: 'new@example.test' } }).catch((e: unknown) => e);
    await screen.findByRole('dialog', { name: "Confirm it's you" });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Cancel' }));
    const error = await result;
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).field('reauthentication')).toEqual(['is required: confirm your password']);
  });
});
