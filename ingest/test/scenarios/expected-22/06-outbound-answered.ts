import type { ExpectedCall } from '../expected/expected-call.ts';
/** Asterisk 22: 101 dials 89161234599 out through the trunk; the provider answers after 2 s and hangs up after 6 s. */
// Hand-derived from what the SIP peers did (README.md of fixtures/asterisk/scenarios-22/06-outbound-answered)
// and the times of its cel.csv (row ids = cel.id), before running the reconciler.
export const expected: ExpectedCall[] = [
  {
    // customer side = the trunk leg PJSIP/trunk-00000001; the operator placing the call is 101.
    linkedid: 'pbx1-1796675537.0',
    direction: 'outbound',
    status: 'answered', // trunk leg bridged with 101 (#31/#32)
    started_at: '2026-12-07T20:32:17.415Z', // #1 CHAN_START PJSIP/101-00000000
    answered_at: '2026-12-07T20:32:19.447Z', // #32 BRIDGE_ENTER (later of #31/#32)
    ended_at: '2026-12-07T20:32:25.451Z', // #39 CHAN_END PJSIP/101-00000000 (last CHAN_END)
    duration_sec: 8.036, // #1 -> #39
    wait_sec: 2.032, // #1 -> #32
    queue_wait_sec: null,
    talk_sec: 6.002, // connected #32 -> #33 (first BRIDGE_EXIT)
    hold_sec: 0,
    src_number: '101', // cid_num of #1 (the later rows carry the clinic's number set for the provider)
    dst_number: '89161234599', // exten of #1: what 101 dialled
    did: null,
    queue: null,
    operator: '101',
    attempts: [], // the only callee is the trunk
    transfers: [],
    segments: [{ operator: '101', talk_sec: 6.002, hold_sec: 0 }],
    recording_path:
      '/tmp/pbx-lab-VIHSAo/pbx1/spool/monitor/2026/12/07/20261207-203217-out-pbx1-1796675537.0.wav', // #8
    ivr_choice: null, // outbound: no menu
  },
];
