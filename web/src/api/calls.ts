import { apiJson } from './http.ts';

/**
 * The web's view of the call API (api/src/routes/calls/call-schemas.ts), shared by the journal
 * and the operator workspace: the call summary of a list page (derived facts; seconds, UTC ISO
 * times; the operator's card fields), one call's card with its attempts, transfers, segments and
 * holds, and the two reads `GET /calls` and `GET /calls/{id}`. The API's own zod schemas cannot be
 * imported here (web never imports api/), so these types mirror them.
 */

export type CallStatus = 'ringing' | 'answered' | 'abandoned' | 'missed' | 'no_answer' | 'busy' | 'failed';
export type CallDirection = 'inbound' | 'outbound' | 'internal';

export const CALL_STATUSES: readonly CallStatus[] = [
  'answered',
  'abandoned',
  'missed',
  'no_answer',
  'busy',
  'failed',
  'ringing',
];
export const CALL_DIRECTIONS: readonly CallDirection[] = ['inbound', 'outbound', 'internal'];

/** A tag on a call's card. */
export interface TagRef {
  id: number;
  name: string;
}

/** One call of a list: derived facts (seconds, UTC ISO times) and its card. */
export interface CallSummary {
  id: number;
  server_id: string;
  linkedid: string;
  direction: CallDirection;
  status: CallStatus;
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

export interface CallAttempt {
  seq: number;
  operator_endpoint: string;
  operator_id: number | null;
  queue: string | null;
  rang_at: string;
  ring_sec: number;
  outcome: string;
  hangup_cause: number | null;
}

export interface CallTransfer {
  seq: number;
  kind: string;
  from_operator: string | null;
  to_target: string | null;
  at: string;
}

export interface CallSegment {
  seq: number;
  operator_endpoint: string | null;
  operator_id: number | null;
  party: string;
  started_at: string;
  ended_at: string;
  talk_sec: number;
  hold_sec: number;
}

export interface CallHold {
  seq: number;
  operator_endpoint: string | null;
  started_at: string;
  ended_at: string;
}

/** `GET /calls/{id}`. */
export interface CallCard extends CallSummary {
  uniqueid: string;
  linkedids: string[];
  queue_wait_sec: number | null;
  operator_id: number | null;
  hung_up_by: string | null;
  closed_by: string | null;
  flags: string[];
  card_updated_at: string | null;
  card_updated_by: string | null;
  created_at: string;
  updated_at: string;
  attempts: CallAttempt[];
  transfers: CallTransfer[];
  segments: CallSegment[];
  holds: CallHold[];
}

export interface CallPage {
  items: CallSummary[];
  /** Matching calls on all pages, counted up to 10 000. */
  total: number;
  /** False when more than 10 000 match: show "10 000+". */
  totalExact: boolean;
  nextCursor: string | null;
}

/** `GET /calls?…` (filters, `sort`, keyset `cursor`, `limit`). */
export function fetchCallPage(query: URLSearchParams, signal?: AbortSignal): Promise<CallPage> {
  return apiJson<CallPage>(`/calls?${query}`, { signal });
}

/** `GET /calls/{id}`. */
export function fetchCall(id: number, signal?: AbortSignal): Promise<CallCard> {
  return apiJson<CallCard>(`/calls/${id}`, { signal });
}

/** One CEL row of an explanation (`GET /calls/{id}/explain`). */
export interface ExplainCelRow {
  id: number;
  event_type: string;
  event_time: string;
  channel: string;
  uniqueid: string;
  linkedid: string;
  cid_num: string;
  exten: string;
  context: string;
  app_name: string;
  app_data: string;
  peer: string;
  extra: string;
}

/** One CDR row of an explanation. */
export interface ExplainCdrRow {
  id: number;
  start: string | null;
  answer: string | null;
  end: string | null;
  src: string;
  dst: string;
  channel: string;
  dstchannel: string;
  lastapp: string;
  disposition: string;
  billsec: number | null;
  uniqueid: string;
  linkedid: string;
}

/** One decision of the reconciler: the rule of docs/reconciliation.md and the `cel.id`s it read. */
export interface ExplainDecision {
  field: string;
  value: unknown;
  rule: string;
  evidence: number[];
}

export interface CallExplanation {
  call: CallCard;
  cel: ExplainCelRow[];
  cdr: ExplainCdrRow[];
  decisions: ExplainDecision[];
}

/** `GET /calls/{id}/explain`: why the call came out as it did (same scope as the card). */
export function fetchCallExplanation(id: number, signal?: AbortSignal): Promise<CallExplanation> {
  return apiJson<CallExplanation>(`/calls/${id}/explain`, { signal });
}
