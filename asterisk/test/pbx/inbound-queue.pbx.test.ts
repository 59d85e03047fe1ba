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
    const page = await api.get<{
      items: { id: number; src_number: string | null; status: string; live: boolean }[];
    }>(`/calls?limit=20`);
    return page.items.find((c) => c.src_number === cli && c.status !== 'ringing' && !c.live);
  });
  return api.get<Card>(`/calls/${listed.id}`);
}

describe('inbound call via the IVR into a ring-all queue', () => {
  it('is answered by the operator who picked up; the other ring is canceled, nobody missed it', async () => {
    const [pbx] = lab.servers;
    const server = pbx!;
    // support is ringall (asterisk/etc/queues.conf): 102 answers after 2 s and talks 4 s,
    // 103 keeps ringing until Asterisk cancels its ring.
    const answering = await deskPhone(lab, server, '102', {
      scenario: 'phone-answer.xml',
      ringMs: 2000,
      talkMs: 4000,
    });
    const ringing = await deskPhone(lab, server, '103', RINGS_UNANSWERED);
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
    await answering.stop();
    await ringing.stop();

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

describe('while the operator talks', () => {
  it('GET /calls shows the call answered by 102, and GET /presence shows 102 registered, not offline', async () => {
    const [pbx] = lab.servers;
    const server = pbx!;
    // support is ringall: 102 answers after 1 s and talks 15 s; nobody else is registered for it
    // now (103's phone of the first test has stopped), so only 102 rings.
    const answering = await deskPhone(lab, server, '102', {
      scenario: 'phone-answer.xml',
      ringMs: 1000,
      talkMs: 15_000,
    });
    const caller = await inboundCall(lab, server, {
      cli: '79161230002',
      did: LAB_DID,
      digit: '3', // ivr-main: 3 = support
      holdMs: 60_000,
    });
    // During the talk (the call is still open: no CEL-derived card yet), the live card of the
    // call is answered by 102 — not "ringing" until it ends.
    const live = await eventually('the live call answered by 102 in GET /calls', 13_000, async () => {
      const page = await supervisor.get<{
        items: {
          id: number;
          src_number: string | null;
          status: string;
          operator_endpoint: string | null;
          ended_at: string | null;
          answered_at: string | null;
        }[];
      }>('/calls?limit=20');
      const call = page.items.find((c) => c.src_number === '79161230002');
      return call && call.status === 'answered' && call.operator_endpoint === '102' ? call : undefined;
    });
    expect(live.ended_at).toBeNull();
    expect(live.answered_at).not.toBeNull();
    // 102 is registered (Asterisk says so) and Asterisk rings it for the queue: its presence
    // is not "offline".
    const contacts = await server.cli('pjsip show contacts');
    expect(contacts).toMatch(/102\/sip:102@127\.0\.0\.1/);
    const presence = await supervisor.get<{
      operators: { endpoint: string; state: string; registration: string }[];
    }>('/presence');
    const p102 = presence.operators.find((o) => o.endpoint === '102');
    expect(p102).toMatchObject({ registration: 'registered' });
    expect(p102?.state).not.toBe('offline');
    await expectSippSuccess(caller, 'caller');
    await answering.stop();
    const card = await finalCard(supervisor, '79161230002');
    expect(card).toMatchObject({ status: 'answered', operator_endpoint: '102', id: live.id });
  });
});
