import type { ExpectedCall } from '../expected/expected-call.ts';
/** Asterisk 22: support queue call answered by 101, who holds the caller twice (music on hold); the caller hangs up. */
// Hand-derived from what the SIP peers did (README.md of fixtures/asterisk/scenarios-22/11-hold-resume)
// and the times of its cel.csv (row ids = cel.id), before running the reconciler.
export const expected: ExpectedCall[] = [
  {
    // queue MOH #35..#45 is before the bridge: not hold.
    linkedid: 'pbx1-1796675697.0',
    direction: 'inbound',
    status: 'answered', // caller bridged with 101 (#49)
    started_at: '2026-12-07T20:34:57.671Z', // #1 CHAN_START PJSIP/trunk-00000000
    answered_at: '2026-12-07T20:35:00.839Z', // #49 BRIDGE_ENTER (later of #48/#49)
    ended_at: '2026-12-07T20:35:19.204Z', // #60 CHAN_END PJSIP/trunk-00000000
    duration_sec: 21.533, // #1 -> #60
    wait_sec: 3.168, // #1 -> #49
    queue_wait_sec: 1.512, // #34 APP_START Queue -> #49
    talk_sec: 12.336, // connected #49 -> #54 (18.363 s) minus hold
    hold_sec: 6.028, // MOH #50..#51 (3.009 s) + #52..#53 (3.018 s)
    src_number: '79161234573',
    dst_number: '74951234567',
    did: '74951234567',
    queue: 'support',
    operator: '101',
    attempts: [
      {
        operator: '101',
        queue: 'support',
        rang_at: '2026-12-07T20:34:59.328Z',
        ring_sec: 1.509,
        outcome: 'answered',
      }, // #36 -> #42
      {
        operator: '102',
        queue: 'support',
        rang_at: '2026-12-07T20:34:59.330Z',
        ring_sec: 1.508,
        outcome: 'canceled',
      }, // #37 -> #43 cause 26
      {
        operator: '103',
        queue: 'support',
        rang_at: '2026-12-07T20:34:59.331Z',
        ring_sec: 1.507,
        outcome: 'canceled',
      }, // #38 -> #46 cause 26
    ],
    transfers: [],
    segments: [{ operator: '101', talk_sec: 12.336, hold_sec: 6.028 }],
    recording_path:
      '/tmp/pbx-lab-gV0efw/pbx1/spool/monitor/2026/12/07/20261207-203457-in-pbx1-1796675697.0.wav', // #12
    ivr_choice: '3', // #28 DTMF digit 3 in WaitExten of ivr-main; #30 APP_START Goto at exten 3, same context
  },
];
