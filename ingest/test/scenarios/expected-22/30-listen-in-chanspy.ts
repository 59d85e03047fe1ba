import type { ExpectedCall } from '../expected/expected-call.ts';
/**
 * Asterisk 22: a support queue call answered by 102; a supervisor listens in from desk phone 103
 * (ARI originate into [supervisor-listen], ChanSpy on 102's channel) until the caller hangs up.
 */
// Hand-derived from what the SIP peers did (README.md of fixtures/asterisk/scenarios-22/30-listen-in-chanspy)
// and the times of its cel.csv (row ids = cel.id), before running the reconciler. ChanSpy joins no
// bridge and shares no linkedid: the listening is a call of its own, and the queue call is as
// without it.
export const expected: ExpectedCall[] = [
  {
    linkedid: 'pbx1-1796695841.0',
    direction: 'inbound',
    status: 'answered', // caller bridged with 102 (#40/#41)
    started_at: '2026-12-08T02:10:41.254Z', // #1 CHAN_START PJSIP/trunk-00000000
    answered_at: '2026-12-08T02:10:44.426Z', // #41 BRIDGE_ENTER caller (later of #40/#41)
    ended_at: '2026-12-08T02:11:02.770Z', // #53 CHAN_END 102 (last CHAN_END of the call)
    duration_sec: 21.516, // #1 -> #53
    wait_sec: 3.173, // #1 -> #41
    queue_wait_sec: 1.521, // #34 APP_START Queue -> #41
    talk_sec: 18.343, // #41 -> #47 first BRIDGE_EXIT
    hold_sec: 0,
    src_number: '79161234590', // cid_num of #1
    dst_number: '74951234567', // exten of #1
    did: '74951234567',
    queue: 'support', // appdata of #34
    operator: '102',
    ended_at_stage: 'talk',
    attempts: [
      {
        operator: '102',
        queue: 'support',
        rang_at: '2026-12-08T02:10:42.907Z', // #36 CHAN_START PJSIP/102
        ring_sec: 1.518, // #36 -> #38 ANSWER
        outcome: 'answered',
      },
    ],
    transfers: [],
    segments: [{ operator: '102', talk_sec: 18.343, hold_sec: 0 }], // the listener is no party
    // #12 APP_START MixMonitor (the lab's monitor directory; options ",b" cut)
    recording_path:
      '/tmp/pbx-lab-NlKflk/pbx1/spool/monitor/2026/12/08/20261208-021041-in-pbx1-1796695841.0.wav',
    ivr_choice: '3', // #28 DTMF digit 3 in WaitExten of ivr-main; #30 APP_START Goto at exten 3, same context
  },
  {
    linkedid: 'pbx1-1796695849.2',
    direction: 'internal', // listening in: a service call, no outbound call
    status: 'answered', // the listening began (#46 APP_START ChanSpy), not a failure
    started_at: '2026-12-08T02:10:49.282Z', // #42 CHAN_START PJSIP/103 (ARI originate)
    answered_at: '2026-12-08T02:10:50.290Z', // #46 APP_START ChanSpy
    ended_at: '2026-12-08T02:11:02.773Z', // #60 CHAN_END (ChanSpy's E: ends with 102's call)
    duration_sec: 13.491, // #42 -> #60
    wait_sec: 1.008, // #42 -> #46
    queue_wait_sec: null,
    talk_sec: 0, // in no bridge with anybody
    hold_sec: 0,
    src_number: '103', // cid_num of #42: the listener's phone
    dst_number: '102', // the extension listened to (exten of #46)
    did: null,
    queue: null,
    operator: '103', // the listener
    ended_at_stage: 'service', // a service call (docs/reconciliation.md#listening-in)
    attempts: [], // the listener's own phone ringing is nobody's attempt (like click-to-call)
    transfers: [],
    segments: [],
    recording_path: null,
    ivr_choice: null, // the supervisor's ChanSpy call: no menu
  },
];
