import { isErrorResponse, REAUTHENTICATION_ERROR_KEY } from '@conduit/contracts';
import { getAccessToken, refreshSession } from './session';

/** Field (or subject) → messages, exactly as the API sends them in `{"errors": {...}}`. */
export type ErrorMap = Record<string, string[]>;

/** Every failed call throws this: the HTTP status plus the API's error map. */
export class ApiError extends Error {
  readonly status: number;
  readonly errors: ErrorMap;

  constructor(status: number, errors: ErrorMap, message?: string) {
    super(message ?? ApiError.describe(status, errors));
    this.name = 'ApiError';
    this.status = status;
    this.errors = errors;
  }

  /** Messages for one field, or an empty list. */
  field(name: string): string[] {
    return this.errors[name] ?? [];
  }

  static describe(status: number, errors: ErrorMap): string {
    const first = Object.entries(errors)[0];
    if (first && first[1].length > 0) return `${first[0]} ${first[1].join(', ')}`;
    if (status === 0) return 'Could not reach the server. Check your connection and try again.';
    return `The server answered ${status}.`;
  }
}

/** What a person reads when they cancelled "Confirm it's you" (the API's 403 asking for a recent password). */
export const REAUTHENTICATION_CANCELLED_MESSAGE =
  'Nothing was changed: this change needs your password, and it was not confirmed. Try again and enter your password when asked.';

/** True for the API's "confirm your password first" refusal, left to the caller when the person cancelled. */
export function isReauthenticationRefusal(error: unknown): boolean {
  return error instanceof ApiError && error.status === 403 && REAUTHENTICATION_ERROR_KEY in error.errors;
}

/** Turns any thrown value into a sentence fit for a person. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return ApiError.describe(0, {});
    if (isReauthenticationRefusal(error)) return REAUTHENTICATION_CANCELLED_MESSAGE;
    // Rate limits speak of the address, not of a field: "Too many failed attempts …; retry in 42 seconds."
    if (error.status === 429) {
      const said = Object.values(error.errors).flat();
      return said.length > 0 ? said.map((m) => m.charAt(0).toUpperCase() + m.slice(1)).join(' ') + '.' : 'Too many attempts; wait a minute and try again.';
    }
    const all = Object.entries(error.errors).flatMap(([field, messages]) =>
      messages.map((m) => (field === 'body' || field === 'message' ? m : `${humanize(field)} ${m}`)),
    );
    if (all.length > 0) return all.join('. ');
    if (error.status >= 500) return 'Something went wrong on our side. Please try again.';
    return error.message;
  }
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}

function humanize(field: string): string {
  const words = field.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export interface RequestOptions {
  /**
   * `false` for the auth endpoints (sign in, sign up, refresh, sign out): no bearer header and no
   * refresh-and-retry on 401, whose meaning there is "wrong credentials".
   */
  auth?: boolean;
  /** Attach the bearer token but do not refresh-and-retry on 401 (sign out). */
  retryOn401?: boolean;
  signal?: AbortSignal;
}

async function send(method: string, path: string, body: unknown, token: string | null, signal?: AbortSignal) {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  try {
    return await fetch(new URL(`/api${path}`, window.location.origin), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, {});
  }
}

async function parse<T>(response: Response): Promise<T> {
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let json: unknown = undefined;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  if (!response.ok) {
    throw new ApiError(response.status, isErrorResponse(json) ? json.errors : {});
  }
  return json as T;
}

/**
 * Asks the person to confirm their password (the "Confirm it's you" dialog); resolves true once
 * `POST /api/user/reauthenticate` succeeded, false when they cancelled.
 */
export type ReauthenticationHandler = () => Promise<boolean>;
let reauthenticate: ReauthenticationHandler | null = null;
let reauthInFlight: Promise<boolean> | null = null;

/** Registered by the app shell; returns the function that unregisters it. */
export function setReauthenticationHandler(handler: ReauthenticationHandler | null): () => void {
  reauthenticate = handler;
  return () => {
    if (reauthenticate === handler) reauthenticate = null;
  };
}

async function needsReauthentication(response: Response): Promise<boolean> {
  if (response.status !== 403) return false;
  try {
    const body: unknown = await response.clone().json();
    return isErrorResponse(body) && REAUTHENTICATION_ERROR_KEY in body.errors;
  } catch {
    return false;
  }
}

/**
 * The one fetch wrapper. Attaches the in-memory access token; on a 401 it refreshes the session
 * once (shared with any other caller) and retries once. If the refresh fails the session ends
 * and the route guard sends the person to sign in. On a 403 asking for re-authentication (a
 * sensitive action long after sign-in) it asks for the password once (one dialog shared by
 * concurrent callers) and retries; cancelling leaves the 403 to the caller.
 */
export async function request<T>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
  const useAuth = options.auth !== false;
  const token = useAuth ? getAccessToken() : null;
  let response = await send(method, path, body, token, options.signal);
  if (response.status === 401 && useAuth && options.retryOn401 !== false) {
    // Another call may already have refreshed while this one was in flight.
    const current = getAccessToken();
    const refreshed = current && current !== token ? true : await refreshSession();
    if (refreshed) response = await send(method, path, body, getAccessToken(), options.signal);
  }
  if (useAuth && reauthenticate && (await needsReauthentication(response))) {
    const handler = reauthenticate;
    reauthInFlight ??= handler().finally(() => {
      reauthInFlight = null;
    });
    if (await reauthInFlight) response = await send(method, path, body, getAccessToken(), options.signal);
  }
  return parse<T>(response);
}

export const apiClient = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, undefined, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, body, options),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PUT', path, body, options),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PATCH', path, body, options),
  delete: <T = void>(path: string, body?: unknown, options?: RequestOptions) => request<T>('DELETE', path, body, options),
};
