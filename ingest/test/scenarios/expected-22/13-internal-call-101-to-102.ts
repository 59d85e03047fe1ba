import type { ExpectedCall } from '../expected/expected-call.ts';
/** Asterisk 22: 101 dials 102; 102 answers after 2 s and hangs up after 5 s. */
// Hand-derived from what the SIP peers did (README.md of fixtures/asterisk/scenarios-22/13-internal-call-101-to-102)
// and the times of its cel.csv (row ids = cel.id), before running the reconciler.
export const expected: ExpectedCall[] = [
  {
    // customer side = the placing channel PJSIP/101-00000000; segment operator = the callee 102.
    linkedid: 'pbx1-1796675794.0',
    direction: 'internal',
    status: 'answered', // 101 bridged with 102 (#27/#28)
    started_at: '2026-12-07T20:36:34.823Z', // #1 CHAN_START PJSIP/101-00000000
    answered_at: '2026-12-07T20:36:36.843Z', // #28 BRIDGE_ENTER (later of #27/#28)
    ended_at: '2026-12-07T20:36:41.846Z', // #35 CHAN_END PJSIP/101-00000000
    duration_sec: 7.023, // #1 -> #35
    wait_sec: 2.02, // #1 -> #28
    queue_wait_sec: null,
    talk_sec: 5.002, // connected #28 -> #29
    hold_sec: 0,
    src_number: '101',
    dst_number: '102',
    did: null,
    queue: null,
    operator: '101', // the placer
    attempts: [
      {
        operator: '102',
        queue: null,
        rang_at: '2026-12-07T20:36:34.827Z',
        ring_sec: 2.013,
        outcome: 'answered',
      }, // #23 -> #25 ANSWER
    ],
    transfers: [],
    segments: [{ operator: '102', talk_sec: 5.002, hold_sec: 0 }], // #28 -> #29
    recording_path:
      '/tmp/pbx-lab-wJBFgo/pbx1/spool/monitor/2026/12/07/20261207-203634-int-pbx1-1796675794.0.wav', // #8
    ivr_choice: null, // internal: no menu
  },
];
