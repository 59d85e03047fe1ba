import type { ExpectedCall } from '../expected/expected-call.ts';
/**
 * Asterisk 22: support queue call answered by 101, who presses *2 and dials 5003 (the sales queue's
 * number); Asterisk's Local/5003@operators ;2 half enters Queue(sales), where 102 answers; 101 hangs
 * up to complete the transfer; the caller talks with 102 and hangs up. 103 is not registered.
 */
// Hand-derived from what the SIP peers did (README.md of fixtures/asterisk/scenarios-22/16-attended-transfer-dtmf-into-queue)
// and the times of its cel.csv (row ids = cel.id), before running the reconciler. This capture's
// uniqueids carry no system name.
// From *2 (#49 MOH on the caller) until the caller is bridged with the Local pair (#76) the caller
// waits on music on hold in the bridge 101 left to consult (#63): hold by 101.
export const expected: ExpectedCall[] = [
  {
    linkedid: '1796684167.0',
    direction: 'inbound',
    status: 'answered', // caller bridged with 101 (#45), later with 102 through the Local pair (#76, #73)
    started_at: '2026-12-07T22:56:07.482Z', // #1 CHAN_START PJSIP/trunk-00000000
    answered_at: '2026-12-07T22:56:10.147Z', // #45 BRIDGE_ENTER (later of #44/#45)
    ended_at: '2026-12-07T22:56:34.023Z', // #96 CHAN_END PJSIP/102-00000003
    duration_sec: 26.541, // #1 -> #96
    wait_sec: 2.665, // #1 -> #45
    queue_wait_sec: 1.013, // #34 APP_START Queue(support) -> #45
    talk_sec: 13.697, // 4.547 with 101 (#45 -> #49) + 9.150 with 102 (#76 -> #83)
    hold_sec: 10.176, // #49 STREAM_BEGIN MOH on the caller -> #76 the Local pair joins
    src_number: '79161234576',
    dst_number: '74951234567',
    did: '74951234567',
    queue: 'support',
    operator: '102',
    attempts: [
      {
        operator: '101',
        queue: 'support',
        rang_at: '2026-12-07T22:56:09.136Z',
        ring_sec: 1.007,
        outcome: 'answered',
      }, // #36 -> #40
      {
        operator: '102',
        queue: 'support',
        rang_at: '2026-12-07T22:56:09.138Z',
        ring_sec: 1.006,
        outcome: 'canceled',
      }, // #37 -> #42 cause 26
      {
        operator: '102',
        queue: 'sales',
        rang_at: '2026-12-07T22:56:17.854Z',
        ring_sec: 3.011,
        outcome: 'answered',
      }, // #66 (AppQueue of the Local ;2's Queue(sales)) -> #68
    ],
    // #78 ATTENDEDTRANSFER: target Local/5003@operators-00000000;1, whose ;2 entered Queue(sales) (#61):
    // the target is the queue, never `s`, `5003@operators` or the Local channel.
    transfers: [{ kind: 'attended', from_operator: '101', to: 'sales', at: '2026-12-07T22:56:24.870Z' }],
    segments: [
      { operator: '101', talk_sec: 4.547, hold_sec: 10.176 }, // #45 -> #76 (hold #49 -> #76)
      { operator: '102', talk_sec: 9.15, hold_sec: 0 }, // #76 -> #83
    ],
    recording_path: '/tmp/pbx-lab-tlRM66/pbx1/spool/monitor/2026/12/07/20261207-225607-in-1796684167.0.wav', // #12
    ivr_choice: '3', // #28 DTMF digit 3 in WaitExten of ivr-main; #30 APP_START Goto at exten 3, same context
  },
];
