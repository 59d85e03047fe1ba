/**
 * Hand-derived expectations for the reconciliation of Asterisk CEL rows into calls.
 * Times: ISO 8601 UTC, milliseconds truncated from the CEL microseconds.
 * Seconds: computed from the microsecond timestamps, 3 decimals (compare with a 0.05 s tolerance).
 */
export interface ExpectedAttempt {
  operator: string;
  queue: string | null;
  rang_at: string;
  ring_sec: number;
  outcome: 'answered' | 'no_answer' | 'busy' | 'declined' | 'canceled';
}

export interface ExpectedTransfer {
  kind: 'blind' | 'attended';
  from_operator: string | null;
  to: string | null;
  at: string;
}

export interface ExpectedSegment {
  operator: string | null;
  talk_sec: number;
  hold_sec: number;
}

export interface ExpectedCall {
  linkedid: string;
  direction: 'inbound' | 'outbound' | 'internal';
  status: 'answered' | 'abandoned' | 'missed' | 'no_answer' | 'busy' | 'failed';
  started_at: string;
  answered_at: string | null;
  ended_at: string;
  duration_sec: number;
  wait_sec: number;
  queue_wait_sec: number | null;
  talk_sec: number;
  hold_sec: number;
  src_number: string | null;
  dst_number: string | null;
  did: string | null;
  queue: string | null;
  operator: string | null;
  attempts: ExpectedAttempt[];
  transfers: ExpectedTransfer[];
  segments: ExpectedSegment[];
  recording_path: string | null;
  /**
   * docs/reconciliation.md#ended-at-stage. Written for the captures from 25 on; the older
   * expectations predate the field (their stages are checked in ingest/test/reconcile/ended-stage.test.ts).
   */
  ended_at_stage?: 'ivr' | 'refused' | 'queue' | 'ringing' | 'voicemail' | 'talk' | 'service';
  /**
   * docs/reconciliation.md#ivr-choice: what the caller pressed in the IVR menu(s), `>`-joined.
   * Written for the Asterisk 22 captures (scenarios-22); the Asterisk 20 set is checked in
   * ingest/test/reconcile/ivr-choice.test.ts.
   */
  ivr_choice?: string | null;
}
