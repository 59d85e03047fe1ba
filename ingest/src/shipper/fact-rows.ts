import type { CallAttemptsTable, CallSegmentsTable, CallsTable } from '@callcenter/platform/database';
import type { Selectable } from 'kysely';

/**
 * Postgres call rows → ClickHouse fact rows (sql/clickhouse/001_facts.sql). Dimensions absent for
 * a call are '' (LowCardinality columns are not Nullable); times are ISO UTC strings.
 */

/**
 * A call as the shipper reads it: its `app.calls` columns (platform/src/db/database.ts; seconds,
 * UTC Dates) plus the names of its card's dictionary entries and its transfer count.
 */
export type ShippableCall = Pick<
  Selectable<CallsTable>,
  | 'id'
  | 'server_id'
  | 'linkedid'
  | 'direction'
  | 'status'
  | 'started_at'
  | 'answered_at'
  | 'ended_at'
  | 'duration_sec'
  | 'wait_sec'
  | 'queue_wait_sec'
  | 'talk_sec'
  | 'hold_sec'
  | 'src_number'
  | 'dst_number'
  | 'did'
  | 'queue'
  | 'operator_endpoint'
  | 'hung_up_by'
  | 'recording_path'
  | 'closed_by'
  | 'reconciler_version'
  | 'version'
  | 'shipped_attempts'
  | 'shipped_segments'
  | 'shipped_started_at'
  | 'needs_callback'
  | 'resolved_first_call'
  | 'card_completed_at'
> & {
  purpose: string | null;
  category: string | null;
  subcategory: string | null;
  transfers: number;
};

/** An `app.call_attempts` row as the shipper reads it (ring_sec in seconds). */
export type ShippableAttempt = Pick<
  Selectable<CallAttemptsTable>,
  'call_id' | 'seq' | 'operator_endpoint' | 'queue' | 'rang_at' | 'ring_sec' | 'outcome'
>;

/** An `app.call_segments` row as the shipper reads it (talk_sec, hold_sec in seconds). */
export type ShippableSegment = Pick<
  Selectable<CallSegmentsTable>,
  'call_id' | 'seq' | 'operator_endpoint' | 'started_at' | 'talk_sec' | 'hold_sec'
>;

/** The sorting key of a call's rows in every facts table (ORDER BY day, server, linkedid). */
export interface FactKey {
  server_id: string;
  linkedid: string;
  /** ISO UTC. */
  started_at: string;
  call_id: number;
}

const MISSED_OUTCOMES = new Set(['no_answer', 'busy', 'declined']);
const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/**
 * The `call_facts` row of a call (sql/clickhouse/001_facts.sql): its derived columns, card fields
 * and counts of its attempts (missed = no_answer, busy, declined:
 * docs/metrics.md#missed-by-operators), times as UTC ISO text.
 */
export function callFact(call: ShippableCall, attempts: readonly ShippableAttempt[]) {
  return {
    server_id: call.server_id,
    linkedid: call.linkedid,
    call_id: call.id,
    direction: call.direction,
    status: call.status,
    started_at: iso(call.started_at),
    answered_at: iso(call.answered_at),
    ended_at: iso(call.ended_at ?? call.started_at),
    duration_sec: call.duration_sec,
    wait_sec: call.wait_sec,
    queue_wait_sec: call.queue_wait_sec,
    talk_sec: call.talk_sec,
    hold_sec: call.hold_sec,
    src_number: call.src_number ?? '',
    dst_number: call.dst_number ?? '',
    did: call.did ?? '',
    queue: call.queue ?? '',
    operator: call.operator_endpoint ?? '',
    hung_up_by: call.hung_up_by ?? '',
    attempts: attempts.length,
    missed_attempts: attempts.filter((a) => MISSED_OUTCOMES.has(a.outcome)).length,
    transfers: Math.min(255, call.transfers),
    has_recording: call.recording_path ? 1 : 0,
    closed_by: call.closed_by ?? '',
    purpose: call.purpose ?? '',
    category: call.category ?? '',
    subcategory: call.subcategory ?? '',
    needs_callback: call.needs_callback ? 1 : 0,
    resolved_first_call: call.resolved_first_call === null ? null : call.resolved_first_call ? 1 : 0,
    card_completed: call.card_completed_at ? 1 : 0,
    reconciler_version: call.reconciler_version,
    version: call.version,
    is_deleted: 0,
  };
}

