import type { ExpectedCall } from './expected-call.ts';
/** Inbound -> queue support, all three members ring 5 s without answer, caller abandons ~7 s after entering the queue. */
// Hand-derived from cel.csv (row ids = cel.id) and README.md of fixtures/asterisk/scenarios/03-inbound-abandoned-in-queue.
export const expected: ExpectedCall[] = [
  {
    // attempts: cause 0 after the 5 s member timeout = ring-no-answer (queue_log RINGNOANSWER x3, 5000 ms)
    linkedid: '1795234962.8',
    direction: 'inbound',
    status: 'abandoned', // caller hung up (#152 source = caller) while waiting in the queue; queue_log ABANDON|1|1|7
    started_at: '2026-11-21T04:22:42.714Z', // #107 CHAN_START PJSIP/trunk-00000008
    answered_at: null, // never in a bridge with another channel
    ended_at: '2026-11-21T04:22:50.731Z', // #153 CHAN_END PJSIP/trunk-00000008 (last CHAN_END of the call)
    duration_sec: 8.017, // #107 -> #153
    wait_sec: 8.017, // never answered: #107 -> #153
    queue_wait_sec: 7.006, // #136 APP_START Queue -> #151 APP_END Queue
    talk_sec: 0,
    hold_sec: 0,
    src_number: '79161234569', // cid_num of #107
    dst_number: '74951234567', // exten of #107
    did: '74951234567',
    queue: 'support', // appdata of #136
    operator: null,
    attempts: [
      {
        operator: '101',
        queue: 'support',
        rang_at: '2026-11-21T04:22:43.727Z',
        ring_sec: 5.011,
        outcome: 'no_answer',
      }, // #138 CHAN_START PJSIP/101-00000009 (AppQueue) -> #148 HANGUP cause 0
      {
        operator: '102',
        queue: 'support',
        rang_at: '2026-11-21T04:22:43.729Z',
        ring_sec: 5.008,
        outcome: 'no_answer',
      }, // #139 CHAN_START PJSIP/102-0000000a (AppQueue) -> #144 HANGUP cause 0
      {
        operator: '103',
        queue: 'support',
        rang_at: '2026-11-21T04:22:43.733Z',
        ring_sec: 5.004,
        outcome: 'no_answer',
      }, // #141 CHAN_START PJSIP/103-0000000b (AppQueue) -> #146 HANGUP cause 0
    ],
    transfers: [],
    segments: [],
    recording_path: '/var/spool/asterisk/monitor/20261121-042242-in-1795234962.8.wav', // #118 APP_START MixMonitor
  },
];
