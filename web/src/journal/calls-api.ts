import { apiFetch, apiJson } from '../api/http.ts';

/**
 * The journal's view of the call API (api/src/routes/calls/call-schemas.ts): list pages with
 * keyset cursors, one call's card with its attempts, transfers, segments and holds, and the
 * recording as a blob (the audio element cannot send the bearer token itself).
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
/** Columns the API sorts by (`sort`). */
export const SORT_KEYS = ['started_at', 'duration_sec', 'wait_sec', 'talk_sec'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

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
  tags: { id: number; name: string }[];
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

/** `GET /calls?…` with the query built by journal-filters.ts. */
export function fetchCallPage(query: URLSearchParams, signal?: AbortSignal): Promise<CallPage> {
  return apiJson<CallPage>(`/calls?${query}`, { signal });
}

/** `GET /calls/{id}`. */
export function fetchCall(id: number, signal?: AbortSignal): Promise<CallCard> {
  return apiJson<CallCard>(`/calls/${id}`, { signal });
}

/** A fetched file: its bytes and the name the server gave it (Content-Disposition). */
export interface FetchedFile {
  blob: Blob;
  fileName: string | null;
}

/** The file name of a Content-Disposition header (RFC 5987 `filename*` preferred). */
export function dispositionFileName(header: string | null): string | null {
  if (!header) return null;
  const extended = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1]);
    } catch {
      // fall through to the plain name
    }
  }
  return /filename="([^"]+)"/i.exec(header)?.[1] ?? null;
}

/**
 * `GET /calls/{id}/recording` (`download` adds `?download=true`, which the API allows to
 * supervisors and admins only — 403 otherwise). Each fetch is one audited listen or download.
 */
export async function fetchRecording(
  id: number,
  download: boolean,
  signal?: AbortSignal,
): Promise<FetchedFile> {
  const response = await apiFetch(`/calls/${id}/recording${download ? '?download=true' : ''}`, { signal });
  return {
    blob: await response.blob(),
    fileName: dispositionFileName(response.headers.get('content-disposition')),
  };
}

/** `GET /export/calls.csv?…` (supervisor, admin): every call matching the filters, UTF-8 with BOM. */
export async function fetchExport(query: URLSearchParams): Promise<FetchedFile> {
  const response = await apiFetch(`/export/calls.csv?${query}`);
  return {
    blob: await response.blob(),
    fileName: dispositionFileName(response.headers.get('content-disposition')),
  };
}

/** Hands a blob to the browser as a download named `fileName`. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
