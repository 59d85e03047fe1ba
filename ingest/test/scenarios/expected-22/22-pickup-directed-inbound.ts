import type { ExpectedCall } from '../expected/expected-call.ts';
/** Asterisk 22: support queue call ringing 101 and 102, picked up by 103 dialling **102 (directed pickup). */
// Hand-derived from what the SIP peers did (README.md of fixtures/asterisk/scenarios-22/22-pickup-directed-inbound)
// and the times of its cel.csv (row ids = cel.id), before running the reconciler. 103's channel
// (#40, PickupChan #41) takes 102's ringing queue leg (#45 PICKUP on 102's leg naming it; #44
// AppQueue on 103's channel): the queue call is answered by 103.
export const expected: ExpectedCall[] = [
  {
    linkedid: 'pbx1-1796684356.0',
    direction: 'inbound',
    status: 'answered', // caller bridged with 103 (#52/#54)
    started_at: '2026-12-07T22:59:16.271Z', // #1 CHAN_START PJSIP/trunk-00000000
    answered_at: '2026-12-07T22:59:21.796Z', // #54 BRIDGE_ENTER caller (later of #52/#54)
    ended_at: '2026-12-07T22:59:31.832Z', // #61 CHAN_END caller
    duration_sec: 15.561, // #1 -> #61
    wait_sec: 5.525, // #1 -> #54
    queue_wait_sec: 3.833, // #34 APP_START Queue -> #54
    talk_sec: 10.035, // #54 -> #55 (the caller hangs up 14 s after pressing 3)
    hold_sec: 0, // MOH #35..#46 is in the queue, before the bridge
    src_number: '79161234582',
    dst_number: '74951234567',
    did: '74951234567',
    queue: 'support',
    operator: '103',
    attempts: [
      {
        operator: '101',
        queue: 'support',
        rang_at: '2026-12-07T22:59:17.965Z', // #36
        ring_sec: 3.826, // #36 -> #47 cause 26
        outcome: 'canceled',
      },
      {
        operator: '102',
        queue: 'support',
        rang_at: '2026-12-07T22:59:17.969Z', // #37
        ring_sec: 3.825, // #37 -> #50, after #45 PICKUP
        outcome: 'canceled', // picked up by 103: not 102's miss
      },
      {
        operator: '103',
        queue: 'support', // took the queue's leg to 102
        rang_at: '2026-12-07T22:59:21.283Z', // #40: 103 dialled **102
        ring_sec: 0.003, // #40 -> #42 ANSWER
        outcome: 'answered',
      },
    ],
    transfers: [],
    segments: [{ operator: '103', talk_sec: 10.035, hold_sec: 0 }],
    recording_path:
      '/tmp/pbx-lab-J0PsVz/pbx1/spool/monitor/2026/12/07/20261207-225916-in-pbx1-1796684356.0.wav', // #12
    ivr_choice: '3', // #28 DTMF digit 3 in WaitExten of ivr-main; #30 APP_START Goto at exten 3, same context
  },
];
