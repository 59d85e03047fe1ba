import type { ExpectedCall } from '../expected/expected-call.ts';
/** Asterisk 22: support queue call answered by 101, parked by REFER to 700, taken back by 102 dialling 701. */
// Hand-derived from what the SIP peers did (README.md of fixtures/asterisk/scenarios-22/23-park-unpark)
// and the times of its cel.csv (row ids = cel.id), before running the reconciler. 102's channel
// (#56, ParkedCall #57) starts its own linkedid and carries the caller's once bridged (#64): one call.
export const expected: ExpectedCall[] = [
  {
    linkedid: 'pbx1-1796684805.0',
    direction: 'inbound',
    status: 'answered', // caller bridged with 101 (#40/#41)
    started_at: '2026-12-07T23:06:45.426Z', // #1 CHAN_START PJSIP/trunk-00000000
    answered_at: '2026-12-07T23:06:48.703Z', // #41 BRIDGE_ENTER caller (later of #40/#41)
    ended_at: '2026-12-07T23:07:06.982Z', // #72 CHAN_END caller
    duration_sec: 21.556, // #1 -> #72
    wait_sec: 3.277, // #1 -> #41
    queue_wait_sec: 1.597, // #34 APP_START Queue -> #41
    // with 101: #41 -> #43 (4.010 s, the REFER came 4 s after the answer); with 102: #64 -> #65 (9.466 s)
    talk_sec: 13.476,
    hold_sec: 4.8, // parked: #44 PARK_START -> #60 PARK_END (4.800 s); no music on hold while bridged
    src_number: '79161234583',
    dst_number: '74951234567',
    did: '74951234567',
    queue: 'support',
    operator: '102', // who ended up with the caller
    attempts: [
      {
        operator: '101',
        queue: 'support',
        rang_at: '2026-12-07T23:06:47.108Z', // #36
        ring_sec: 1.592, // #36 -> #38 ANSWER
        outcome: 'answered',
      },
      // 102 was never rung: it dialled the slot itself (#56)
    ],
    transfers: [{ kind: 'blind', from_operator: '101', to: '700', at: '2026-12-07T23:06:52.712Z' }], // #42
    segments: [
      { operator: '101', talk_sec: 4.01, hold_sec: 4.8 }, // 101 parked the caller (#44 parker_dial_string PJSIP/101)
      { operator: '102', talk_sec: 9.466, hold_sec: 0 },
    ],
    recording_path:
      '/tmp/pbx-lab-0RSDM3/pbx1/spool/monitor/2026/12/07/20261207-230645-in-pbx1-1796684805.0.wav', // #12
    ivr_choice: '3', // #28 DTMF digit 3 in WaitExten of ivr-main; #30 APP_START Goto at exten 3, same context
  },
];
