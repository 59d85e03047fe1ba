import type { ExpectedCall } from '../expected/expected-call.ts';
/** Asterisk 22: an inbound caller hangs up in the main IVR before choosing anything. */
// Hand-derived from what the SIP peers did (README.md of
// fixtures/asterisk/scenarios-22/26-ivr-hangup-before-choice) and the times of its cel.csv
// (row ids = cel.id), before the reconciler ran on it.
export const expected: ExpectedCall[] = [
  {
    linkedid: 'pbx1-1796694696.0',
    direction: 'inbound',
    status: 'abandoned', // #29 HANGUP hangupsource = the caller, no queue or operator reached
    started_at: '2026-12-08T01:51:36.826Z', // #1 CHAN_START PJSIP/trunk-00000000
    answered_at: null, // #21 is the IVR's Answer, not an answer of the call
    ended_at: '2026-12-08T01:51:41.352Z', // #30 CHAN_END
    duration_sec: 4.526, // #1 -> #30
    wait_sec: 4.526, // never answered: start to end
    queue_wait_sec: null,
    talk_sec: 0,
    hold_sec: 0,
    src_number: '79161234586',
    dst_number: '74951234567',
    did: '74951234567',
    queue: null,
    operator: null,
    attempts: [], // the registered phones never rang
    transfers: [],
    segments: [],
    recording_path:
      '/tmp/pbx-lab-ND9mGu/pbx1/spool/monitor/2026/12/08/20261208-015136-in-pbx1-1796694696.0.wav', // #12
    ended_at_stage: 'ivr', // in WaitExten (#27) of ivr-main, no Queue/Dial started
    ivr_choice: null, // hung up in WaitExten (#27-#28) before choosing: #29 HANGUP, no APP_START after it
  },
];
