import type { ExpectedCall } from '../expected/expected-call.ts';
/**
 * Asterisk 22: operator 102 dials **101 (directed pickup) while nothing rings 101: PickupChan
 * finds nothing and the dialplan hangs up with cause 34 before answering.
 */
// Hand-derived from what the SIP peers did (README.md of
// fixtures/asterisk/scenarios-22/28-pickup-nothing-ringing) and the times of its cel.csv
// (row ids = cel.id), before the reconciler ran on it.
export const expected: ExpectedCall[] = [
  {
    linkedid: 'pbx1-1796694783.0',
    // No callee leg at all: the fallback of docs/reconciliation.md#direction (an operator's call
    // that is neither to an operator nor a service).
    direction: 'outbound',
    status: 'failed', // no callee leg (docs/reconciliation.md#status, outbound rule 2)
    started_at: '2026-12-08T01:53:03.484Z', // #1 CHAN_START PJSIP/102-00000000
    answered_at: null,
    ended_at: '2026-12-08T01:53:03.523Z', // #7 CHAN_END
    duration_sec: 0.039, // #1 -> #7
    wait_sec: 0.039,
    queue_wait_sec: null,
    talk_sec: 0,
    hold_sec: 0,
    src_number: '102',
    dst_number: '**101',
    did: null,
    queue: null,
    operator: '102',
    attempts: [],
    transfers: [],
    segments: [],
    recording_path: null,
    ended_at_stage: 'refused', // #4 Hangup(34); #6 HANGUP hangupsource dialplan/builtin, cause 34
    ivr_choice: null, // an operator's pickup attempt: no menu
  },
];
