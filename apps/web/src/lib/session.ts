import { useSyncExternalStore } from 'react';
import type { User, UserResponse } from '@conduit/contracts';

/**
 * The signed-in session, shared by every feature. The access token (a 15-minute JWT) lives in
 * this module's memory only: never in localStorage, sessionStorage, cookies or the query cache.
 * The long-lived refresh token is an httpOnly cookie that JavaScript cannot read.
 */
export type SessionEndReason = 'signed-out' | 'expired' | 'deleted';

export type SessionState =
  | { status: 'loading'; user: null }
  | { status: 'authenticated'; user: Omit<User, 'token'> }
  | { status: 'anonymous'; user: null; reason: SessionEndReason | null };

let state: SessionState = { status: 'loading', user: null };
let accessToken: string | null = null;
const listeners = new Set<() => void>();

function emit(next: SessionState) {
  state = next;
  for (const listener of listeners) listener();
}

export function getSession(): SessionState {
  return state;
}

export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSession(): SessionState {
  return useSyncExternalStore(subscribeSession, getSession, getSession);
}

export function getAccessToken(): string | null {
  return accessToken;
}

/** Starts or updates the session from a `User` the API returned. */
export function setSessionUser(user: User): void {
  const { token, ...profile } = user;
  // A response to an API-token request carries no token; keep the current one then.
  if (token) accessToken = token;
  emit({ status: 'authenticated', user: profile });
}

export function clearSession(reason: SessionEndReason | null = null): void {
  accessToken = null;
  emit({ status: 'anonymous', user: null, reason });
}

let refreshInFlight: Promise<boolean> | null = null;

/**
 * Asks for a fresh access token with the refresh cookie. The cookie rotates on every refresh and
 * presenting an old one kills the session, so there is only ever one refresh in flight: callers
 * that arrive while one runs share its promise. Resolves true when a session is active after it.
 */
export function refreshSession(): Promise<boolean> {
  refreshInFlight ??= doRefresh().finally(() => {
    refreshInFlight = null;
  });
  return refreshInFlight;
}

async function doRefresh(): Promise<boolean> {
  try {
    const response = await fetch(new URL('/api/users/refresh', window.location.origin), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
    });
    if (!response.ok) {
      clearSession(state.status === 'authenticated' ? 'expired' : null);
      return false;
    }
    const body = (await response.json()) as UserResponse;
    setSessionUser(body.user);
    return true;
  } catch {
    clearSession(state.status === 'authenticated' ? 'expired' : null);
    return false;
  }
}

/** Only for tests: puts the module back in its initial state. */
export function resetSessionForTests(next?: User): void {
  accessToken = null;
  refreshInFlight = null;
  if (next) setSessionUser(next);
  else emit({ status: 'loading', user: null });
}
