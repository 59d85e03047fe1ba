import type { ExpectedCall } from './expected-call.ts';
/** Internal call: operator 101 dials 102; 102 answers after 2 s; 8 s talk; 101 hangs up. */
// Hand-derived from cel.csv (row ids = cel.id) and README.md of fixtures/asterisk/scenarios/13-internal-call-101-to-102.
export const expected: ExpectedCall[] = [
  {
    // customer side = first channel PJSIP/101-0000005f; segment operator = callee 102.
    linkedid: '1795235552.97',
    direction: 'internal',
    status: 'answered', // 101 bridged with 102 (#1751/#1752)
    started_at: '2026-11-21T04:32:32.529Z', // #1731 CHAN_START PJSIP/101-0000005f
    answered_at: '2026-11-21T04:32:34.546Z', // #1752 BRIDGE_ENTER (later of #1751/#1752): first connected interval
    ended_at: '2026-11-21T04:32:42.556Z', // #1759 CHAN_END PJSIP/102-00000060 (last CHAN_END of the call)
    duration_sec: 10.026, // #1731 -> #1759
    wait_sec: 2.016, // #1731 -> #1752
    queue_wait_sec: null, // no APP_START Queue
    talk_sec: 8.008, // connected 8.008 s (see segments) minus hold
    hold_sec: 0.0,
    src_number: '101', // cid_num of #1731
    dst_number: '102', // exten of #1731
    did: null,
    queue: null,
    operator: '101', // placer = endpoint of the first channel PJSIP/101-0000005f
    attempts: [
      {
        operator: '102',
        queue: null,
        rang_at: '2026-11-21T04:32:32.536Z',
        ring_sec: 2.009,
        outcome: 'answered',
      }, // #1747 CHAN_START PJSIP/102-00000060 (AppDial) -> #1749 ANSWER
    ],
    transfers: [],
    segments: [
      { operator: '102', talk_sec: 8.008, hold_sec: 0.0 }, // connected #1752 -> #1753 (8.008 s; enters #1751/#1752, exits #1757/#1753)
    ],
    recording_path: '/var/spool/asterisk/monitor/20261121-043232-int-1795235552.97.wav', // #1742 APP_START MixMonitor
  },
];
