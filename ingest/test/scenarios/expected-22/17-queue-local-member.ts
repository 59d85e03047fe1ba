import type { ExpectedCall } from '../expected/expected-call.ts';
/**
 * Asterisk 22: support queue call answered by 103, whose queue member is the Local channel
 * Local/103@queue-member/n (a call-back login): the queue rings ;1, ;2 dials PJSIP/103.
 */
// Hand-derived from what the SIP peers did (README.md of fixtures/asterisk/scenarios-22/17-queue-local-member)
// and the times of its cel.csv (row ids = cel.id), before running the reconciler.
export const expected: ExpectedCall[] = [
  {
    linkedid: 'pbx1-1796685159.0',
    direction: 'inbound',
    status: 'answered', // caller bridged with Local ;1 (#49), whose ;2 is bridged with PJSIP/103 (#45/#47)
    started_at: '2026-12-07T23:12:39.253Z', // #1
    answered_at: '2026-12-07T23:12:42.947Z', // #49 BRIDGE_ENTER of the caller (the last of #45/#47/#48/#49)
    ended_at: '2026-12-07T23:12:52.796Z', // #63 CHAN_END PJSIP/103-00000001
    duration_sec: 13.543, // #1 -> #63
    wait_sec: 3.694, // #1 -> #49
    queue_wait_sec: 2.018, // #34 APP_START Queue -> #49
    talk_sec: 9.846, // #49 -> #50 caller's BRIDGE_EXIT
    hold_sec: 0,
    src_number: '79161234577',
    dst_number: '74951234567',
    did: '74951234567',
    queue: 'support',
    operator: '103', // the endpoint behind the Local member, never `Local/103@queue-member`
    attempts: [
      // #40 CHAN_START PJSIP/103 (dialled by the Local ;2, whose ;1 the queue rang: #38 AppQueue) -> #42 ANSWER
      {
        operator: '103',
        queue: 'support',
        rang_at: '2026-12-07T23:12:40.932Z',
        ring_sec: 2.012,
        outcome: 'answered',
      },
    ],
    transfers: [],
    segments: [{ operator: '103', talk_sec: 9.846, hold_sec: 0 }],
    recording_path:
      '/tmp/pbx-lab-MFOIjx/pbx1/spool/monitor/2026/12/07/20261207-231239-in-pbx1-1796685159.0.wav', // #12
    ivr_choice: '3', // #28 DTMF digit 3 in WaitExten of ivr-main; #30 APP_START Goto at exten 3, same context
  },
];
