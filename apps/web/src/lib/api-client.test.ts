import { describe, expect, it } from 'vitest';
import { http, HttpResponse } from 'msw';
import type { ErrorResponse, UserResponse } from '@conduit/contracts';
import { buildUser } from '@/testing/factories';
import { server } from '@/testing/msw-server';
import { apiClient, ApiError } from './api-client';
import { getAccessToken, getSession, refreshSession, resetSessionForTests } from './session';

describe('apiClient', () => {
  it('throws ApiError with the status and the errors map', async () => {
    server.use(
      http.get<never, never, ErrorResponse>('*/api/thing', () =>
        HttpResponse.json({ errors: { name: ["can't be blank"] } }, { status: 422 }),
      ),
    );
    const error = await apiClient.get('/thing').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(422);
    expect((error as ApiError).field('name')).toEqual(["can't be blank"]);
  });

  it('refreshes once on 401 and retries with the new token', async () => {
    resetSessionForTests(buildUser({ token: 'old.jwt' }));
    const seen: Array<string | null> = [];
    let refreshes = 0;
    server.use(
      http.get('*/api/user/api-tokens', ({ request }) => {
        const auth = request.headers.get('authorization');
        seen.push(auth);
        return auth === 'Bearer new.jwt'
          ? HttpResponse.json({ apiTokens: [] })
          : HttpResponse.json({ errors: { token: ['expired'] } }, { status: 401 });
      }),
      http.post<never, never, UserResponse>('*/api/users/refresh', async () => {
        refreshes += 1;
        await new Promise((r) => setTimeout(r, 20));
        return HttpResponse.json({ user: buildUser({ token: 'new.jwt' }) });
      }),
    );
    // Three calls fail at once: they share ONE refresh (the cookie rotates; a second one would be reuse).
    const results = await Promise.all([1, 2, 3].map(() => apiClient.get('/user/api-tokens')));
    expect(results).toEqual([{ apiTokens: [] }, { apiTokens: [] }, { apiTokens: [] }]);
    expect(refreshes).toBe(1);
    expect(seen.filter((s) => s === 'Bearer old.jwt')).toHaveLength(3);
    expect(getAccessToken()).toBe('new.jwt');
  });

  it('ends the session when the refresh fails', async () => {
    resetSessionForTests(buildUser({ token: 'old.jwt' }));
    server.use(
      http.get('*/api/user', () => HttpResponse.json({ errors: { token: ['expired'] } }, { status: 401 })),
      http.post('*/api/users/refresh', () => HttpResponse.json({ errors: { session: ['revoked'] } }, { status: 401 })),
    );
    await expect(apiClient.get('/user')).rejects.toMatchObject({ status: 401 });
    expect(getSession()).toEqual({ status: 'anonymous', user: null, reason: 'expired' });
    expect(getAccessToken()).toBeNull();
  });

  it('shares one refresh among concurrent callers', async () => {
    let refreshes = 0;
    server.use(
      http.post<never, never, UserResponse>('*/api/users/refresh', async () => {
        refreshes += 1;
        await new Promise((r) => setTimeout(r, 20));
        return HttpResponse.json({ user: buildUser({ token: 'restored.jwt' }) });
      }),
    );
    const [a, b] = await Promise.all([refreshSession(), refreshSession()]);
    expect([a, b]).toEqual([true, true]);
    expect(refreshes).toBe(1);
    expect(getSession().status).toBe('authenticated');
  });
});
