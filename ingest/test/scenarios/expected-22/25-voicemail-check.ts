import type { ExpectedCall } from '../expected/expected-call.ts';
/**
 * Asterisk 22: operator 101 dials *97 (VoiceMailMain(@clinic)), hears the mailbox prompt and
 * hangs up. A service call: no one was called and there is no customer.
 */
// Hand-derived from what the SIP peers did (README.md of
// fixtures/asterisk/scenarios-22/25-voicemail-check) and the times of its cel.csv (row ids = cel.id),
// before the reconciler was changed for it (1.2.0 classed it outbound/failed).
export const expected: ExpectedCall[] = [
  {
    linkedid: 'pbx1-1796694661.0',
    direction: 'internal', // #5 APP_START VoiceMailMain: a service, not an outside number
    status: 'answered', // VoiceMailMain answered and served the operator
    started_at: '2026-12-08T01:51:01.494Z', // #1 CHAN_START PJSIP/101-00000000
    answered_at: '2026-12-08T01:51:01.998Z', // #5 APP_START VoiceMailMain
    ended_at: '2026-12-08T01:51:07.508Z', // #10 CHAN_END
    duration_sec: 6.014, // #1 -> #10
    wait_sec: 0.504, // #1 -> #5
    queue_wait_sec: null,
    talk_sec: 0, // no party: nobody to talk to
    hold_sec: 0,
    src_number: '101',
    dst_number: '*97', // #1 CHAN_START exten
    did: null,
    queue: null,
    operator: '101', // the operator who placed it
    attempts: [],
    transfers: [],
    segments: [],
    recording_path: null, // [voicemail-check] does not record
    ended_at_stage: 'service',
    ivr_choice: null, // a mailbox check: no menu
  },
];
