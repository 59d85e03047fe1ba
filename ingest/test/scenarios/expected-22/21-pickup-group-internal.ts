import type { ExpectedCall } from '../expected/expected-call.ts';
/** Asterisk 22: internal call 101 → 102 picked up by 103 with *8 (group pickup) while 102 rang. */
// Hand-derived from what the SIP peers did (README.md of fixtures/asterisk/scenarios-22/21-pickup-group-internal)
// and the times of its cel.csv (row ids = cel.id), before running the reconciler. Asterisk's
// pickup moves the picker's channel (#23, 103's *8 call) into the ringing leg's place in the Dial
// (#25 APP_START AppDial, #26 PICKUP on 102's leg naming it): 103 answered, 102's ring was taken
// from it — not its miss.
export const expected: ExpectedCall[] = [
  {
    linkedid: 'pbx1-1796684275.0',
    direction: 'internal', // 101 dialled 102
    status: 'answered', // 101 bridged with 103 (#31/#33)
    started_at: '2026-12-07T22:57:55.331Z', // #1 CHAN_START PJSIP/101-00000000
    answered_at: '2026-12-07T22:57:58.838Z', // #33 BRIDGE_ENTER 101 (later of #31/#33)
    ended_at: '2026-12-07T22:58:04.850Z', // #40 CHAN_END 101
    duration_sec: 9.519, // #1 -> #40
    wait_sec: 3.506, // #1 -> #33
    queue_wait_sec: null,
    talk_sec: 6.011, // #33 -> #34 (103 leaves: its phone hung up after 6 s of talk)
    hold_sec: 0,
    src_number: '101',
    dst_number: '102',
    did: null,
    queue: null,
    operator: '101', // internal: the placing operator
    attempts: [
      {
        operator: '102',
        queue: null,
        rang_at: '2026-12-07T22:57:55.335Z', // #21
        ring_sec: 3.498, // #21 -> #29 HANGUP (after #26 PICKUP)
        outcome: 'canceled', // picked up by 103: not 102's miss
      },
      {
        operator: '103',
        queue: null,
        rang_at: '2026-12-07T22:57:58.331Z', // #23: 103 dialled *8
        ring_sec: 0, // #23 -> #24 ANSWER
        outcome: 'answered',
      },
    ],
    transfers: [],
    segments: [{ operator: '103', talk_sec: 6.011, hold_sec: 0 }],
    recording_path:
      '/tmp/pbx-lab-wLiIxl/pbx1/spool/monitor/2026/12/07/20261207-225755-int-pbx1-1796684275.0.wav', // #8
    ivr_choice: null, // internal: no menu
  },
];
