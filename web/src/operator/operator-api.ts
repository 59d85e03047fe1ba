import { apiJson } from '../api/http.ts';

/**
 * The API calls of the operator workspace and the shapes they answer (api/src/routes/calls/
 * call-schemas.ts, callbacks/callback-routes.ts, dictionaries/, reports/report-schemas.ts MeStats,
 * presence/, control/). Query keys start with `calls`, `callbacks`, `me`, `presence` or
 * `dictionaries`, so live events refresh them (web/src/live/live-events.tsx).
 */

export interface TagRef {
  id: number;
  name: string;
}

/** One call in `GET /calls` (CallSummary). Times are ISO 8601 UTC; durations in seconds. */
export interface CallSummary {
  id: number;
  server_id: string;
  linkedid: string;
  direction: 'inbound' | 'outbound' | 'internal';
  status: string;
  started_at: string;
  answered_at: string | null;
  ended_at: string | null;
  duration_sec: number;
  wait_sec: number;
  talk_sec: number;
  hold_sec: number;
  src_number: string | null;
  dst_number: string | null;
  did: string | null;
  queue: string | null;
  queues: string[];
  operator_endpoint: string | null;
  has_recording: boolean;
  manual: boolean;
  purpose_id: number | null;
  purpose_name: string | null;
  category_id: number | null;
  category_name: string | null;
  subcategory_id: number | null;
  subcategory_name: string | null;
  tags: TagRef[];
  notes: string | null;
  needs_callback: boolean;
  resolved_first_call: boolean | null;
  card_complete: boolean;
  card_completed_at: string | null;
  version: number;
}

/** `GET /calls/{id}` (CallCard): the summary plus bookkeeping (child rows not used here). */
export interface CallCard extends CallSummary {
  card_updated_at: string | null;
  card_updated_by: string | null;
}

export interface CallPage {
  items: CallSummary[];
  total: number;
  totalExact: boolean;
  nextCursor: string | null;
}

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

export const fetchCall = (id: number, signal?: AbortSignal) =>
  apiJson<CallCard>(`/calls/${id}`, signal ? { signal } : {});

export const saveCard = (id: number, body: CardUpdate) =>
  apiJson<CallCard>(`/calls/${id}`, { method: 'PUT', body });

/** `GET /calls` with the given filters (values already strings). */
export function listCalls(filters: Record<string, string | undefined>, signal?: AbortSignal) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters))
    if (value !== undefined && value !== '') params.set(key, value);
  return apiJson<CallPage>(`/calls?${params.toString()}`, signal ? { signal } : {});
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
