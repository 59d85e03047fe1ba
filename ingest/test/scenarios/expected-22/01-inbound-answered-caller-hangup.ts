import type { ExpectedCall } from '../expected/expected-call.ts';
/** Asterisk 22: IVR digit 3 → support (ring-all); 101 answers after 2 s, 102/103 cancelled; the caller hangs up. */
// Hand-derived from what the SIP peers did (README.md of fixtures/asterisk/scenarios-22/01-inbound-answered-caller-hangup)
// and the times of its cel.csv (row ids = cel.id), before running the reconciler.
export const expected: ExpectedCall[] = [
  {
    linkedid: 'pbx1-1796675321.0',
    direction: 'inbound',
    status: 'answered', // caller bridged with 101 (#49)
    started_at: '2026-12-07T20:28:41.994Z', // #1 CHAN_START PJSIP/trunk-00000000
    answered_at: '2026-12-07T20:28:45.676Z', // #49 BRIDGE_ENTER (later of #46/#49)
    ended_at: '2026-12-07T20:28:55.527Z', // #56 CHAN_END PJSIP/trunk-00000000 (last CHAN_END)
    duration_sec: 13.534, // #1 -> #56
    wait_sec: 3.682, // #1 -> #49
    queue_wait_sec: 2.016, // #34 APP_START Queue -> #49
    talk_sec: 9.849, // connected #49 -> #50 (first BRIDGE_EXIT)
    hold_sec: 0,
    src_number: '79161234567', // the caller (cid_num of #1)
    dst_number: '74951234567', // exten of #1
    did: '74951234567',
    queue: 'support', // appdata of #34
    operator: '101',
    attempts: [
      {
        operator: '101',
        queue: 'support',
        rang_at: '2026-12-07T20:28:43.663Z',
        ring_sec: 2.01,
        outcome: 'answered',
      }, // #36 CHAN_START -> #42 ANSWER
      {
        operator: '102',
        queue: 'support',
        rang_at: '2026-12-07T20:28:43.665Z',
        ring_sec: 2.009,
        outcome: 'canceled',
      }, // #37 -> #44 HANGUP cause 26
      {
        operator: '103',
        queue: 'support',
        rang_at: '2026-12-07T20:28:43.667Z',
        ring_sec: 2.008,
        outcome: 'canceled',
      }, // #39 -> #47 HANGUP cause 26
    ],
    transfers: [],
    segments: [{ operator: '101', talk_sec: 9.849, hold_sec: 0 }], // #49 -> #50
    // #12 APP_START MixMonitor (the lab's monitor directory; options ",b" cut)
    recording_path:
      '/tmp/pbx-lab-9HWSOh/pbx1/spool/monitor/2026/12/07/20261207-202841-in-pbx1-1796675321.0.wav',
    ivr_choice: '3', // #28 DTMF digit 3 in WaitExten of ivr-main; #30 APP_START Goto at exten 3, same context
  },
];
