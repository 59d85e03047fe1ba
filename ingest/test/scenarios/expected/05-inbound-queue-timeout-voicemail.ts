import type { ExpectedCall } from './expected-call.ts';
/** Inbound -> queue support -> three ringall rounds, nobody answers -> queue timeout (20 s) -> voicemail -> caller leaves a message and hangs up. */
// Hand-derived from cel.csv (row ids = cel.id) and README.md of fixtures/asterisk/scenarios/05-inbound-queue-timeout-voicemail.
export const expected: ExpectedCall[] = [
  {
    // wait_sec follows the contract literally (never answered -> started..ended), so it includes ~9 s of voicemail.
    // attempts: all 9 legs end with cause 0 after 5 s = member timeout (queue_log RINGNOANSWER x9).
    linkedid: '1795235017.15',
    direction: 'inbound',
    status: 'missed', // Queue returned on timeout (#272, queue_log EXITWITHTIMEOUT|1|1|21) and the dialplan went on to VoiceMail (#281); the later caller hangup does not make it abandoned
    started_at: '2026-11-21T04:23:37.229Z', // #204 CHAN_START PJSIP/trunk-0000000f
    answered_at: null, // never in a bridge with another channel
    ended_at: '2026-11-21T04:24:08.243Z', // #284 CHAN_END PJSIP/trunk-0000000f (last CHAN_END of the call)
    duration_sec: 31.014, // #204 -> #284
    wait_sec: 31.014, // never answered: #204 -> #284
    queue_wait_sec: 21.019, // #233 APP_START Queue -> #272 APP_END Queue
    talk_sec: 0,
    hold_sec: 0,
    src_number: '79161234571', // cid_num of #204
    dst_number: '74951234567', // exten of #204
    did: '74951234567',
    queue: 'support', // appdata of #233
    operator: null,
    attempts: [
      {
        operator: '101',
        queue: 'support',
        rang_at: '2026-11-21T04:23:38.239Z',
        ring_sec: 5.007,
        outcome: 'no_answer',
      }, // #235 CHAN_START PJSIP/101-00000010 (AppQueue) -> #243 HANGUP cause 0
      {
        operator: '102',
        queue: 'support',
        rang_at: '2026-11-21T04:23:38.241Z',
        ring_sec: 5.007,
        outcome: 'no_answer',
      }, // #236 CHAN_START PJSIP/102-00000011 (AppQueue) -> #245 HANGUP cause 0
      {
        operator: '103',
        queue: 'support',
        rang_at: '2026-11-21T04:23:38.243Z',
        ring_sec: 5.003,
        outcome: 'no_answer',
      }, // #238 CHAN_START PJSIP/103-00000012 (AppQueue) -> #241 HANGUP cause 0
      {
        operator: '101',
        queue: 'support',
        rang_at: '2026-11-21T04:23:45.246Z',
        ring_sec: 5.005,
        outcome: 'no_answer',
      }, // #247 CHAN_START PJSIP/101-00000013 (AppQueue) -> #253 HANGUP cause 0
      {
        operator: '102',
        queue: 'support',
        rang_at: '2026-11-21T04:23:45.248Z',
        ring_sec: 5.004,
        outcome: 'no_answer',
      }, // #248 CHAN_START PJSIP/102-00000014 (AppQueue) -> #257 HANGUP cause 0
      {
        operator: '103',
        queue: 'support',
        rang_at: '2026-11-21T04:23:45.249Z',
        ring_sec: 5.002,
        outcome: 'no_answer',
      }, // #250 CHAN_START PJSIP/103-00000015 (AppQueue) -> #255 HANGUP cause 0
      {
        operator: '101',
        queue: 'support',
        rang_at: '2026-11-21T04:23:52.252Z',
        ring_sec: 5.005,
        outcome: 'no_answer',
      }, // #259 CHAN_START PJSIP/101-00000016 (AppQueue) -> #265 HANGUP cause 0
      {
        operator: '102',
        queue: 'support',
        rang_at: '2026-11-21T04:23:52.253Z',
        ring_sec: 5.004,
        outcome: 'no_answer',
      }, // #260 CHAN_START PJSIP/102-00000017 (AppQueue) -> #269 HANGUP cause 0
      {
        operator: '103',
        queue: 'support',
        rang_at: '2026-11-21T04:23:52.254Z',
        ring_sec: 5.002,
        outcome: 'no_answer',
      }, // #261 CHAN_START PJSIP/103-00000018 (AppQueue) -> #267 HANGUP cause 0
    ],
    transfers: [],
    segments: [],
    recording_path: '/var/spool/asterisk/monitor/20261121-042337-in-1795235017.15.wav', // #215 APP_START MixMonitor
  },
];
