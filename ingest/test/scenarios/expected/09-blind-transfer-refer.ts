import type { ExpectedCall } from './expected-call.ts';
/** Blind transfer by SIP REFER: queue call answered by 101; 101 transfers to 102; 102 answers; talk; caller hangs up. */
// Hand-derived from cel.csv (row ids = cel.id) and README.md of fixtures/asterisk/scenarios/09-blind-transfer-refer.
export const expected: ExpectedCall[] = [
  {
    // #481..#495 (~3 s) the caller is in Dial(PJSIP/102) ringing, not in a bridge: counted in no segment (not talk, not hold).
    linkedid: '1795235183.36',
    direction: 'inbound',
    status: 'answered', // caller bridged with 101 (#479) and later with 102 (#495)
    started_at: '2026-11-21T04:26:23.729Z', // #435 CHAN_START PJSIP/trunk-00000024
    answered_at: '2026-11-21T04:26:26.751Z', // #479 BRIDGE_ENTER (later of #478/#479): first connected interval
    ended_at: '2026-11-21T04:26:44.742Z', // #502 CHAN_END PJSIP/trunk-00000024 (last CHAN_END of the call)
    duration_sec: 21.013, // #435 -> #502
    wait_sec: 3.022, // #435 -> #479
    queue_wait_sec: 2.014, // #464 APP_START Queue -> #479
    talk_sec: 14.977, // connected 14.977 s (see segments) minus hold
    hold_sec: 0.0,
    src_number: '79161234572', // cid_num of #435
    dst_number: '74951234567', // exten of #435
    did: '74951234567',
    queue: 'support', // appdata of #464
    operator: '102', // operator of the last segment
    attempts: [
      {
        operator: '101',
        queue: 'support',
        rang_at: '2026-11-21T04:26:24.739Z',
        ring_sec: 2.01,
        outcome: 'answered',
      }, // #466 CHAN_START PJSIP/101-00000025 (AppQueue) -> #472 ANSWER
      {
        operator: '102',
        queue: 'support',
        rang_at: '2026-11-21T04:26:24.741Z',
        ring_sec: 2.009,
        outcome: 'canceled',
      }, // #467 CHAN_START PJSIP/102-00000026 (AppQueue) -> #474 HANGUP cause 26
      {
        operator: '103',
        queue: 'support',
        rang_at: '2026-11-21T04:26:24.743Z',
        ring_sec: 2.008,
        outcome: 'canceled',
      }, // #470 CHAN_START PJSIP/103-00000027 (AppQueue) -> #476 HANGUP cause 26
      {
        operator: '102',
        queue: null,
        rang_at: '2026-11-21T04:26:31.757Z',
        ring_sec: 3.009,
        outcome: 'answered',
      }, // #491 CHAN_START PJSIP/102-00000028 (AppDial) -> #493 ANSWER
    ],
    transfers: [
      { kind: 'blind', from_operator: '101', to: '102', at: '2026-11-21T04:26:31.754Z' }, // #480 BLINDTRANSFER on PJSIP/101-00000025, extra.extension = 102
    ],
    segments: [
      { operator: '101', talk_sec: 5.004, hold_sec: 0.0 }, // connected #479 -> #481 (5.004 s; enters #478/#479, exits #488/#481)
      { operator: '102', talk_sec: 9.974, hold_sec: 0.0 }, // connected #495 -> #496 (9.974 s; enters #494/#495, exits #497/#496)
    ],
    recording_path: '/var/spool/asterisk/monitor/20261121-042623-in-1795235183.36.wav', // #446 APP_START MixMonitor
  },
];
