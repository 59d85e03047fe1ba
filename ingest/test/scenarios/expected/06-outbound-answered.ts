import type { ExpectedCall } from './expected-call.ts';
/** Outbound: operator 102 dials 89161234567 through the trunk; far end answers after 3 s; 10 s talk; operator hangs up. */
// Hand-derived from cel.csv (row ids = cel.id) and README.md of fixtures/asterisk/scenarios/06-outbound-answered.
export const expected: ExpectedCall[] = [
  {
    // customer side = the external callee leg PJSIP/trunk-0000001a; the party connected to it is 102, an operator endpoint.
    linkedid: '1795235062.25',
    direction: 'outbound',
    status: 'answered', // trunk leg bridged with 102 (#304/#305)
    started_at: '2026-11-21T04:24:22.033Z', // #286 CHAN_START PJSIP/102-00000019
    answered_at: '2026-11-21T04:24:25.044Z', // #305 BRIDGE_ENTER (later of #305/#304): first connected interval
    ended_at: '2026-11-21T04:24:35.050Z', // #312 CHAN_END PJSIP/102-00000019 (last CHAN_END of the call)
    duration_sec: 13.017, // #286 -> #312
    wait_sec: 3.01, // #286 -> #305
    queue_wait_sec: null, // no APP_START Queue
    talk_sec: 10.005, // connected 10.005 s (see segments) minus hold
    hold_sec: 0.0,
    src_number: '102', // cid_num of #286
    dst_number: '89161234567', // exten of #286
    did: null,
    queue: null,
    operator: '102', // endpoint of the first channel PJSIP/102-00000019
    attempts: [], // only callee is the trunk (external), not an operator endpoint
    transfers: [],
    segments: [
      { operator: '102', talk_sec: 10.005, hold_sec: 0.0 }, // connected #305 -> #306 (10.005 s; enters #305/#304, exits #306/#307)
    ],
    recording_path: '/var/spool/asterisk/monitor/20261121-042422-out-1795235062.25.wav', // #295 APP_START MixMonitor
  },
];
