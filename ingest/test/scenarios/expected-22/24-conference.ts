import type { ExpectedCall } from '../expected/expected-call.ts';
/**
 * Asterisk 22: 103 alone in ConfBridge room 801; then a support queue call answered by 101 and
 * moved into room 800 (REFER), which 101 and 102 then dial into.
 */
// Hand-derived from what the SIP peers did (README.md of fixtures/asterisk/scenarios-22/24-conference)
// and the times of its cel.csv (row ids = cel.id), before running the reconciler. ConfBridge does
// not pass linkedids on: 101's (#66) and 102's (#73) calls into room 800 keep their own, and are
// the caller's call because they were in the room with the caller.
export const expected: ExpectedCall[] = [
  {
    linkedid: 'pbx1-1796684655.0',
    direction: 'internal', // an operator into a conference room: not an outbound call
    status: 'answered', // reached the room (not a failure), alone in it
    started_at: '2026-12-07T23:04:15.291Z', // #1 CHAN_START PJSIP/103-00000000
    answered_at: '2026-12-07T23:04:15.795Z', // #7 BRIDGE_ENTER into room 801
    ended_at: '2026-12-07T23:04:18.355Z', // #12 CHAN_END
    duration_sec: 3.064, // #1 -> #12
    wait_sec: 0.505, // #1 -> #7
    queue_wait_sec: null,
    talk_sec: 0, // nobody else in the room
    hold_sec: 0, // music on hold while alone is no hold of a conversation
    src_number: '103',
    dst_number: '801',
    did: null,
    queue: null,
    operator: '103',
    attempts: [],
    transfers: [],
    segments: [],
    recording_path: null, // rooms are not recorded by the dialplan
    ivr_choice: null, // an operator's call into the room: no menu
  },
  {
    linkedid: 'pbx1-1796684660.3',
    direction: 'inbound', // the caller's call keeps its direction in the room
    status: 'answered', // caller bridged with 101 (#53/#54)
    started_at: '2026-12-07T23:04:20.305Z', // #14 CHAN_START PJSIP/trunk-00000001
    answered_at: '2026-12-07T23:04:23.517Z', // #54 BRIDGE_ENTER caller (later of #53/#54)
    ended_at: '2026-12-07T23:04:45.421Z', // #94 CHAN_END 102's room call, the call's last channel
    duration_sec: 25.116, // #14 -> #94
    wait_sec: 3.212, // #14 -> #54
    queue_wait_sec: 1.516, // #47 APP_START Queue -> #54
    // with 101 (queue leg): #54 -> #55 = 4.002 s; in room 800 with 101 (#72) from 30.727638 and with
    // 102 (#78) from 33.901555 until the caller leaves (#79, 41.850234): 11.123 s counted once.
    talk_sec: 15.125,
    hold_sec: 0, // MOH #64..#71 while alone in the room is before anyone joined
    src_number: '79161234584',
    dst_number: '74951234567',
    did: '74951234567',
    queue: 'support',
    operator: '102', // the last operator to join the caller
    attempts: [
      {
        operator: '101',
        queue: 'support',
        rang_at: '2026-12-07T23:04:22.002Z', // #49
        ring_sec: 1.511, // #49 -> #51 ANSWER
        outcome: 'answered',
      },
      // 101's and 102's calls into the room were not rung: no attempts
    ],
    transfers: [{ kind: 'blind', from_operator: '101', to: '800', at: '2026-12-07T23:04:27.524Z' }], // #61
    segments: [
      { operator: '101', talk_sec: 4.002, hold_sec: 0 }, // queue leg #49
      { operator: '101', talk_sec: 11.123, hold_sec: 0 }, // 101's room call #66: #72 -> #79
      { operator: '102', talk_sec: 7.949, hold_sec: 0 }, // 102's room call #73: #78 -> #79
    ],
    recording_path:
      '/tmp/pbx-lab-G3lyjw/pbx1/spool/monitor/2026/12/07/20261207-230420-in-pbx1-1796684660.3.wav', // #25
    ivr_choice: '3', // #41 DTMF digit 3 in WaitExten of ivr-main; #43 APP_START Goto at exten 3, same context
  },
];
