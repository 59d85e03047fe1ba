import type { ExpectedCall } from '../expected/expected-call.ts';
/** Asterisk 22: support queue call answered by 101, blind-transferred to 102 with REFER; 102 answers; the caller hangs up. */
// Hand-derived from what the SIP peers did (README.md of fixtures/asterisk/scenarios-22/09-blind-transfer-refer)
// and the times of its cel.csv (row ids = cel.id), before running the reconciler.
export const expected: ExpectedCall[] = [
  {
    // #51..#79 the caller is out of a bridge (Dial ringing 102): in no segment.
    linkedid: 'pbx1-1796675590.0',
    direction: 'inbound',
    status: 'answered', // caller bridged with 101 (#49), later with 102 (#79)
    started_at: '2026-12-07T20:33:10.174Z', // #1 CHAN_START PJSIP/trunk-00000000
    answered_at: '2026-12-07T20:33:13.343Z', // #49 BRIDGE_ENTER (later of #48/#49)
    ended_at: '2026-12-07T20:33:31.753Z', // #86 CHAN_END PJSIP/trunk-00000000
    duration_sec: 21.579, // #1 -> #86
    wait_sec: 3.169, // #1 -> #49
    queue_wait_sec: 1.518, // #34 APP_START Queue -> #49
    talk_sec: 15.392, // 3.998 with 101 + 11.394 with 102
    hold_sec: 0,
    src_number: '79161234572', // cid_num of #1 (later rows read "unknown")
    dst_number: '74951234567',
    did: '74951234567',
    queue: 'support',
    operator: '102', // the last segment's operator
    attempts: [
      {
        operator: '101',
        queue: 'support',
        rang_at: '2026-12-07T20:33:11.826Z',
        ring_sec: 1.51,
        outcome: 'answered',
      }, // #36 -> #42 ANSWER
      {
        operator: '102',
        queue: 'support',
        rang_at: '2026-12-07T20:33:11.827Z',
        ring_sec: 1.511,
        outcome: 'canceled',
      }, // #37 -> #46 HANGUP cause 26
      {
        operator: '103',
        queue: 'support',
        rang_at: '2026-12-07T20:33:11.829Z',
        ring_sec: 1.508,
        outcome: 'canceled',
      }, // #39 -> #44 HANGUP cause 26
      {
        operator: '102',
        queue: null,
        rang_at: '2026-12-07T20:33:17.346Z',
        ring_sec: 3.008,
        outcome: 'answered',
      }, // #75 CHAN_START (AppDial) -> #77 ANSWER
    ],
    transfers: [{ kind: 'blind', from_operator: '101', to: '102', at: '2026-12-07T20:33:17.341Z' }], // #50 BLINDTRANSFER, extension 102
    segments: [
      { operator: '101', talk_sec: 3.998, hold_sec: 0 }, // #49 -> #51
      { operator: '102', talk_sec: 11.394, hold_sec: 0 }, // #79 -> #80
    ],
    recording_path:
      '/tmp/pbx-lab-aDYnbG/pbx1/spool/monitor/2026/12/07/20261207-203310-in-pbx1-1796675590.0.wav', // #12
    ivr_choice: '3', // #28 DTMF digit 3 in WaitExten of ivr-main; #30 APP_START Goto at exten 3, same context
  },
];
