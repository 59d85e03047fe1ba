import type { ExpectedCall } from '../expected/expected-call.ts';
/**
 * Asterisk 22: 101 dials 102; 102's phone rings 3 s and forwards the call (302 Moved Temporarily)
 * to 103; Dial follows it through Local/103@operators; 103 answers and hangs up after 5 s.
 */
// Hand-derived from what the SIP peers did (README.md of fixtures/asterisk/scenarios-22/18-internal-forward-no-answer)
// and the times of its cel.csv (row ids = cel.id), before running the reconciler.
export const expected: ExpectedCall[] = [
  {
    linkedid: 'pbx1-1796685706.0',
    direction: 'internal', // an operator calling an operator's extension, forwarded to another operator
    status: 'answered', // 101 bridged with Local ;1 (#51), whose ;2 is bridged with PJSIP/103 (#46/#49)
    started_at: '2026-12-07T23:21:46.864Z', // #1 CHAN_START PJSIP/101
    answered_at: '2026-12-07T23:21:51.900Z', // #51 (the last BRIDGE_ENTER of the chain)
    ended_at: '2026-12-07T23:21:56.905Z', // #65 CHAN_END PJSIP/101
    duration_sec: 10.041, // #1 -> #65
    wait_sec: 5.036, // #1 -> #51
    queue_wait_sec: null,
    talk_sec: 5.001, // #51 -> #52 (103 leaves its bridge first)
    hold_sec: 0,
    src_number: '101',
    dst_number: '102', // the number 101 dialled; the forward does not change it
    did: null,
    queue: null,
    operator: '101', // internal: the placing operator
    attempts: [
      // #21 -> #40 HANGUP cause 0, right after #26 FORWARD {"forward":"103"}: 102's phone sent the call
      // on (its own forwarding), nobody's miss.
      {
        operator: '102',
        queue: null,
        rang_at: '2026-12-07T23:21:46.869Z',
        ring_sec: 3.011,
        outcome: 'canceled',
      },
      {
        operator: '103',
        queue: null,
        rang_at: '2026-12-07T23:21:49.886Z',
        ring_sec: 2.009,
        outcome: 'answered',
      }, // #42 -> #44
    ],
    transfers: [],
    segments: [{ operator: '103', talk_sec: 5.001, hold_sec: 0 }],
    recording_path:
      '/tmp/pbx-lab-zH1IOD/pbx1/spool/monitor/2026/12/07/20261207-232146-int-pbx1-1796685706.0.wav', // #8
    ivr_choice: null, // internal: no menu
  },
];
