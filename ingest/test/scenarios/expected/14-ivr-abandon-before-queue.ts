import type { ExpectedCall } from './expected-call.ts';
/** Caller hangs up in the IVR (2 s into the 3 s prompt), before choosing a queue. */
// Hand-derived from cel.csv (row ids = cel.id) and README.md of fixtures/asterisk/scenarios/14-ivr-abandon-before-queue.
export const expected: ExpectedCall[] = [
  {
    // IVR ANSWER #1777 is not an answer of the call (no bridge).
    linkedid: '1795235572.99',
    direction: 'inbound',
    status: 'abandoned', // caller hung up in the IVR (#1787 source = caller) before any queue
    started_at: '2026-11-21T04:32:52.261Z', // #1761 CHAN_START PJSIP/trunk-00000061
    answered_at: null, // never in a bridge with another channel
    ended_at: '2026-11-21T04:32:54.274Z', // #1788 CHAN_END PJSIP/trunk-00000061 (last CHAN_END of the call)
    duration_sec: 2.013, // #1761 -> #1788
    wait_sec: 2.013, // never answered: #1761 -> #1788
    queue_wait_sec: null, // no APP_START Queue
    talk_sec: 0,
    hold_sec: 0,
    src_number: '79161234577', // cid_num of #1761
    dst_number: '74951234567', // exten of #1761
    did: '74951234567',
    queue: null,
    operator: null,
    attempts: [],
    transfers: [],
    segments: [],
    recording_path: '/var/spool/asterisk/monitor/20261121-043252-in-1795235572.99.wav', // #1772 APP_START MixMonitor
  },
];
