import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, LabApi } from './support/api-client.ts';
import { LAB_DID, type Lab, startLab } from './support/lab.ts';
import { deskPhone, inboundCall, RINGS_UNANSWERED } from './support/phones.ts';
import { expectSippSuccess } from './support/sipp.ts';

/**
 * Inbound calls through the IVR into a queue, on Debian's Asterisk running the product's own
 * configuration. The expected cards are written from what the SIP peers are told to do (who
 * rings how long, who answers, who hangs up when), never from the reconciler's output.
 */

interface Card {
  id: number;
  server_id: string;
  direction: string;
  status: string;
  operator_endpoint: string | null;
  queue: string | null;
  src_number: string | null;
  did: string | null;
  talk_sec: number;
  hold_sec: number;
  queue_wait_sec: number | null;
  attempts: { operator_endpoint: string; outcome: string; ring_sec: number }[];
  transfers: unknown[];
  version: number;
}

let lab: Lab;
let supervisor: LabApi;

beforeAll(async () => {
  lab = await startLab([{ id: 'pbx1', operators: { '101': 'webrtc', '102': 'sip', '103': 'sip' } }]);
  const password = await lab.addUser('sup', 'supervisor', ['--queues', 'registry,support,sales']);
  supervisor = new LabApi(lab.apiUrl, await lab.login('sup', password));
});

afterAll(async () => {
  await lab?.stop();
});

/** The final card of the call from `cli` (waits for the collector to write it). */
async function finalCard(api: LabApi, cli: string): Promise<Card> {
  const listed = await eventually(`the call from ${cli} in GET /calls`, 60_000, async () => {
    const page = await api.get<{ items: { id: number; src_number: string | null; status: string }[] }>(
      `/calls?limit=20`,
    );
    return page.items.find((c) => c.src_number === cli && c.status !== 'ringing');
  });
  return api.get<Card>(`/calls/${listed.id}`);
}

describe('inbound call via the IVR into a ring-all queue', () => {
  it('is answered by the operator who picked up; the other ring is canceled, nobody missed it', async () => {
    const [pbx] = lab.servers;
    const server = pbx!;
    // support is ringall (asterisk/etc/queues.conf): 102 answers after 2 s and talks 4 s,
    // 103 keeps ringing until Asterisk cancels its ring.
    const answering = await deskPhone(
      lab,
      server,
      '102',
      { scenario: 'phone-answer.xml', ringMs: 2000, talkMs: 4000 },
      1,
    );
    const ringing = await deskPhone(lab, server, '103', RINGS_UNANSWERED, 1);
    const contacts = await server.cli('pjsip show contacts');
    expect(contacts).toMatch(/102\/sip:102@127\.0\.0\.1/);
    expect(contacts).toMatch(/103\/sip:103@127\.0\.0\.1/);

    const caller = await inboundCall(lab, server, {
      cli: '79161230001',
      did: LAB_DID,
      digit: '3', // ivr-main: 3 = support
      holdMs: 60_000,
    });
    await expectSippSuccess(caller, 'caller');
    await expectSippSuccess(answering, 'phone 102');
    await expectSippSuccess(ringing, 'phone 103');

    const card = await finalCard(supervisor, '79161230001');
    expect(card).toMatchObject({
      server_id: 'pbx1',
      direction: 'inbound',
      status: 'answered',
      operator_endpoint: '102',
      queue: 'support',
      did: LAB_DID,
    });
    expect(card.talk_sec).toBeGreaterThanOrEqual(3);
    expect(card.talk_sec).toBeLessThanOrEqual(5);
    expect(card.queue_wait_sec).toBeGreaterThanOrEqual(1);
    expect(card.queue_wait_sec).toBeLessThanOrEqual(3.5);
    const outcomes = Object.fromEntries(card.attempts.map((a) => [a.operator_endpoint, a.outcome]));
    expect(outcomes).toEqual({ '102': 'answered', '103': 'canceled' });
    expect(card.transfers).toEqual([]);

    const queue = await server.cli('queue show support');
    expect(queue).toMatch(/support has 0 calls/);
  });
});
