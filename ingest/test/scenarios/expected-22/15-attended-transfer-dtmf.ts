import type { ExpectedCall } from '../expected/expected-call.ts';
/**
 * Asterisk 22: support queue call answered by 101, who presses *2 (features.conf atxfer) and dials
 * 102; Asterisk reaches 102 through Local/102@operators (;1 joins 101's consultation bridge, ;2
 * dials PJSIP/102); 101 hangs up to complete the transfer; the caller talks with 102 and hangs up.
 */
// Hand-derived from what the SIP peers did (README.md of fixtures/asterisk/scenarios-22/15-attended-transfer-dtmf)
// and the times of its cel.csv (row ids = cel.id), before running the reconciler.
// From *2 (#53 MOH on the caller) until the transfer completes (#85/#86) the caller waits on music
// on hold in the bridge 101 left to consult (#76): hold by 101, not talk, not a gap.
export const expected: ExpectedCall[] = [
  {
    linkedid: 'pbx1-1796684028.0',
    direction: 'inbound',
    status: 'answered', // caller bridged with 101 (#45), later with 102 through the Local pair (#86)
    started_at: '2026-12-07T22:53:48.300Z', // #1 CHAN_START PJSIP/trunk-00000000
    answered_at: '2026-12-07T22:53:51.040Z', // #45 BRIDGE_ENTER (later of #44/#45)
    ended_at: '2026-12-07T22:54:14.887Z', // #105 CHAN_END PJSIP/trunk-00000000
    duration_sec: 26.587, // #1 -> #105
    wait_sec: 2.74, // #1 -> #45
    queue_wait_sec: 1.031, // #34 APP_START Queue -> #45
    talk_sec: 15.113, // 4.549 with 101 (#45 -> #53) + 10.564 with 102 (#86 -> #92)
    hold_sec: 8.733, // #53 STREAM_BEGIN MOH on the caller -> #85 STREAM_END
    src_number: '79161234575',
    dst_number: '74951234567',
    did: '74951234567',
    queue: 'support',
    operator: '102', // the last segment's operator
    attempts: [
      {
        operator: '101',
        queue: 'support',
        rang_at: '2026-12-07T22:53:50.012Z',
        ring_sec: 1.024,
        outcome: 'answered',
      }, // #36 -> #42 ANSWER
      {
        operator: '102',
        queue: 'support',
        rang_at: '2026-12-07T22:53:50.014Z',
        ring_sec: 1.026,
        outcome: 'canceled',
      }, // #37 -> #46 cause 26
      {
        operator: '103',
        queue: 'support',
        rang_at: '2026-12-07T22:53:50.016Z',
        ring_sec: 1.025,
        outcome: 'canceled',
      }, // #38 -> #48 cause 26
      {
        operator: '102',
        queue: null,
        rang_at: '2026-12-07T22:53:58.306Z',
        ring_sec: 3.016,
        outcome: 'answered',
      }, // #74 CHAN_START (Dial of Local ;2) -> #78 ANSWER
    ],
    // #87 ATTENDEDTRANSFER: target Local/102@operators-00000000;1, whose ;2 dialled PJSIP/102 — the
    // target is operator 102, never `s` (the transferer's own exten) nor the Local channel.
    transfers: [{ kind: 'attended', from_operator: '101', to: '102', at: '2026-12-07T22:54:04.323Z' }],
    segments: [
      { operator: '101', talk_sec: 4.549, hold_sec: 8.733 }, // #45 -> #85 (hold #53 -> #85)
      { operator: '102', talk_sec: 10.564, hold_sec: 0 }, // #86 -> #92
    ],
    recording_path:
      '/tmp/pbx-lab-otOJlG/pbx1/spool/monitor/2026/12/07/20261207-225348-in-pbx1-1796684028.0.wav', // #12
    ivr_choice: '3', // #28 DTMF digit 3 in WaitExten of ivr-main; #30 APP_START Goto at exten 3, same context
  },
];
