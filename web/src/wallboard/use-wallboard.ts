import type { WallboardResponse } from '@callcenter/api/types';
import { useEffect, useState } from 'react';
import { apiJson, currentSession, refreshSession } from '../api/http.ts';
import { accessTokenExpiring } from '../live/access-token-expiry.ts';

/**
 * The wallboard as it is now: `GET /live/wallboard` for the first paint, then the
 * `GET /live/wallboard/events` stream (`event: wallboard`, the same snapshot after every change;
 * api/src/routes/live/wallboard-routes.ts). EventSource cannot send headers, so the access token
 * goes in `?access_token=`; when the stream fails it is reopened after {@link RETRY_MS} with a
 * fresh token, and the snapshot is read again meanwhile (nothing is accumulated on this side).
 */

export type Wallboard = WallboardResponse;
export type WallboardQueue = Wallboard['queues'][number];
export type WallboardOperator = Wallboard['operators'][number];

export const RETRY_MS = 3_000;

/** The latest snapshot, when it arrived (epoch ms, this clock), and whether the stream is open. */
export interface WallboardState {
  board: Wallboard | null;
  receivedAt: number;
  streaming: boolean;
  error: unknown;
}

export function useWallboard(): WallboardState {
  const [state, setState] = useState<WallboardState>({
    board: null,
    receivedAt: 0,
    streaming: false,
    error: null,
  });

  useEffect(() => {
    let closed = false;
    let source: EventSource | null = null;
    let retry: number | undefined;
    const take = (board: Wallboard) =>
      setState({ board, receivedAt: Date.now(), streaming: source?.readyState === 1, error: null });

    const read = () =>
      apiJson<Wallboard>('/live/wallboard')
        .then((board) => !closed && take(board))
        .catch((error: unknown) => !closed && setState((s) => ({ ...s, error })));

    const open = async () => {
      let token = currentSession()?.accessToken ?? null;
      if (!token || accessTokenExpiring(token, Date.now()))
        token = (await refreshSession())?.accessToken ?? null;
      if (closed || !token) return;
      const es = new EventSource(`/live/wallboard/events?${new URLSearchParams({ access_token: token })}`);
      source = es;
      es.addEventListener('wallboard', (event) => {
        if (!closed) take(JSON.parse((event as MessageEvent<string>).data) as Wallboard);
      });
      es.onopen = () => setState((s) => ({ ...s, streaming: true }));
      es.onerror = () => {
        es.close();
        if (closed) return;
        setState((s) => ({ ...s, streaming: false }));
        retry = window.setTimeout(() => {
          void read();
          void open();
        }, RETRY_MS);
      };
    };

    void read();
    void open();
    return () => {
      closed = true;
      source?.close();
      window.clearTimeout(retry);
    };
  }, []);

  return state;
}

/** A clock that re-renders every `ms` (the ticking waits and times in state). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), ms);
    return () => window.clearInterval(timer);
  }, [ms]);
  return now;
}