/** The `attempt_facts` row of one ring of an operator's phone, keyed like its call. */
export function attemptFact(call: ShippableCall, attempt: ShippableAttempt) {
  return {
    server_id: call.server_id,
    linkedid: call.linkedid,
    seq: attempt.seq,
    call_id: call.id,
    call_started_at: iso(call.started_at),
    rang_at: iso(attempt.rang_at),
    operator: attempt.operator_endpoint,
    queue: attempt.queue ?? '',
    ring_sec: attempt.ring_sec,
    outcome: attempt.outcome,
    direction: call.direction,
    call_status: call.status,
    version: call.version,
    is_deleted: 0,
  };
}

/** The `segment_facts` row of one talk segment, keyed like its call (talk and hold in seconds). */
export function segmentFact(call: ShippableCall, segment: ShippableSegment) {
  return {
    server_id: call.server_id,
    linkedid: call.linkedid,
    seq: segment.seq,
    call_id: call.id,
    call_started_at: iso(call.started_at),
    started_at: iso(segment.started_at),
    operator: segment.operator_endpoint ?? '',
    queue: call.queue ?? '',
    direction: call.direction,
    talk_sec: segment.talk_sec,
    hold_sec: segment.hold_sec,
    version: call.version,
    is_deleted: 0,
  };
}

/** The sorting key of an attempt or segment row of the call `key`: the call's key and the part's `seq`. */
const partKey = (key: FactKey, seq: number) => ({
  server_id: key.server_id,
  linkedid: key.linkedid,
  seq,
  call_id: key.call_id,
  call_started_at: key.started_at,
});

/** A deleted segment row: same sorting key, is_deleted = 1. */
export function segmentTombstone(key: FactKey, seq: number, version: number) {
  return {
    ...partKey(key, seq),
    started_at: key.started_at,
    operator: '',
    queue: '',
    direction: '',
    talk_sec: 0,
    hold_sec: 0,
    version,
    is_deleted: 1,
  };
}

/** A deleted attempt row: same sorting key, higher version, is_deleted = 1. */
export function attemptTombstone(key: FactKey, seq: number, version: number) {
  return {
    ...partKey(key, seq),
    rang_at: key.started_at,
    operator: '',
    queue: '',
    ring_sec: 0,
    outcome: '',
    direction: '',
    call_status: '',
    version,
    is_deleted: 1,
  };
}

/** A deleted call row (merged into another, or moved to another day): same sorting key, is_deleted = 1. */
export function callTombstone(key: FactKey, version: number) {
  return {
    server_id: key.server_id,
    linkedid: key.linkedid,
    call_id: key.call_id,
    direction: '',
    status: '',
    started_at: key.started_at,
    answered_at: null,
    ended_at: key.started_at,
    duration_sec: 0,
    wait_sec: 0,
    queue_wait_sec: null,
    talk_sec: 0,
    hold_sec: 0,
    src_number: '',
    dst_number: '',
    did: '',
    queue: '',
    operator: '',
    hung_up_by: '',
    attempts: 0,
    missed_attempts: 0,
    transfers: 0,
    has_recording: 0,
    closed_by: '',
    purpose: '',
    category: '',
    subcategory: '',
    needs_callback: 0,
    resolved_first_call: null,
    card_completed: 0,
    reconciler_version: '',
    version,
    is_deleted: 1,
  };
}
