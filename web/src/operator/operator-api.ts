import type {
  CallbackListResponse as CallbackList,
  CardUpdateRequest as CardUpdate,
  MyStatsResponse as MyStats,
} from '@callcenter/api/types';
import { type CallCard, fetchCallPage } from '../api/calls.ts';
import { apiJson } from '../api/http.ts';

/**
 * The API calls of the operator workspace; the shapes are the API's own (`@callcenter/api/types`).
 * The call shapes and reads are shared with the journal (web/src/api/calls.ts); here: the card
 * update (`PUT /calls/{id}`), callbacks, dictionaries, `GET /me/stats`, control. Query keys start with `calls`,
 * `callbacks`, `me`, `presence` or `dictionaries`, so live events refresh them
 * (web/src/live/live-events.tsx).
 */

export type {
  CallbackItemResponse as CallbackItem,
  CardUpdateRequest as CardUpdate,
  DictionaryEntryResponse as DictionaryItem,
} from '@callcenter/api/types';

export const callKey = (id: number) => ['calls', 'card', id] as const;

export const saveCard = (id: number, body: CardUpdate) =>
  apiJson<CallCard>(`/calls/${id}`, { method: 'PUT', body });

/** `GET /calls` with the given filters (values already strings). */
export function listCalls(filters: Record<string, string | undefined>, signal?: AbortSignal) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters))
    if (value !== undefined && value !== '') params.set(key, value);
  return fetchCallPage(params, signal);
}

export const fetchCallbacks = (signal?: AbortSignal) =>
  apiJson<CallbackList>('/callbacks?limit=500', signal ? { signal } : {});

export function fetchMyStats(from: string, to: string, signal?: AbortSignal) {
  const params = new URLSearchParams({ from, to });
  return apiJson<MyStats>(`/me/stats?${params.toString()}`, signal ? { signal } : {});
}

/** `POST /control/originate`: Asterisk rings my phone, then calls `number` (503 without ARI). */
export const originate = (number: string) =>
  apiJson<unknown>('/control/originate', { method: 'POST', body: { number } });
