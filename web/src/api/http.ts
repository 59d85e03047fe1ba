import type { SessionResponse, SessionUserResponse } from '@callcenter/api/types';

/**
 * The web app's one way to call the API (same origin). Every request carries the in-memory access
 * token as `Authorization: Bearer …`; a 401 triggers one `POST /auth/refresh` (the httpOnly
 * refresh cookie) and a retry. Non-2xx answers throw `ApiRequestError` carrying the API's error
 * body `{error, message, details}` (api/src/errors).
 */

/** The signed-in user as the API describes it (role, phone endpoint or null, a supervisor's queues). */
export type SessionUser = SessionUserResponse;

/** The access token (kept in memory only) and its user; the refresh token is an httpOnly cookie. */
export type Session = SessionResponse;

/** A non-2xx answer of the API. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
    readonly details?: unknown,
    /** Seconds to wait before trying again (the `Retry-After` header of a 429 or 503), if sent. */
    readonly retryAfterSec?: number,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

type SessionListener = (session: Session | null) => void;

let current: Session | null = null;
let refreshing: Promise<Session | null> | null = null;
const listeners = new Set<SessionListener>();

/** The current session (null when signed out). */
export function currentSession(): Session | null {
  return current;
}

/** Replaces the session and tells every listener (the React session provider among them). */
export function setSession(session: Session | null): void {
  current = session;
  for (const listener of listeners) listener(session);
}

/** Calls `listener` on every session change; returns the unsubscribe function. */
export function onSessionChange(listener: SessionListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

async function errorFrom(response: Response): Promise<ApiRequestError> {
  let body: { error?: string; message?: string; details?: unknown } = {};
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's page): keep the status line.
  }
  const retryAfter = Number(response.headers.get('retry-after'));
  return new ApiRequestError(
    response.status,
    body.error ?? 'http_error',
    body.message ?? `${response.status} ${response.statusText}`,
    body.details,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
  );
}

/**
 * Trades the refresh cookie for a new session (`POST /auth/refresh`); null when there is none or
 * it was refused. Concurrent callers share one request (the server rotates the cookie: two
 * parallel refreshes would look like a token reuse and revoke the session).
 */
export function refreshSession(): Promise<Session | null> {
  refreshing ??= (async () => {
    try {
      const response = await fetch('/auth/refresh', { method: 'POST', credentials: 'same-origin' });
      const session = response.ok ? ((await response.json()) as Session) : null;
      setSession(session);
      return session;
    } catch {
      setSession(null);
      return null;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

function withToken(init: RequestInit, token: string | undefined): RequestInit {
  const headers = new Headers(init.headers);
  if (token) headers.set('Authorization', `Bearer ${token}`);
  return { ...init, headers, credentials: 'same-origin' };
}

/**
 * `fetch` against the API with the bearer token; refreshes once on 401. Resolves with the raw
 * response when it is 2xx (for streams, Arrow and files); throws `ApiRequestError` otherwise.
 */
export async function apiFetch(path: string, init: RequestInit = {}): Promise<Response> {
  let response = await fetch(path, withToken(init, current?.accessToken));
  if (response.status === 401 && !path.startsWith('/auth/')) {
    const session = await refreshSession();
    if (session) response = await fetch(path, withToken(init, session.accessToken));
  }
  if (!response.ok) throw await errorFrom(response);
  return response;
}

/** `apiFetch` with a JSON body (when `body` is given) and a JSON answer (undefined for 204). */
export async function apiJson<T>(
  path: string,
  options: { method?: string; body?: unknown; signal?: AbortSignal; headers?: Record<string, string> } = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  const init: RequestInit = { method: options.method ?? 'GET', headers };
  if (options.signal) init.signal = options.signal;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  const response = await apiFetch(path, init);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** Signs in (`POST /auth/login`): the session is kept in memory, the refresh token in a cookie. */
export async function login(loginName: string, password: string): Promise<Session> {
  const session = await apiJson<Session>('/auth/login', {
    method: 'POST',
    body: { login: loginName, password },
  });
  setSession(session);
  return session;
}

/**
 * Chooses a new password (`PUT /me/password`): the answer is a new session (the forced change
 * cleared, other sessions ended), kept like a sign-in's. Throws `ApiRequestError` (400 for a wrong
 * current password or a new one the API refuses).
 */
export async function changePassword(currentPassword: string, newPassword: string): Promise<Session> {
  const session = await apiJson<Session>('/me/password', {
    method: 'PUT',
    body: { currentPassword, newPassword },
  });
  setSession(session);
  return session;
}

/** Signs out (`POST /auth/logout` revokes the refresh cookie), then forgets the session. */
export async function logout(): Promise<void> {
  try {
    await apiFetch('/auth/logout', { method: 'POST' });
  } finally {
    setSession(null);
  }
}
