import { CALL_COLUMNS, type CallColumnName, type CallEndedAtStage } from '@callcenter/sql/schema';
import type { Call, EndedAtStage } from '../reconcile/types.ts';
import { derivedHash } from './derived-hash.ts';

/**
 * Calls → the column-named JSON records that `jsonb_populate_recordset(NULL::app.<table>, …)`
 * turns into rows: one round trip per table for a whole batch.
 */

/** The app.calls columns the reconciler owns (sql/schema/call-columns.ts, owner `derived`). */
type ReconcilerColumn = {
  [K in CallColumnName]: (typeof CALL_COLUMNS)[K]['owner'] extends 'derived' ? K : never;
}[CallColumnName];

/**
 * What the writer writes from a reconciled call (never the card's columns), in table order: the
 * reconciler's columns from the call's one definition, `derived_hash`, and not `operator_id`
 * (resolved here from the endpoint, after these).
 */
export type DerivedColumn = Exclude<ReconcilerColumn, 'operator_id'> | 'derived_hash';
export const DERIVED_COLUMNS: readonly DerivedColumn[] = (
  Object.keys(CALL_COLUMNS) as CallColumnName[]
).filter(
  (c): c is DerivedColumn =>
    (CALL_COLUMNS[c].owner === 'derived' && c !== 'operator_id') || c === 'derived_hash',
);

/** The reconciler's stages and the column's CHECK list are the same set (fails to compile otherwise). */
type SameSet<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const stagesAgree: SameSet<EndedAtStage, CallEndedAtStage> = true;
void stagesAgree;

/** The derived columns of app.calls (never the card's). */
export function callRecord(call: Call): Record<DerivedColumn, unknown> {
  return {
    server_id: call.server_id,
    linkedid: call.linkedid,
    uniqueid: call.uniqueid,
    linkedids: call.linkedids,
    direction: call.direction,
    status: call.status,
    started_at: call.started_at,
    answered_at: call.answered_at,
    ended_at: call.ended_at,
    duration_sec: call.duration_sec,
    wait_sec: call.wait_sec,
    queue_wait_sec: call.queue_wait_sec,
    talk_sec: call.talk_sec,
    hold_sec: call.hold_sec,
    src_number: call.src_number,
    dst_number: call.dst_number,
    did: call.did,
    queue: call.queue,
    queues: call.queues,
    operator_endpoint: call.operator,
    hung_up_by: call.hung_up_by,
    recording_path: call.recording_path,
    recordings: call.recordings,
    closed_by: call.closed_by,
    flags: call.flags,
    reconciler_version: call.reconciler_version,
    ended_at_stage: call.ended_at_stage,
    ivr_choice: call.ivr_choice,
    derived_hash: derivedHash(call),
  };
}

/** Child records of one call, keyed by table, with `call_id` filled. */
export function childRecords(callId: number, call: Call) {
  return {
    attempts: call.attempts.map((a, seq) => ({
      call_id: callId,
      seq,
      operator_endpoint: a.operator,
      queue: a.queue,
      rang_at: a.rang_at,
      ring_sec: a.ring_sec,
      outcome: a.outcome,
      uniqueid: a.uniqueid,
      hangup_cause: a.hangup_cause,
    })),
    transfers: call.transfers.map((t, seq) => ({
      call_id: callId,
      seq,
      kind: t.kind,
      from_operator: t.from_operator,
      to_target: t.to,
      at: t.at,
    })),
    segments: call.segments.map((s, seq) => ({
      call_id: callId,
      seq,
      operator_endpoint: s.operator,
      party: s.party,
      started_at: s.started_at,
      ended_at: s.ended_at,
      talk_sec: s.talk_sec,
      hold_sec: s.hold_sec,
    })),
    holds: call.holds.map((h, seq) => ({
      call_id: callId,
      seq,
      operator_endpoint: h.operator,
      started_at: h.started_at,
      ended_at: h.ended_at,
    })),
    linkedids: call.linkedids.map((linkedid) => ({ server_id: call.server_id, linkedid, call_id: callId })),
  };
}
