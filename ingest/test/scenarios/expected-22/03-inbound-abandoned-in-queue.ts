import type { ExpectedCall } from '../expected/expected-call.ts';
/** Asterisk 22: IVR digit 3 → support (ring-all); 101/102/103 ring, nobody answers; the caller hangs up 8 s after the digit. */
// Hand-derived from what the SIP peers did (README.md of fixtures/asterisk/scenarios-22/03-inbound-abandoned-in-queue)
// and the times of its cel.csv (row ids = cel.id), before running the reconciler.
export const expected: ExpectedCall[] = [
  {
    // The members' rings end because the caller left (member timeout 15 s not reached): cancelled, nobody's miss.
    linkedid: 'pbx1-1796675442.0',
    direction: 'inbound',
    status: 'abandoned', // the caller hung up while still offered (#50 hangupsource = the caller, dialstatus CANCEL)
    started_at: '2026-12-07T20:30:42.996Z', // #1 CHAN_START PJSIP/trunk-00000000
    answered_at: null,
    ended_at: '2026-12-07T20:30:52.534Z', // #51 CHAN_END PJSIP/trunk-00000000
    duration_sec: 9.538, // #1 -> #51
    wait_sec: 9.538, // never answered: #1 -> #51
    queue_wait_sec: 7.865, // #34 APP_START Queue -> #49 APP_END Queue
    talk_sec: 0,
    hold_sec: 0,
    src_number: '79161234568',
    dst_number: '74951234567',
    did: '74951234567',
    queue: 'support',
    operator: null,
    attempts: [
      {
        operator: '101',
        queue: 'support',
        rang_at: '2026-12-07T20:30:44.670Z',
        ring_sec: 7.863,
        outcome: 'canceled',
      }, // #36 -> #47 HANGUP cause 0
      {
        operator: '102',
        queue: 'support',
        rang_at: '2026-12-07T20:30:44.673Z',
        ring_sec: 7.86,
        outcome: 'canceled',
      }, // #37 -> #43 HANGUP cause 0
      {
        operator: '103',
        queue: 'support',
        rang_at: '2026-12-07T20:30:44.674Z',
        ring_sec: 7.858,
        outcome: 'canceled',
      }, // #38 -> #45 HANGUP cause 0
    ],
    transfers: [],
    segments: [],
    recording_path:
      '/tmp/pbx-lab-dUMM1y/pbx1/spool/monitor/2026/12/07/20261207-203042-in-pbx1-1796675442.0.wav', // #12
    ivr_choice: '3', // #28 DTMF digit 3 in WaitExten of ivr-main; #30 APP_START Goto at exten 3, same context
  },
];
