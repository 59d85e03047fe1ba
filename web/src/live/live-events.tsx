import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { currentSession, onSessionChange, refreshSession } from '../api/http.ts';
import { accessTokenExpiring } from './access-token-expiry.ts';
import { LiveConnection, type LiveListener, type LiveMessage, type LiveStatus } from './live-connection.ts';

/**
 * The page's one live connection (live-connection.ts) and the React hooks over it. Any component
 * may call `useLiveEvents(handler)`; the stream opens with the first and closes after the last.
 * Signing out closes it; the next listener opens it with the new session's token.
 */

let shared: LiveConnection | null = null;

/** The shared connection (created on first use, in the browser). */
export function liveConnection(): LiveConnection {
  if (!shared) {
    const connection = new LiveConnection({
      createEventSource: (url) => new EventSource(url),
      accessToken: async (force) => {
        const token = currentSession()?.accessToken;
        if (token && !force && !accessTokenExpiring(token, Date.now())) return token;
        return (await refreshSession())?.accessToken ?? null;
      },
      setTimeout: (callback, ms) => window.setTimeout(callback, ms),
      clearTimeout: (handle) => window.clearTimeout(handle as number),
    });
    onSessionChange((session) => {
      if (!session) connection.close('signed-out');
    });
    shared = connection;
  }
  return shared;
}

/**
 * Calls `handler` for every live event of the signed-in user's scope (`call.ringing`,
 * `call.updated`, `refetch`, …; see LIVE_EVENT_TYPES). The latest `handler` is used without
 * resubscribing, so an inline function is fine. `enabled: false` leaves the stream alone.
 */
export function useLiveEvents(handler: LiveListener, enabled = true): void {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    if (!enabled) return;
    return liveConnection().subscribe((message) => latest.current(message));
  }, [enabled]);
}

/** The live connection's status, re-rendering on change. */
export function useLiveStatus(): LiveStatus {
  const connection = liveConnection();
  return useSyncExternalStore(
    (notify) => connection.onStatus(notify),
    () => connection.status,
  );
}

/**
 * Query keys refreshed by live events. Lists of calls use keys starting with `'calls'`, the
 * callback worklist `'callbacks'`, the operator's figures `['me', 'stats', …]`.
 */
export function invalidateForLiveEvent(queryClient: QueryClient, message: LiveMessage): void {
  switch (message.type) {
    case 'refetch':
      // The server lost track of what this client missed: everything may be stale.
      void queryClient.invalidateQueries();
      return;
    case 'call.updated':
    case 'call.ended':
    case 'card.completed':
      void queryClient.invalidateQueries({ queryKey: ['calls'] });
      void queryClient.invalidateQueries({ queryKey: ['callbacks'] });
      void queryClient.invalidateQueries({ queryKey: ['me', 'stats'] });
      return;
    case 'presence.changed':
      void queryClient.invalidateQueries({ queryKey: ['presence'] });
      return;
    default:
  }
}

/**
 * Keeps cached queries fresh from live events (`refetch` → everything; call changes → call lists,
 * callbacks, figures). Mount once in a signed-in layout, or call `useLiveQueryInvalidation()`.
 */
export function useLiveQueryInvalidation(enabled = true): void {
  const queryClient = useQueryClient();
  useLiveEvents((message) => invalidateForLiveEvent(queryClient, message), enabled);
}

/** `useLiveQueryInvalidation` as a component, for layouts. */
export function LiveQueryInvalidation(): null {
  useLiveQueryInvalidation();
  return null;
}
