import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabApi } from './support/api-client.ts';
import { expectAsteriskIdle, expectNear, finalCard } from './support/call-checks.ts';
import { LAB_DID, type Lab, type LabServer, startLab } from './support/lab.ts';
import { attendedTransferPhone, deskPhone, inboundCall, RINGS_UNANSWERED } from './support/phones.ts';
import { expectSippSuccess, type SippProcess } from './support/sipp.ts';

/**
 * Attended transfer with the in-call DTMF feature (features.conf `atxfer`, `*2`) on Debian's
 * Asterisk running the product's own configuration: Asterisk reaches the digits pressed through a
 * Local channel (`Local/<digits>@operators`), to an operator's extension or to a queue's number
 * (extensions.conf `[queue-extensions]`). Expected values come from what the SIP peers are told to
 * do (docs/reconciliation.md: Transfers, Talk, hold and waits — consultation hold, Attempts); times
 * within 1 s. The caller presses 3 (support, ring-all) 1.5 s after the IVR answers. The desk phone
 * pauses 0.4 s between keys and 1.9 s after `*2`, and hangs up `consultMs` after its last key.
 */

let lab: Lab;
let server: LabServer;
let supervisor: LabApi;

beforeAll(async () => {
  lab = await startLab([{ id: 'pbx1', operators: { '101': 'sip', '102': 'sip', '103': 'sip' } }]);
  server = lab.servers[0]!;
  const sup = await lab.addUser('sup', 'supervisor', ['--queues', 'registry,support,sales']);
  supervisor = new LabApi(lab.apiUrl, await lab.login('sup', sup));
});

afterAll(async () => {
  await lab?.stop();
});

async function withPhones(phones: Promise<SippProcess>[], call: () => Promise<void>): Promise<void> {
  const started: SippProcess[] = [];
  try {
    for (const phone of phones) started.push(await phone);
    await call();
  } finally {
    for (const phone of started) await phone.stop();
  }
}

describe('attended transfer by DTMF (*2) through a Local channel', () => {
  // First, while 103 has never registered (so the sales queue can ring nobody but 102).
  it('into a queue: the target is the queue, the second queue is on the call, 102 is the last operator', async () => {
    // 101 rings 1 s, answers, talks 4 s, presses *2 and 5003 (the sales queue); the Local channel's
    // ;2 half waits in sales, where only 102 is free: 102 rings 3 s and answers; 101 hangs up 7 s
    // after its last key; the caller hangs up 25 s after pressing 3.
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
          cli: '79161230301',
          did: LAB_DID,
          digit: '3',
          holdMs: 25_000,
        });
        await expectSippSuccess(caller, 'caller');
      },
    );
    const card = await finalCard(supervisor, '79161230301');
    expect(card).toMatchObject({
      direction: 'inbound',
      status: 'answered',
      queue: 'support',
      queues: ['support', 'sales'],
      operator_endpoint: '102',
      hung_up_by: 'customer',
    });
    expect(card.transfers.map((t) => [t.kind, t.from_operator, t.to_target])).toEqual([
      ['attended', '101', 'sales'],
    ]);
    expect(card.attempts.map((a) => [a.operator_endpoint, a.outcome, a.queue])).toEqual([
      ['101', 'answered', 'support'],
      ['102', 'canceled', 'support'],
      ['102', 'answered', 'sales'],
    ]);
    expectNear(card.attempts[2]!.ring_sec, 3, "102's ring in sales");
    expect(card.segments.map((s) => s.operator_endpoint)).toEqual(['101', '102']);
    // 101: 4 s + 0.4 s (*, 2) of talk, then the caller hears music on hold while 101 dials
    // (1.9 s + 3 × 0.4 s) and consults (7 s): 10.1 s of hold by 101.
    expectNear(card.segments[0]!.talk_sec, 4.4, "101's talk");
    expectNear(card.segments[0]!.hold_sec, 10.1, "101's consultation hold");
    // The transfer completes 1 + 4.4 + 10.1 = 15.5 s after the caller pressed 3.
    expectNear(card.segments[1]!.talk_sec, 9.5, "102's talk");
    expectNear(card.hold_sec, 10.1, 'hold');
    expectNear(card.talk_sec, 13.9, 'talk');
    await expectAsteriskIdle(server, ['support', 'sales']);
  });

  it("to an extension: the target is operator 102, never the dialplan's s or the Local channel", async () => {
    // 101 rings 1 s, answers, talks 4 s, presses *2 and 102; 102 rings 3 s and answers; 101 hangs
    // up 6 s after its last key; 103 rings unanswered; the caller hangs up 25 s after pressing 3.
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
          cli: '79161230302',
          did: LAB_DID,
          digit: '3',
          holdMs: 25_000,
        });
        await expectSippSuccess(caller, 'caller');
      },
    );
    const card = await finalCard(supervisor, '79161230302');
    expect(card).toMatchObject({
      direction: 'inbound',
      status: 'answered',
      queue: 'support',
      queues: ['support'],
      operator_endpoint: '102',
      hung_up_by: 'customer',
    });
    expect(card.transfers.map((t) => [t.kind, t.from_operator, t.to_target])).toEqual([
      ['attended', '101', '102'],
    ]);
    expect(card.attempts.map((a) => [a.operator_endpoint, a.outcome, a.queue])).toEqual([
      ['101', 'answered', 'support'],
      ['102', 'canceled', 'support'],
      ['103', 'canceled', 'support'],
      ['102', 'answered', null],
    ]);
    expectNear(card.attempts[3]!.ring_sec, 3, "102's ring as the transfer target");
    expect(card.segments.map((s) => s.operator_endpoint)).toEqual(['101', '102']);
    // 101: 4.4 s of talk, then hold while dialling (1.9 s + 2 × 0.4 s) and consulting (6 s).
    expectNear(card.segments[0]!.talk_sec, 4.4, "101's talk");
    expectNear(card.segments[0]!.hold_sec, 8.7, "101's consultation hold");
    // The transfer completes 1 + 4.4 + 8.7 = 14.1 s after the caller pressed 3.
    expectNear(card.segments[1]!.talk_sec, 10.9, "102's talk");
    expectNear(card.talk_sec, 15.3, 'talk');
    await expectAsteriskIdle(server, ['support']);
  });
});
