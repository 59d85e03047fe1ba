import type { CallAttemptsTable, CallSegmentsTable, CallsTable } from '@callcenter/platform/database';
import { type CallColumnName, type FactKey, type FactRow, tombstoneRow } from '@callcenter/sql/schema';
import type { Selectable } from 'kysely';

/**
 * Postgres call rows → ClickHouse fact rows, typed from the facts' one definition
 * (`@callcenter/sql/schema`, sql/schema/fact-tables.ts: a column missing or extra here fails the
 * typecheck). Dimensions absent for a call are '' (LowCardinality columns are not Nullable);
 * times are ISO UTC strings.
 */

export type { FactKey };

/** The app.calls columns a call's facts are built from (the shipper selects exactly these). */
export const SHIPPED_CALL_COLUMNS = [
  'id',
  'server_id',
  'linkedid',
  'direction',
  'status',
  'started_at',
  'answered_at',
  'ended_at',
  'duration_sec',
  'wait_sec',
  'queue_wait_sec',
  'talk_sec',
  'hold_sec',
  'src_number',
  'dst_number',
  'did',
  'queue',
  'operator_endpoint',
  'hung_up_by',
  'ended_at_stage',
  'ivr_choice',
  'recording_path',
  'closed_by',
  'reconciler_version',
  'version',
  'shipped_attempts',
  'shipped_segments',
  'shipped_started_at',
  'needs_callback',
  'resolved_first_call',
  'card_completed_at',
] as const satisfies readonly CallColumnName[];

/** A call as the shipper reads it: the columns above (types from app.calls) and the card's names. */
export type ShippableCall = Pick<Selectable<CallsTable>, (typeof SHIPPED_CALL_COLUMNS)[number]> & {
  purpose: string | null;
  category: string | null;
  subcategory: string | null;
  /** Rows of app.call_transfers. */
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

const MISSED_OUTCOMES = new Set(['no_answer', 'busy', 'declined']);
const iso = (d: Date): string => d.toISOString();
const isoOrNull = (d: Date | null): string | null => (d ? d.toISOString() : null);

/**
 * The `call_facts` row of a call (sql/clickhouse/001_facts.sql): its derived columns, card fields
 * and counts of its attempts (missed = no_answer, busy, declined:
 * docs/metrics.md#missed-by-operators), times as UTC ISO text.
 */
export function callFact(call: ShippableCall, attempts: readonly ShippableAttempt[]): FactRow<'call_facts'> {
  return {
    server_id: call.server_id,
    linkedid: call.linkedid,
    call_id: call.id,
    direction: call.direction,
    status: call.status,
    started_at: iso(call.started_at),
    answered_at: isoOrNull(call.answered_at),
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
    ended_at_stage: call.ended_at_stage ?? '',
    ivr_choice: call.ivr_choice ?? '',
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
export function attemptFact(call: ShippableCall, attempt: ShippableAttempt): FactRow<'attempt_facts'> {
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
export function segmentFact(call: ShippableCall, segment: ShippableSegment): FactRow<'segment_facts'> {
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

/** A deleted segment row: same sorting key, is_deleted = 1. */
export function segmentTombstone(key: FactKey, seq: number, version: number): FactRow<'segment_facts'> {
  return tombstoneRow('segment_facts', key, version, seq);
}

/** A deleted attempt row: same sorting key, higher version, is_deleted = 1. */
export function attemptTombstone(key: FactKey, seq: number, version: number): FactRow<'attempt_facts'> {
  return tombstoneRow('attempt_facts', key, version, seq);
}

/** A deleted call row (merged into another, or moved to another day): same sorting key, is_deleted = 1. */
export function callTombstone(key: FactKey, version: number): FactRow<'call_facts'> {
  return tombstoneRow('call_facts', key, version);
}
