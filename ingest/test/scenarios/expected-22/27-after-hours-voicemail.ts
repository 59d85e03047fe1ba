import type { ExpectedCall } from '../expected/expected-call.ts';
/**
 * Asterisk 22: an inbound call out of opening hours: ivr-main sends it to ivr-after-hours, which
 * plays its message and opens voicemail 900; the caller stays 6 s and hangs up.
 */
// Hand-derived from what the SIP peers did (README.md of
// fixtures/asterisk/scenarios-22/27-after-hours-voicemail) and the times of its cel.csv
// (row ids = cel.id), before the reconciler ran on it.
export const expected: ExpectedCall[] = [
  {
    linkedid: 'pbx1-1796694748.0',
    direction: 'inbound',
    status: 'missed', // #27 APP_START VoiceMail with no offer: the clinic was closed, a callback is owed
    started_at: '2026-12-08T01:52:28.132Z', // #1 CHAN_START PJSIP/trunk-00000000
    answered_at: null, // #23 is the after-hours branch's Answer
    ended_at: '2026-12-08T01:52:35.655Z', // #42 CHAN_END
    duration_sec: 7.523, // #1 -> #42
    wait_sec: 7.523,
    queue_wait_sec: null,
    talk_sec: 0,
    hold_sec: 0,
    src_number: '79161234587',
    dst_number: '74951234567',
    did: '74951234567',
    queue: null, // no queue: closed
    operator: null,
    attempts: [],
    transfers: [],
    segments: [],
    recording_path:
      '/tmp/pbx-lab-lWxG29/pbx1/spool/monitor/2026/12/08/20261208-015228-in-pbx1-1796694748.0.wav', // #12
    ended_at_stage: 'voicemail', // #27 VoiceMail(900@clinic), the caller hung up in it (#41)
    ivr_choice: null, // closed hours: GotoIfTime led to the after-hours voicemail, no menu ran
  },
];
