import type { ExpectedCall } from './expected-call.ts';
/** Hold/resume: 101 answers the queue call, puts the caller on hold (MOH) for ~6 s, resumes, talks; caller hangs up. */
// Hand-derived from cel.csv (row ids = cel.id) and README.md of fixtures/asterisk/scenarios/11-hold-resume.
export const expected: ExpectedCall[] = [
  {
    // queue MOH #534..#544 is before the bridge: not hold.
    linkedid: '1795235235.41',
    direction: 'inbound',
    status: 'answered', // caller bridged with 101 (#548)
    started_at: '2026-11-21T04:27:15.365Z', // #504 CHAN_START PJSIP/trunk-00000029
    answered_at: '2026-11-21T04:27:18.384Z', // #548 BRIDGE_ENTER (later of #547/#548): first connected interval
    ended_at: '2026-11-21T04:27:34.379Z', // #557 CHAN_END PJSIP/101-0000002a (last CHAN_END of the call)
    duration_sec: 19.014, // #504 -> #557
    wait_sec: 3.019, // #504 -> #548
    queue_wait_sec: 2.012, // #533 APP_START Queue -> #548
    talk_sec: 9.986, // connected 15.993 s (see segments) minus hold
    hold_sec: 6.007, // MOH #549..#550
    src_number: '79161234573', // cid_num of #504
    dst_number: '74951234567', // exten of #504
    did: '74951234567',
    queue: 'support', // appdata of #533
    operator: '101', // only segment
    attempts: [
      {
        operator: '101',
        queue: 'support',
        rang_at: '2026-11-21T04:27:16.374Z',
        ring_sec: 2.007,
        outcome: 'answered',
      }, // #535 CHAN_START PJSIP/101-0000002a (AppQueue) -> #541 ANSWER
      {
        operator: '102',
        queue: 'support',
        rang_at: '2026-11-21T04:27:16.376Z',
        ring_sec: 2.006,
        outcome: 'canceled',
      }, // #536 CHAN_START PJSIP/102-0000002b (AppQueue) -> #542 HANGUP cause 26
      {
        operator: '103',
        queue: 'support',
        rang_at: '2026-11-21T04:27:16.379Z',
        ring_sec: 2.005,
        outcome: 'canceled',
      }, // #538 CHAN_START PJSIP/103-0000002c (AppQueue) -> #545 HANGUP cause 26
    ],
    transfers: [],
    segments: [
      { operator: '101', talk_sec: 9.986, hold_sec: 6.007 }, // connected #548 -> #551 (15.993 s; enters #547/#548, exits #552/#551) minus MOH #549..#550
    ],
    recording_path: '/var/spool/asterisk/monitor/20261121-042715-in-1795235235.41.wav', // #515 APP_START MixMonitor
  },
];
