import { type CallCard, fetchCallPage } from '../api/calls.ts';
import { apiJson } from '../api/http.ts';

/**
 * The API calls of the operator workspace and the shapes they answer. The call shapes and reads
 * are shared with the journal (web/src/api/calls.ts); here: the card update
 * (api/src/routes/calls/call-schemas.ts), callbacks/callback-routes.ts, dictionaries/,
 * reports/report-schemas.ts MeStats, presence/, control/. Query keys start with `calls`,
 * `callbacks`, `me`, `presence` or `dictionaries`, so live events refresh them
 * (web/src/live/live-events.tsx).
 */

/** `PUT /calls/{id}` body: absent fields stay as they are. */
export interface CardUpdate {
  version: number;
  purpose_id?: number | null;
  category_id?: number | null;
  subcategory_id?: number | null;
  tag_ids?: number[];
  notes?: string | null;
  needs_callback?: boolean;
  resolved_first_call?: boolean | null;
  complete?: boolean;
}

export interface DictionaryItem {
  id: number;
  name: string;
  sortOrder: number;
  deletedAt: string | null;
  /** Sub-categories only. */
  categoryId?: number;
}

export type DictionaryKind = 'purposes' | 'categories' | 'subcategories' | 'tags';

export interface CallbackItem {
  callId: number;
  serverId: string;
  linkedid: string;
  direction: string;
  status: string;
  reason: 'missed' | 'abandoned' | 'needs_callback';
  needsCallback: boolean;
  startedAt: string;
  number: string | null;
  e164: string | null;
  queue: string | null;
  operatorEndpoint: string | null;
  timeToCallbackSec: number | null;
  reachedBy: unknown;
}

export interface CallbackList {
  items: CallbackItem[];
  owed: number;
  done: number | null;
}

/** `GET /me/stats`: the operator's own figures (seconds). */
export interface MyStats {
  endpoint: string | null;
  serverId: string;
  from: string;
  to: string;
  answered_calls: number;
  missed_attempts: number;
  talked_calls: number;
  talk_sec: number;
  hold_sec: number;
  aht_sec: number | null;
  outbound_calls: number;
}

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

export const fetchDictionary = (kind: DictionaryKind, signal?: AbortSignal) =>
  apiJson<{ items: DictionaryItem[] }>(`/dictionaries/${kind}`, signal ? { signal } : {}).then(
    (r) => r.items,
  );

export const fetchCallbacks = (signal?: AbortSignal) =>
  apiJson<CallbackList>('/callbacks?limit=500', signal ? { signal } : {});

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
