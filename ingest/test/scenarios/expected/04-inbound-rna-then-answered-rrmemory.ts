import type { ExpectedCall } from './expected-call.ts';
/** Inbound -> IVR digit 2 -> queue sales (rrmemory): 102 rings 5 s without answer, then 103 answers after 2 s -> ~11 s talk -> caller hangs up. */
// Hand-derived from cel.csv (row ids = cel.id) and README.md of fixtures/asterisk/scenarios/04-inbound-rna-then-answered-rrmemory.
export const expected: ExpectedCall[] = [
  {
    // 102: cause 0 after 5 s = member timeout (queue_log RINGNOANSWER [Operator 102] 5000)
    linkedid: '1795234985.12',
    direction: 'inbound',
    status: 'answered', // caller bridged with 103 (#195)
    started_at: '2026-11-21T04:23:05.161Z', // #155 CHAN_START PJSIP/trunk-0000000c
    answered_at: '2026-11-21T04:23:14.188Z', // #195 BRIDGE_ENTER (later of #194/#195): first connected interval
    ended_at: '2026-11-21T04:23:25.179Z', // #202 CHAN_END PJSIP/103-0000000e (last CHAN_END of the call)
    duration_sec: 20.018, // #155 -> #202
    wait_sec: 9.027, // #155 -> #195
    queue_wait_sec: 8.014, // #184 APP_START Queue -> #195
    talk_sec: 10.99, // connected 10.990 s (see segments) minus hold
    hold_sec: 0.0,
    src_number: '79161234570', // cid_num of #155
    dst_number: '74951234567', // exten of #155
    did: '74951234567',
    queue: 'sales', // appdata of #184
    operator: '103', // only segment
    attempts: [
      {
        operator: '102',
        queue: 'sales',
        rang_at: '2026-11-21T04:23:06.175Z',
        ring_sec: 5.002,
        outcome: 'no_answer',
      }, // #186 CHAN_START PJSIP/102-0000000d (AppQueue) -> #188 HANGUP cause 0
      {
        operator: '103',
        queue: 'sales',
        rang_at: '2026-11-21T04:23:12.177Z',
        ring_sec: 2.007,
        outcome: 'answered',
      }, // #190 CHAN_START PJSIP/103-0000000e (AppQueue) -> #192 ANSWER
    ],
    transfers: [],
    segments: [
      { operator: '103', talk_sec: 10.99, hold_sec: 0.0 }, // connected #195 -> #196 (10.990 s; enters #194/#195, exits #200/#196)
    ],
    recording_path: '/var/spool/asterisk/monitor/20261121-042305-in-1795234985.12.wav', // #166 APP_START MixMonitor
  },
];
