import type { ExpectedCall } from './expected-call.ts';
/** Attended transfer by SIP REFER/Replaces: 101 answers, holds the caller, consults 102 on a new call, then transfers; caller and 102 talk; caller hangs up. */
// Hand-derived from cel.csv (row ids = cel.id) and README.md of fixtures/asterisk/scenarios/10-attended-transfer-refer-replaces.
export const expected: ExpectedCall[] = [
  {
    // ONE call over two linkedids: PJSIP/102-00000050 (uniqueid 1795235384.80) has rows under 1795235384.79 (#1466..#1473) and 1795235377.75 (#1475..#1487).
    // linkedid = that of the first channel (trunk, #1404). The consultation channel PJSIP/101-0000004f (#1450) is 101 originating: no attempt, and never in the caller's bridge.
    // Hold: caller MOH #1449..#1472 lies inside the 101 stretch (ends before 101 leaves at #1474).
    linkedid: '1795235377.75',
    direction: 'inbound',
    status: 'answered', // caller bridged with 101 (#1448) and then with 102 (#1475)
    started_at: '2026-11-21T04:29:37.685Z', // #1404 CHAN_START PJSIP/trunk-0000004b
    answered_at: '2026-11-21T04:29:40.714Z', // #1448 BRIDGE_ENTER (later of #1447/#1448): first connected interval
    ended_at: '2026-11-21T04:30:03.704Z', // #1490 CHAN_END PJSIP/trunk-0000004b (last CHAN_END of the call)
    duration_sec: 26.019, // #1404 -> #1490
    wait_sec: 3.029, // #1404 -> #1448
    queue_wait_sec: 2.017, // #1433 APP_START Queue -> #1448
    talk_sec: 14.958, // connected 22.986 s (see segments) minus hold
    hold_sec: 8.029, // MOH #1449..#1472
    src_number: '79161234574', // cid_num of #1404
    dst_number: '74951234567', // exten of #1404
    did: '74951234567',
    queue: 'support', // appdata of #1433
    operator: '102', // operator of the last segment
    attempts: [
      {
        operator: '101',
        queue: 'support',
        rang_at: '2026-11-21T04:29:38.698Z',
        ring_sec: 2.01,
        outcome: 'answered',
      }, // #1435 CHAN_START PJSIP/101-0000004c (AppQueue) -> #1441 ANSWER
      {
        operator: '102',
        queue: 'support',
        rang_at: '2026-11-21T04:29:38.703Z',
        ring_sec: 2.008,
        outcome: 'canceled',
      }, // #1436 CHAN_START PJSIP/102-0000004d (AppQueue) -> #1443 HANGUP cause 26
      {
        operator: '103',
        queue: 'support',
        rang_at: '2026-11-21T04:29:38.703Z',
        ring_sec: 2.008,
        outcome: 'canceled',
      }, // #1437 CHAN_START PJSIP/103-0000004e (AppQueue) -> #1445 HANGUP cause 26
      {
        operator: '102',
        queue: null,
        rang_at: '2026-11-21T04:29:44.723Z',
        ring_sec: 3.013,
        outcome: 'answered',
      }, // #1466 CHAN_START PJSIP/102-00000050 (AppDial) -> #1468 ANSWER
    ],
    transfers: [
      { kind: 'attended', from_operator: '101', to: '102', at: '2026-11-21T04:29:52.746Z' }, // #1476 ATTENDEDTRANSFER on PJSIP/101-0000004c, transfer_target_channel_name PJSIP/102-00000050
    ],
    segments: [
      { operator: '101', talk_sec: 4.002, hold_sec: 8.029 }, // connected #1448 -> #1474 (12.031 s; enters #1447/#1448, exits #1474/#1484) minus MOH #1449..#1472
      { operator: '102', talk_sec: 10.956, hold_sec: 0.0 }, // connected #1475 -> #1484 (10.956 s; enters #1475/#1448, exits #1485/#1484)
    ],
    recording_path: '/var/spool/asterisk/monitor/20261121-042937-in-1795235377.75.wav', // #1415 APP_START MixMonitor
  },
];
