import type { ExpectedCall } from './expected-call.ts';
/** Outbound: operator 102 dials 89161234568; the provider answers 486 Busy Here. */
// Hand-derived from cel.csv (row ids = cel.id) and README.md of fixtures/asterisk/scenarios/07-outbound-busy.
export const expected: ExpectedCall[] = [
  {
    linkedid: '1795235085.27',
    direction: 'outbound',
    status: 'busy', // trunk leg HANGUP cause 17 (#334), DIALSTATUS BUSY (#337)
    started_at: '2026-11-21T04:24:45.749Z', // #314 CHAN_START PJSIP/102-0000001b
    answered_at: null, // never in a bridge with another channel
    ended_at: '2026-11-21T04:24:45.756Z', // #338 CHAN_END PJSIP/102-0000001b (last CHAN_END of the call)
    duration_sec: 0.007, // #314 -> #338
    wait_sec: 0.007, // never answered: #314 -> #338
    queue_wait_sec: null, // no APP_START Queue
    talk_sec: 0,
    hold_sec: 0,
    src_number: '102', // cid_num of #314
    dst_number: '89161234568', // exten of #314
    did: null,
    queue: null,
    operator: '102', // endpoint of the first channel PJSIP/102-0000001b
    attempts: [], // only callee is the trunk (external), not an operator endpoint
    transfers: [],
    segments: [],
    recording_path: '/var/spool/asterisk/monitor/20261121-042445-out-1795235085.27.wav', // #323 APP_START MixMonitor
  },
];
