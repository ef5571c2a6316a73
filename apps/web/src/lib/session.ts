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

/**
 * A hint, not a credential: "this browser had a session". Without it, a page load does not ask
 * the API to refresh a session that cannot exist (a 401 a first-time visitor's console would show).
 * Only the flag is stored; tokens never leave memory.
 */
const SESSION_HINT_KEY = 'conduit.hadSession';

function setSessionHint(present: boolean): void {
  try {
    if (present) localStorage.setItem(SESSION_HINT_KEY, '1');
    else localStorage.removeItem(SESSION_HINT_KEY);
  } catch {
    // Storage disabled: the page load then always tries the refresh.
  }
}

/** False when this browser has certainly no session to restore (no sign-in since the last sign-out). */
export function mayHaveSession(): boolean {
  try {
    return localStorage.getItem(SESSION_HINT_KEY) !== null;
  } catch {
    return true;
  }
}

/** Starts or updates the session from a `User` the API returned. */
export function setSessionUser(user: User): void {
  const { token, ...profile } = user;
  setSessionHint(true);
  // A response to an API-token request carries no token; keep the current one then.
  if (token) accessToken = token;
  emit({ status: 'authenticated', user: profile });
}

export function clearSession(reason: SessionEndReason | null = null): void {
  accessToken = null;
  setSessionHint(false);
  emit({ status: 'anonymous', user: null, reason });
}

let refreshInFlight: Promise<boolean> | null = null;

/**
 * Asks for a fresh access token with the refresh cookie. The cookie rotates on every refresh and
 * presenting an old one (after a short grace) kills the session, so there is only ever one
 * refresh in flight: callers that arrive while one runs share its promise, and tabs take turns
 * (Web Locks; without them, a BroadcastChannel lets a tab adopt the answer another tab just got).
 * Resolves true when a session is active after it.
 */
export function refreshSession(): Promise<boolean> {
  refreshInFlight ??= acrossTabs().finally(() => {
    refreshInFlight = null;
  });
  return refreshInFlight;
}

const LOCK_NAME = 'conduit-session-refresh';
const CHANNEL_NAME = 'conduit-session';
/** How long a tab waits for another tab's announced refresh before doing its own. */
const ADOPT_WAIT_MS = 3000;

type TabMessage = { type: 'refreshing'; at: number } | { type: 'refreshed'; at: number; user: User } | { type: 'failed'; at: number };

let channel: BroadcastChannel | null | undefined;
let othersRefreshingSince = 0;
const waiters = new Set<(message: TabMessage) => void>();

function tabChannel(): BroadcastChannel | null {
  if (channel !== undefined) return channel;
  channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL_NAME);
  channel?.addEventListener('message', (event: MessageEvent<TabMessage>) => {
    const message = event.data;
    if (message?.type === 'refreshing') othersRefreshingSince = message.at;
    else othersRefreshingSince = 0;
    for (const waiter of waiters) waiter(message);
  });
  return channel;
}

function acrossTabs(): Promise<boolean> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  // One tab at a time: the next one refreshes with the cookie the previous one received.
  if (locks?.request) return locks.request(LOCK_NAME, () => doRefresh());
  return viaChannel();
}

/** Without Web Locks: adopt another tab's refresh when one is under way, else refresh and tell the others. */
async function viaChannel(): Promise<boolean> {
  const ch = tabChannel();
  if (!ch) return doRefresh();
  if (othersRefreshingSince && Date.now() - othersRefreshingSince < ADOPT_WAIT_MS) {
    const adopted = await new Promise<TabMessage | null>((resolve) => {
      const listener = (message: TabMessage) => {
        if (message.type !== 'refreshing') done(message);
      };
      const done = (message: TabMessage | null) => {
        waiters.delete(listener);
        clearTimeout(timer);
        resolve(message);
      };
      const timer = setTimeout(() => done(null), ADOPT_WAIT_MS);
      waiters.add(listener);
    });
    if (adopted?.type === 'refreshed') {
      setSessionUser(adopted.user);
      return true;
    }
  }
  ch.postMessage({ type: 'refreshing', at: Date.now() } satisfies TabMessage);
  const ok = await doRefresh();
  const user = state.status === 'authenticated' && accessToken ? { ...state.user, token: accessToken } : null;
  ch.postMessage((ok && user ? { type: 'refreshed', at: Date.now(), user } : { type: 'failed', at: Date.now() }) satisfies TabMessage);
  return ok;
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
  setSessionHint(false);
  if (next) setSessionUser(next);
  else emit({ status: 'loading', user: null });
}
