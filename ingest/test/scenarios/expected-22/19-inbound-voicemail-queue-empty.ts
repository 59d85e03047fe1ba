import type { ExpectedCall } from '../expected/expected-call.ts';
/**
 * Asterisk 22: inbound call into support with no operator registered; Queue() returns at once
 * (JOINEMPTY), the dialplan starts VoiceMail(200@clinic) and the caller hangs up in it.
 */
// Hand-derived from what the SIP peers did (README.md of fixtures/asterisk/scenarios-22/19-inbound-voicemail-queue-empty)
// and the times of its cel.csv (row ids = cel.id), before running the reconciler.
export const expected: ExpectedCall[] = [
  {
    linkedid: 'pbx1-1796686099.0',
    direction: 'inbound',
    // #44 VoiceMail started after the last offer (#34/#35 Queue): missed (voicemail), even though the
    // caller hung up in it (#48 hangupsource = the caller).
    status: 'missed',
    started_at: '2026-12-07T23:28:19.545Z', // #1
    answered_at: null, // the IVR's ANSWER is no answer of the call
    ended_at: '2026-12-07T23:28:31.072Z', // #49 CHAN_END
    duration_sec: 11.527, // #1 -> #49
    wait_sec: 11.527, // never answered: the whole call, voicemail included
    queue_wait_sec: 0, // #34 APP_START Queue -> #35 APP_END (0.075 ms)
    talk_sec: 0,
    hold_sec: 0,
    src_number: '79161234579',
    dst_number: '74951234567',
    did: '74951234567',
    queue: 'support',
    operator: null,
    attempts: [], // nobody rang
    transfers: [],
    segments: [],
    recording_path:
      '/tmp/pbx-lab-zS8CiS/pbx1/spool/monitor/2026/12/07/20261207-232819-in-pbx1-1796686099.0.wav', // #12
    ivr_choice: '3', // #28 DTMF digit 3 in WaitExten of ivr-main; #30 APP_START Goto at exten 3, same context
  },
];
