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

/** The query key of one call's card (`calls` first, so live events refresh it). */
export const callKey = (id: number) => ['calls', 'card', id] as const;

/**
 * `PUT /calls/{id}`: saves the card; 409 when it changed since `body.version` (the current card in
 * `details.card`), 422/400 with field errors.
 */
export const saveCard = (id: number, body: CardUpdate) =>
  apiJson<CallCard>(`/calls/${id}`, { method: 'PUT', body });

/** `GET /calls` with the given filters (values already strings). */
export function listCalls(filters: Record<string, string | undefined>, signal?: AbortSignal) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters))
    if (value !== undefined && value !== '') params.set(key, value);
  return fetchCallPage(params, signal);
}

/** `GET /callbacks?limit=500`: the callbacks owed in my scope, oldest first. */
export const fetchCallbacks = (signal?: AbortSignal) =>
  apiJson<CallbackList>('/callbacks?limit=500', signal ? { signal } : {});

/** `GET /me/stats?from&to`: my own figures over [from, to) (ISO 8601 with zone; seconds). */
export function fetchMyStats(from: string, to: string, signal?: AbortSignal) {
  const params = new URLSearchParams({ from, to });
  return apiJson<MyStats>(`/me/stats?${params.toString()}`, signal ? { signal } : {});
}

/** `POST /control/originate`: Asterisk rings my phone, then calls `number` (503 without ARI). */
export const originate = (number: string) =>
  apiJson<unknown>('/control/originate', { method: 'POST', body: { number } });

/** `GET /control/status`: whether call control through ARI is available (ARI_URL set). */
export const fetchControlStatus = (signal?: AbortSignal) =>
  apiJson<{ available: boolean; reason?: 'no_ari' }>('/control/status', { signal });
