import { join } from 'node:path';
import { AriRestClient } from '../ari/ari-rest-client.ts';
import type { Lab, LabServer, PhoneKind } from './lab.ts';
import { ARI_PASSWORD, ARI_USERNAME, LAB_DID } from './lab.ts';
import {
  attendedTransferPhone,
  deskPhone,
  forwardingPhone,
  inboundCall,
  RINGS_UNANSWERED,
} from './phones.ts';
import { expectSippSuccess, type SippProcess, startSipp } from './sipp.ts';

/**
 * The scenarios `npm run pbx:capture` plays on the real-PBX lab, each named as its counterpart
 * captured from Asterisk 20.20.1 in fixtures/asterisk/scenarios/. `script` says what the SIP peers
 * are told to do (it goes into the capture's README.md); times in milliseconds. Every operator has
 * a SIPp desk phone (`sip`); 101/102/103 are the members of every queue (asterisk/etc/queues.conf:
 * `support` ring-all, member timeout 15 s).
 */
export interface CaptureScenario {
  name: string;
  title: string;
  operators: Record<string, PhoneKind>;
  script: string[];
  run(lab: Lab, server: LabServer): Promise<void>;
}

const OPERATORS: Record<string, PhoneKind> = { '101': 'sip', '102': 'sip', '103': 'sip' };

