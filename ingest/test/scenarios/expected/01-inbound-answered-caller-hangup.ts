import type { ExpectedCall } from './expected-call.ts';
/** Inbound -> IVR -> queue support (ringall) -> 101 answers after 2 s -> ~10 s talk -> caller hangs up. */
// Hand-derived from cel.csv (row ids = cel.id) and README.md of fixtures/asterisk/scenarios/01-inbound-answered-caller-hangup.
export const expected: ExpectedCall[] = [
  {
    linkedid: '1795234908.0',
    direction: 'inbound',
    status: 'answered', // caller bridged with 101 (#45)
    started_at: '2026-11-21T04:21:48.957Z', // #1 CHAN_START PJSIP/trunk-00000000
    answered_at: '2026-11-21T04:21:51.983Z', // #45 BRIDGE_ENTER (later of #44/#45): first connected interval
    ended_at: '2026-11-21T04:22:01.975Z', // #52 CHAN_END PJSIP/trunk-00000000 (last CHAN_END of the call)
    duration_sec: 13.018, // #1 -> #52
    wait_sec: 3.026, // #1 -> #45
    queue_wait_sec: 2.013, // #30 APP_START Queue -> #45
    talk_sec: 9.99, // connected 9.990 s (see segments) minus hold
    hold_sec: 0.0,
    src_number: '79161234567', // cid_num of #1
    dst_number: '74951234567', // exten of #1
    did: '74951234567',
    queue: 'support', // appdata of #30
    operator: '101', // only segment
    attempts: [
      {
        operator: '101',
        queue: 'support',
        rang_at: '2026-11-21T04:21:49.971Z',
        ring_sec: 2.009,
        outcome: 'answered',
      }, // #32 CHAN_START PJSIP/101-00000001 (AppQueue) -> #38 ANSWER
      {
        operator: '102',
        queue: 'support',
        rang_at: '2026-11-21T04:21:49.974Z',
        ring_sec: 2.006,
        outcome: 'canceled',
      }, // #33 CHAN_START PJSIP/102-00000002 (AppQueue) -> #40 HANGUP cause 26
      {
        operator: '103',
        queue: 'support',
        rang_at: '2026-11-21T04:21:49.977Z',
        ring_sec: 2.004,
        outcome: 'canceled',
      }, // #35 CHAN_START PJSIP/103-00000003 (AppQueue) -> #42 HANGUP cause 26
    ],
    transfers: [],
    segments: [
      { operator: '101', talk_sec: 9.99, hold_sec: 0.0 }, // connected #45 -> #46 (9.990 s; enters #44/#45, exits #47/#46)
    ],
    recording_path: '/var/spool/asterisk/monitor/20261121-042148-in-1795234908.0.wav', // #12 APP_START MixMonitor
  },
];