/** Starts the phones, runs `call`, then stops the phones whatever happened. */
async function withPhones(phones: Promise<SippProcess>[], call: () => Promise<void>): Promise<void> {
  const started: SippProcess[] = [];
  try {
    for (const phone of phones) started.push(await phone);
    await call();
  } finally {
    for (const phone of started) await phone.stop();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An operator's desk phone placing one call to `exten` (phone-call.xml, digest auth). */
async function operatorCall(
  lab: Lab,
  server: LabServer,
  user: string,
  exten: string,
  talkMs: number,
  scenario = 'phone-call.xml',
) {
  const sipp = await placeCall(lab, server, user, exten, talkMs, scenario);
  await expectSippSuccess(sipp, `${user} calling ${exten}`);
}

/**
 * Starts `user`'s phone placing one call to `exten` (phone-call-updates.xml: digest auth, accepts
 * Asterisk's re-INVITEs and UPDATEs while talking; no registration,
 * so a queue does not ring that phone meanwhile) and returns at once; talks until the other side
 * hangs up or `talkMs` pass.
 */
async function placeCall(
  lab: Lab,
  server: LabServer,
  user: string,
  exten: string,
  talkMs: number,
  scenario = 'phone-call-updates.xml',
): Promise<SippProcess> {
  return startSipp({
    scenario,
    values: { USER: user, EXTEN: exten, TALK_MS: talkMs },
    workDir: join(lab.dir, 'sipp'),
    localPort: await lab.port(),
    mediaPort: await lab.port(),
    remote: server.remote,
    calls: 1,
    auth: { username: user, password: server.secrets[user]! },
    timeoutSec: 120,
  });
}

export const CAPTURE_SCENARIOS: CaptureScenario[] = [
  {
    name: '01-inbound-answered-caller-hangup',
    title: 'Inbound call through the IVR into support, answered by 101; the caller hangs up',
    operators: OPERATORS,
    script: [
      'Caller 79161234567 (the provider trunk) dials the DID 74951234567; the IVR answers.',
      'The caller presses 3 (support, ring-all) 1.5 s after the answer.',
      '101 rings 2 s and answers; 102 and 103 ring until Asterisk cancels their rings.',
      'The caller hangs up 12 s after pressing 3 (101 would have hung up after 60 s).',
    ],
    async run(lab, server) {
      await withPhones(
        [
          deskPhone(lab, server, '101', { scenario: 'phone-answer.xml', ringMs: 2000, talkMs: 60_000 }),
          deskPhone(lab, server, '102', RINGS_UNANSWERED),
          deskPhone(lab, server, '103', RINGS_UNANSWERED),
        ],
        async () => {
          const caller = await inboundCall(lab, server, {
            cli: '79161234567',
            did: LAB_DID,
            digit: '3',
            holdMs: 12_000,
          });
          await expectSippSuccess(caller, 'caller');
        },
      );
    },
  },
  {
    name: '03-inbound-abandoned-in-queue',
    title: 'Inbound call into support abandoned while every member rings',
    operators: OPERATORS,
    script: [
      'Caller 79161234568 dials the DID; the IVR answers; the caller presses 3 (support) after 1.5 s.',
      '101, 102 and 103 ring and never answer.',
      'The caller hangs up 8 s after pressing 3, while the members still ring (member timeout 15 s).',
    ],
    async run(lab, server) {
      await withPhones(
        ['101', '102', '103'].map((endpoint) => deskPhone(lab, server, endpoint, RINGS_UNANSWERED)),
        async () => {
          const caller = await inboundCall(lab, server, {
            cli: '79161234568',
            did: LAB_DID,
            digit: '3',
            holdMs: 8000,
          });
          await expectSippSuccess(caller, 'caller');
        },
      );
    },
  },
  {
    name: '06-outbound-answered',
    title: 'Outbound call from 101 through the trunk, answered by the callee, who hangs up',
    operators: OPERATORS,
    script: [
      "101's desk phone dials 89161234599 (the outbound route: 8 + ten digits → 7 + ten digits on the trunk).",
      'The provider (SIPp on the trunk address) rings 2 s, answers, and hangs up after 6 s of talk.',
    ],
    async run(lab, server) {
      const provider = startSipp({
        scenario: 'phone-answer.xml',
        values: { USER: 'provider', RING_MS: 2000, TALK_MS: 6000 },
        workDir: join(lab.dir, 'sipp'),
        localPort: server.trunkPort,
        mediaPort: await lab.port(),
        remote: server.remote,
        calls: 1,
        timeoutSec: 120,
      });
      try {
        await operatorCall(lab, server, '101', '89161234599', 60_000);
      } finally {
        await provider.stop();
      }
    },
  },
  {
    name: '09-blind-transfer-refer',
    title: 'Queue call answered by 101, blind-transferred to 102 with SIP REFER; 102 answers',
    operators: OPERATORS,
    script: [
      'Caller 79161234572 dials the DID; the IVR answers; the caller presses 3 (support) after 1.5 s.',
      '101 rings 1.5 s and answers (102 and 103 ring until cancelled); after 4 s of talk 101 sends REFER to 102.',
      '102 rings 3 s and answers the transferred call.',
      'The caller hangs up 20 s after pressing 3.',
    ],
    async run(lab, server) {
      await withPhones(
        [
          deskPhone(lab, server, '101', {
            scenario: 'phone-refer.xml',
            ringMs: 1500,
            referAfterMs: 4000,
            target: '102',
          }),
          deskPhone(lab, server, '102', { scenario: 'phone-answer.xml', ringMs: 3000, talkMs: 60_000 }),
          deskPhone(lab, server, '103', RINGS_UNANSWERED),
        ],
        async () => {
          const caller = await inboundCall(lab, server, {
            cli: '79161234572',
            did: LAB_DID,
            digit: '3',
            holdMs: 20_000,
          });
          await expectSippSuccess(caller, 'caller');
        },
      );
    },
  },
  {
    name: '11-hold-resume',
    title: 'Queue call answered by 101, who puts the caller on hold twice; the caller hangs up',
    operators: OPERATORS,
    script: [
      'Caller 79161234573 dials the DID; the IVR answers; the caller presses 3 (support) after 1.5 s.',
      '101 rings 1.5 s and answers (102 and 103 ring until cancelled).',
      '101 talks 2 s, holds 3 s (re-INVITE a=sendonly: the caller hears music on hold), talks 2 s, holds 3 s, resumes.',
      'The caller hangs up 20 s after pressing 3.',
    ],
    async run(lab, server) {
      await withPhones(
        [
          deskPhone(lab, server, '101', {
            scenario: 'phone-hold.xml',
            ringMs: 1500,
            holdAfterMs: 2000,
            holdMs: 3000,
            talkMs: 60_000,
          }),
          deskPhone(lab, server, '102', RINGS_UNANSWERED),
          deskPhone(lab, server, '103', RINGS_UNANSWERED),
        ],
        async () => {
          const caller = await inboundCall(lab, server, {
            cli: '79161234573',
            did: LAB_DID,
            digit: '3',
            holdMs: 20_000,
          });
          await expectSippSuccess(caller, 'caller');
        },
      );
    },
  },
  {
    name: '13-internal-call-101-to-102',
    title: 'Internal call: 101 dials 102, 102 answers and hangs up',
    operators: OPERATORS,
    script: ["101's desk phone dials 102.", '102 rings 2 s, answers, and hangs up after 5 s of talk.'],
    async run(lab, server) {
      await withPhones(
        [deskPhone(lab, server, '102', { scenario: 'phone-answer.xml', ringMs: 2000, talkMs: 5000 })],
        async () => {
          await operatorCall(lab, server, '101', '102', 60_000);
        },
      );
    },
  },
  {
    name: '15-attended-transfer-dtmf',
    title:
      'Queue call answered by 101, attended-transferred to 102 with the DTMF feature *2 (through a Local channel); 102 answers',
    operators: OPERATORS,
    script: [
      'Caller 79161234575 dials the DID; the IVR answers; the caller presses 3 (support, ring-all) after 1.5 s.',
      '101 rings 1 s and answers; 102 and 103 ring until Asterisk cancels their rings.',
      '101 talks 4 s, presses *2 (features.conf atxfer: the caller hears music on hold), 1.5 s later dials 102 (RFC 4733 digits, 0.4 s apart).',
      'Asterisk dials Local/102@operators: 102 rings 3 s and answers; 101 consults and hangs up 6 s after its last digit, completing the transfer.',
      'The caller talks with 102 and hangs up 25 s after pressing 3.',
    ],
    async run(lab, server) {
      await withPhones(
        [
          attendedTransferPhone(lab, server, '101', {
            ringMs: 1000,
            transferAfterMs: 4000,
            target: '102',
            consultMs: 6000,
          }),
          deskPhone(lab, server, '102', { scenario: 'phone-answer.xml', ringMs: 3000, talkMs: 60_000 }),
          deskPhone(lab, server, '103', RINGS_UNANSWERED),
        ],
        async () => {
          const caller = await inboundCall(lab, server, {
            cli: '79161234575',
            did: LAB_DID,
            digit: '3',
            holdMs: 25_000,
          });
          await expectSippSuccess(caller, 'caller');
        },
      );
    },
  },
  {
    name: '16-attended-transfer-dtmf-into-queue',
    title:
      'Queue call answered by 101, attended-transferred with *2 into the sales queue (5003, through a Local channel); 102 answers from the queue',
    operators: OPERATORS,
    script: [
      '103 is not registered (unavailable): the queues ring only 101 and 102.',
      'Caller 79161234576 dials the DID; the IVR answers; the caller presses 3 (support, ring-all) after 1.5 s.',
      '101 rings 1 s and answers; 102 rings until Asterisk cancels its ring.',
      '101 talks 4 s, presses *2, 1.5 s later dials 5003 (queue-extensions: the sales queue).',
      'Asterisk dials Local/5003@operators, whose ;2 half enters Queue(sales): 101 is in use, so only 102 rings; it answers after 3 s.',
      '101 consults and hangs up 7 s after its last digit, completing the transfer; the caller talks with 102 and hangs up 25 s after pressing 3.',
    ],
    async run(lab, server) {
      await withPhones(
        [
          attendedTransferPhone(lab, server, '101', {
            ringMs: 1000,
            transferAfterMs: 4000,
            target: '5003',
            consultMs: 7000,
          }),
          deskPhone(lab, server, '102', { scenario: 'phone-answer.xml', ringMs: 3000, talkMs: 60_000 }),
        ],
        async () => {
          const caller = await inboundCall(lab, server, {
            cli: '79161234576',
            did: LAB_DID,
            digit: '3',
            holdMs: 25_000,
          });
          await expectSippSuccess(caller, 'caller');
        },
      );
    },
  },
  {
    name: '17-queue-local-member',
    title:
      'Queue call answered by 103, a member logged in through a Local channel (Local/103@queue-member/n)',
    operators: OPERATORS,
    script: [
      "101 and 102 are not registered (unavailable); 103's direct member PJSIP/103 is removed from support and Local/103@queue-member/n (state interface PJSIP/103) added (CLI `queue remove member` / `queue add member`).",
      'Caller 79161234577 dials the DID; the IVR answers; the caller presses 3 (support, ring-all) after 1.5 s.',
      'The queue rings Local/103@queue-member; its ;2 half dials PJSIP/103, which rings 2 s and answers.',
      'The caller hangs up 12 s after pressing 3.',
    ],
    async run(lab, server) {
      await server.cli('queue remove member PJSIP/103 from support');
      await server.cli(
        'queue add member Local/103@queue-member/n to support penalty 0 as "Operator 103" state_interface PJSIP/103',
      );
      await withPhones(
        [deskPhone(lab, server, '103', { scenario: 'phone-answer.xml', ringMs: 2000, talkMs: 60_000 })],
        async () => {
          const caller = await inboundCall(lab, server, {
            cli: '79161234577',
            did: LAB_DID,
            digit: '3',
            holdMs: 12_000,
          });
          await expectSippSuccess(caller, 'caller');
        },
      );
    },
  },
  {
    name: '18-internal-forward-no-answer',
    title: "Internal call 101 → 102; 102's phone forwards on no answer (302) to 103, who answers",
    operators: OPERATORS,
    script: [
      "101's desk phone dials 102.",
      "102's phone rings 3 s, then answers the INVITE with 302 Moved Temporarily, Contact sip:103 (the phone's call forwarding on no answer).",
      "Asterisk's Dial follows the redirect (Local/103@operators): 103 rings 2 s, answers, and hangs up after 5 s of talk.",
    ],
    async run(lab, server) {
      await withPhones(
        [
          forwardingPhone(lab, server, '102', { ringMs: 3000, target: '103' }),
          deskPhone(lab, server, '103', { scenario: 'phone-answer.xml', ringMs: 2000, talkMs: 5000 }),
        ],
        async () => {
          await operatorCall(lab, server, '101', '102', 60_000, 'phone-call-progress.xml');
        },
      );
    },
  },
  {
    name: '19-inbound-voicemail-queue-empty',
    title:
      'Inbound call into support while no operator is registered: the queue is empty, the caller leaves a voicemail',
    operators: OPERATORS,
    script: [
      'No desk phone is registered: every member of support is unavailable.',
      'Caller 79161234579 dials the DID; the IVR answers; the caller presses 3 (support) after 1.5 s.',
      'Queue(support) returns at once (joinempty: QUEUESTATUS JOINEMPTY); the dialplan plays all-busy and starts VoiceMail(200@clinic).',
      'The caller stays, as if leaving a message, and hangs up 10 s after pressing 3.',
    ],
    async run(lab, server) {
      const caller = await inboundCall(lab, server, {
        cli: '79161234579',
        did: LAB_DID,
        digit: '3',
        holdMs: 10_000,
      });
      await expectSippSuccess(caller, 'caller');
    },
  },
  {
    name: '21-pickup-group-internal',
    title: 'Internal call 101 → 102 picked up by 103 with *8 (group pickup) while 102 rings',
    operators: OPERATORS,
    script: [
      "101's desk phone dials 102; 102's phone rings and never answers.",
      "3 s later 103's phone (not registered, so nothing rings it) dials *8 (features.conf pickupexten; every operator is in call/pickup group 1).",
      '103 talks 6 s with 101, then hangs up.',
    ],
    async run(lab, server) {
      await withPhones([deskPhone(lab, server, '102', RINGS_UNANSWERED)], async () => {
        const caller = await placeCall(lab, server, '101', '102', 60_000);
        await sleep(3000);
        await operatorCall(lab, server, '103', '*8', 6000, 'phone-call-updates.xml');
        await expectSippSuccess(caller, '101 calling 102');
      });
    },
  },
  {
    name: '22-pickup-directed-inbound',
    title: 'Queue call ringing 101 and 102, picked up by 103 dialling **102 (directed pickup)',
    operators: OPERATORS,
    script: [
      'Caller 79161234582 dials the DID; the IVR answers; the caller presses 3 (support, ring-all) after 1.5 s.',
      "101 and 102 ring and never answer; 103's phone is not registered, so the queue does not ring it.",
      '5 s after the call starts 103 dials **102 (PickupChan(PJSIP/102)) and takes the caller.',
      'The caller hangs up 14 s after pressing 3.',
    ],
    async run(lab, server) {
      await withPhones(
        [deskPhone(lab, server, '101', RINGS_UNANSWERED), deskPhone(lab, server, '102', RINGS_UNANSWERED)],
        async () => {
          const caller = await inboundCall(lab, server, {
            cli: '79161234582',
            did: LAB_DID,
            digit: '3',
            holdMs: 14_000,
          });
          await sleep(5000);
          const picker = await placeCall(lab, server, '103', '**102', 60_000);
          await expectSippSuccess(caller, 'caller');
          await expectSippSuccess(picker, '103 picking up 102');
        },
      );
    },
  },
  {
    name: '23-park-unpark',
    title: 'Queue call answered by 101, parked (REFER to 700), taken back by 102 dialling 701',
    operators: OPERATORS,
    script: [
      'Caller 79161234583 dials the DID; the IVR answers; the caller presses 3 (support) after 1.5 s.',
      'Only 101 is registered, so only 101 rings; it answers after 1.5 s, talks 4 s, then transfers the caller with REFER to 700 (res_parking: the caller waits in slot 701 hearing music on hold).',
      "12 s after the call starts 102's phone (not registered) dials 701 and takes the caller back.",
      'The caller hangs up 20 s after pressing 3.',
    ],
    async run(lab, server) {
      await withPhones(
        [
          deskPhone(lab, server, '101', {
            scenario: 'phone-refer.xml',
            ringMs: 1500,
            referAfterMs: 4000,
            target: '700',
          }),
        ],
        async () => {
          const caller = await inboundCall(lab, server, {
            cli: '79161234583',
            did: LAB_DID,
            digit: '3',
            holdMs: 20_000,
          });
          await sleep(12_000);
          const unparker = await placeCall(lab, server, '102', '701', 60_000);
          await expectSippSuccess(caller, 'caller');
          await expectSippSuccess(unparker, '102 taking 701');
        },
      );
    },
  },
  {
    name: '24-conference',
    title:
      'An operator alone in a room; then a queue call answered by 101 and moved into a ConfBridge room that 101 and 102 join',
    operators: OPERATORS,
    script: [
      "First, 103's phone (not registered) dials room 801, stays alone in it 3 s and hangs up.",
      'Then caller 79161234584 dials the DID; the IVR answers; the caller presses 3 (support) after 1.5 s.',
      'Only 101 is registered, so only 101 rings; it answers after 1.5 s, talks 4 s, then transfers the caller with REFER to 800 (ConfBridge room; alone, the caller hears music on hold).',
      '10 s after the call starts 101 (a second line, not registered) dials 800; 13 s after, 102 (not registered) dials 800.',
      'The caller hangs up 20 s after pressing 3; 101 leaves the room 14 s after joining, 102 12 s after joining.',
    ],
    async run(lab, server) {
      await operatorCall(lab, server, '103', '801', 3000, 'phone-call-updates.xml');
      await sleep(1000);
      await withPhones(
        [
          deskPhone(lab, server, '101', {
            scenario: 'phone-refer.xml',
            ringMs: 1500,
            referAfterMs: 4000,
            target: '800',
          }),
        ],
        async () => {
          const caller = await inboundCall(lab, server, {
            cli: '79161234584',
            did: LAB_DID,
            digit: '3',
            holdMs: 20_000,
          });
          await sleep(10_000);
          const first = await placeCall(lab, server, '101', '800', 14_000);
          await sleep(3000);
          const second = await placeCall(lab, server, '102', '800', 12_000);
          await expectSippSuccess(caller, 'caller');
          await expectSippSuccess(first, '101 in room 800');
          await expectSippSuccess(second, '102 in room 800');
        },
      );
    },
  },
  {
    name: '25-voicemail-check',
    title: "101 checks the clinic's voicemail: dials *97 (VoiceMailMain), listens to the prompt and hangs up",
    operators: OPERATORS,
    script: [
      "101's phone (not registered) dials *97 (asterisk/etc extensions.conf [voicemail-check]: Answer, VoiceMailMain(@clinic)).",
      'VoiceMailMain answers and asks for the mailbox; the phone presses nothing and hangs up after 6 s.',
    ],
    async run(lab, server) {
      await operatorCall(lab, server, '101', '*97', 6000, 'phone-call-updates.xml');
    },
  },
  {
    name: '26-ivr-hangup-before-choice',
    title: 'Inbound call that hangs up in the main IVR before choosing anything',
    operators: OPERATORS,
    script: [
      '101, 102 and 103 are registered and would ring if the call reached a queue.',
      'Caller 79161234586 dials the DID; the IVR answers (Background, WaitExten 5 s); the caller presses nothing.',
      'The caller hangs up 3 s after the answer, before the IVR times out into the registry queue.',
    ],
    async run(lab, server) {
      await withPhones(
        ['101', '102', '103'].map((endpoint) => deskPhone(lab, server, endpoint, RINGS_UNANSWERED)),
        async () => {
          const caller = await inboundCall(lab, server, {
            cli: '79161234586',
            did: LAB_DID,
            digit: null,
            holdMs: 3000,
          });
          await expectSippSuccess(caller, 'caller');
        },
      );
    },
  },
  {
    name: '27-after-hours-voicemail',
    title:
      'Inbound call out of opening hours: the after-hours branch plays its message and opens voicemail 900',
    operators: OPERATORS,
    script: [
      'The opening hours are set to a day that never comes (CLI `dialplan set global HOURS_WEEKDAYS *,*,31,feb`, the same for HOURS_SATURDAY): ivr-main sends callers to ivr-after-hours.',
      'Caller 79161234587 dials the DID; Asterisk answers, plays custom/after-hours and starts VoiceMail(900@clinic,su).',
      'The caller stays 6 s, as if leaving a message, and hangs up.',
    ],
    async run(lab, server) {
      await server.cli('dialplan set global HOURS_WEEKDAYS *,*,31,feb');
      await server.cli('dialplan set global HOURS_SATURDAY *,*,31,feb');
      const caller = await inboundCall(lab, server, {
        cli: '79161234587',
        did: LAB_DID,
        digit: null,
        holdMs: 6000,
      });
      await expectSippSuccess(caller, 'caller');
    },
  },
  {
    name: '28-pickup-nothing-ringing',
    title:
      'An operator dials **101 (directed pickup) while nothing rings: the dialplan refuses the call (Hangup(34))',
    operators: OPERATORS,
    script: [
      "102's phone (not registered) dials **101 while no call rings 101.",
      'PickupChan(PJSIP/101) finds nothing; the dialplan hangs up with cause 34 (congestion) before any answer.',
    ],
    async run(lab, server) {
      const phone = await placeCall(lab, server, '102', '**101', 6000);
      // The call is refused: SIPp's script fails on the error response, which is what was asked.
      await phone.done;
    },
  },
  {
    name: '30-listen-in-chanspy',
    title:
      'Queue call answered by 102; a supervisor listens in from desk phone 103 (ChanSpy) until the call ends',
    operators: OPERATORS,
    script: [
      'Caller 79161234590 dials the DID; the IVR answers; the caller presses 3 (support) after 1.5 s.',
      'Only 102 is registered, so only 102 rings; it answers after 1.5 s and talks until the caller hangs up.',
      "8 s after pressing 3, 103's phone registers (it answers every call after 1 s), and ARI originates PJSIP/103 into supervisor-listen at extension 102 with SPY_MODE empty, as POST /control/listen does: once 103 answers, ChanSpy(PJSIP/102-,qE) listens to 102's channel.",
      "The caller hangs up 20 s after pressing 3; ChanSpy's E option ends 103's call with it.",
    ],
    async run(lab, server) {
      await withPhones(
        [deskPhone(lab, server, '102', { scenario: 'phone-answer.xml', ringMs: 1500, talkMs: 60_000 })],
        async () => {
          const caller = await inboundCall(lab, server, {
            cli: '79161234590',
            did: LAB_DID,
            digit: '3',
            holdMs: 20_000,
          });
          await sleep(8000);
          await withPhones(
            [deskPhone(lab, server, '103', { scenario: 'phone-answer.xml', ringMs: 1000, talkMs: 60_000 })],
            async () => {
              const ari = new AriRestClient({
                url: `http://127.0.0.1:${server.httpPort}`,
                username: ARI_USERNAME,
                password: ARI_PASSWORD,
              });
              await ari.originate({
                endpoint: 'PJSIP/103',
                context: 'supervisor-listen',
                extension: '102',
                callerId: '"102" <102>',
                timeout: 30,
                variables: { SPY_MODE: '' },
              });
              await expectSippSuccess(caller, 'caller');
              await sleep(2000);
            },
          );
        },
      );
    },
  },
];
