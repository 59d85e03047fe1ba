import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabApi, type SseReader } from './support/api-client.ts';
import {
  attemptFacts,
  callFact,
  expectAsteriskIdle,
  expectNear,
  finalCard,
  liveTypesOfCall,
} from './support/call-checks.ts';
import { LAB_DID, type Lab, type LabServer, startLab } from './support/lab.ts';
import { deskPhone, inboundCall, RINGS_UNANSWERED } from './support/phones.ts';
import { expectSippSuccess } from './support/sipp.ts';

/**
 * How a queue call ends for each operator rung, on Debian's Asterisk running the product's own
 * configuration: a member whose phone is busy (486) misses the call while another answers it, and
 * a caller who gives up in the queue abandons it without anyone missing it
 * (docs/reconciliation.md, Status and Attempts). Expected values come from what the SIP peers are
 * told to do; times within 1 s.
 *
 * The caller (support/phones.ts inboundCall): the IVR answers at once, the caller presses 3
 * (support, ring-all) after DTMF_AFTER_MS, which sends it to the queue a moment later (the
 * RFC 4733 recording lasts a fraction of a second).
 */

const DTMF_AFTER_MS = 1500;

let lab: Lab;
let server: LabServer;
let supervisor: LabApi;
let op102: LabApi;
let op103: LabApi;

beforeAll(async () => {
  lab = await startLab([{ id: 'pbx1', operators: { '101': 'webrtc', '102': 'sip', '103': 'sip' } }]);
  server = lab.servers[0]!;
  const sup = await lab.addUser('sup', 'supervisor', ['--queues', 'registry,support,sales']);
  supervisor = new LabApi(lab.apiUrl, await lab.login('sup', sup));
  const p102 = await lab.addUser('op102', 'operator', ['--endpoint', '102']);
  op102 = new LabApi(lab.apiUrl, await lab.login('op102', p102));
  const p103 = await lab.addUser('op103', 'operator', ['--endpoint', '103']);
  op103 = new LabApi(lab.apiUrl, await lab.login('op103', p103));
});

afterAll(async () => {
  await lab?.stop();
});

/** Live streams of the supervisor and both operators, opened before a call. */
async function openStreams(): Promise<{
  sup: SseReader;
  s102: SseReader;
  s103: SseReader;
  close(): Promise<void>;
}> {
  const [sup, s102, s103] = await Promise.all([
    supervisor.liveEvents(),
    op102.liveEvents(),
    op103.liveEvents(),
  ]);
  return {
    sup: sup!,
    s102: s102!,
    s103: s103!,
    async close() {
      await Promise.all([sup!.close(), s102!.close(), s103!.close()]);
    },
  };
}

describe('ring-all queue: who missed the call, who took it, who abandoned it', () => {
  it('a busy member misses the call (busy) while the other member answers it', async () => {
    // support rings 102 and 103 together: 102 answers 486 Busy Here at once; 103 rings 2 s,
    // answers and hangs up after 4 s of talk.
    const busy = await deskPhone(lab, server, '102', { scenario: 'phone-busy.xml' });
    const answering = await deskPhone(lab, server, '103', {
      scenario: 'phone-answer.xml',
      ringMs: 2000,
      talkMs: 4000,
    });
    const contacts = await server.cli('pjsip show contacts');
    expect(contacts).toMatch(/102\/sip:102@127\.0\.0\.1:\d+\s+\S+\s+(Avail|NonQual|Unknown)/);
    expect(contacts).toMatch(/103\/sip:103@127\.0\.0\.1:\d+\s+\S+\s+(Avail|NonQual|Unknown)/);
    const live = await openStreams();

    const caller = await inboundCall(lab, server, {
      cli: '79161230101',
      did: LAB_DID,
      digit: '3',
      dtmfAfterMs: DTMF_AFTER_MS,
      holdMs: 60_000,
    });
    await expectSippSuccess(caller, 'caller');
    await busy.stop();
    await answering.stop();

    const card = await finalCard(supervisor, '79161230101');
    expect(card).toMatchObject({
      server_id: 'pbx1',
      direction: 'inbound',
      status: 'answered',
      operator_endpoint: '103',
      queue: 'support',
      queues: ['support'],
      did: LAB_DID,
      hung_up_by: 'operator',
      transfers: [],
    });
    const outcomes = Object.fromEntries(card.attempts.map((a) => [a.operator_endpoint, a.outcome]));
    expect(outcomes).toEqual({ '102': 'busy', '103': 'answered' });
    expect(card.attempts.find((a) => a.operator_endpoint === '102')!.hangup_cause).toBe(17);
    expectNear(card.attempts.find((a) => a.operator_endpoint === '103')!.ring_sec, 2, '103 ring');
    expectNear(card.queue_wait_sec, 2, 'queue wait (103 rang 2 s)');
    expectNear(card.wait_sec, DTMF_AFTER_MS / 1000 + 2, 'wait (IVR until the digit, then 2 s of ringing)');
    expectNear(card.talk_sec, 4, 'talk');
    expect(card.hold_sec).toBe(0);
    expect(card.segments.map((s) => [s.operator_endpoint, s.party])).toEqual([['103', '103']]);

    // ClickHouse: the call's facts, and each ring with its outcome (102's is a miss).
    const fact = await callFact(supervisor, card);
    expect(fact).toMatchObject({
      status: 'answered',
      queue: 'support',
      operator: '103',
      direction: 'inbound',
    });
    expect(Number(fact.attempts)).toBe(2);
    expect(Number(fact.missed_attempts)).toBe(1);
    expectNear(fact.talk_sec, card.talk_sec, 'facts talk', 0.01);
    expectNear(fact.queue_wait_sec, card.queue_wait_sec!, 'facts queue wait', 0.01);
    const rings = await attemptFacts(supervisor, card, 2);
    expect(rings.map((r) => [r.operator, r.outcome, r.queue])).toEqual([
      ['102', 'busy', 'support'],
      ['103', 'answered', 'support'],
    ]);
    // An operator's own figures count the busy ring as their miss.
    const period = `from=${encodeURIComponent(new Date(Date.parse(card.started_at) - 60_000).toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`;
    const stats102 = await op102.get<{ answered_calls: number; missed_attempts: number }>(
      `/me/stats?${period}`,
    );
    expect(stats102).toMatchObject({ answered_calls: 0, missed_attempts: 1 });
    const stats103 = await op103.get<{ answered_calls: number; missed_attempts: number }>(
      `/me/stats?${period}`,
    );
    expect(stats103).toMatchObject({ answered_calls: 1, missed_attempts: 0 });

    // Live: both phones were offered the call; only 103 answered it.
    const sup = await liveTypesOfCall(live.sup, card.id);
    const t102 = await liveTypesOfCall(live.s102, card.id);
    const t103 = await liveTypesOfCall(live.s103, card.id);
    await live.close();
    expect(t103.filter((t) => t !== 'call.updated')).toEqual([
      'call.ringing',
      'call.answered',
      'call.hangup',
      'call.ended',
    ]);
    expect(t102).toContain('call.ringing');
    expect(t102).not.toContain('call.answered');
    expect(t102).toContain('call.ended');
    expect(sup.filter((t) => t === 'call.ringing')).toHaveLength(2);
    expect(sup.filter((t) => t === 'call.answered')).toHaveLength(1);
    expect(sup.at(-1)).toBe('call.ended');

    await expectAsteriskIdle(server, ['support']);
  });

  it('a caller who hangs up in the queue abandons the call; the canceled rings are nobody’s miss', async () => {
    // Both members ring and never answer; the caller hangs up 6 s after pressing 3 (the queue's
    // member timeout is 15 s, so no ring ends on its own before that).
    const waitMs = 6000;
    const ring102 = await deskPhone(lab, server, '102', RINGS_UNANSWERED);
    const ring103 = await deskPhone(lab, server, '103', RINGS_UNANSWERED);
    const live = await openStreams();

    const caller = await inboundCall(lab, server, {
      cli: '79161230102',
      did: LAB_DID,
      digit: '3',
      dtmfAfterMs: DTMF_AFTER_MS,
      holdMs: waitMs,
    });
    await expectSippSuccess(caller, 'caller');
    await ring102.stop();
    await ring103.stop();

    const card = await finalCard(supervisor, '79161230102');
    expect(card).toMatchObject({
      server_id: 'pbx1',
      direction: 'inbound',
      status: 'abandoned',
      operator_endpoint: null,
      queue: 'support',
      hung_up_by: 'customer',
      answered_at: null,
      talk_sec: 0,
      hold_sec: 0,
      transfers: [],
      segments: [],
    });
    expectNear(card.queue_wait_sec, waitMs / 1000, 'queue wait (until the caller left)');
    expectNear(card.wait_sec, DTMF_AFTER_MS / 1000 + waitMs / 1000, 'wait (the whole call)');
    const outcomes = Object.fromEntries(card.attempts.map((a) => [a.operator_endpoint, a.outcome]));
    expect(outcomes).toEqual({ '102': 'canceled', '103': 'canceled' });
    for (const a of card.attempts) expectNear(a.ring_sec, waitMs / 1000, `${a.operator_endpoint} ring`);

    const fact = await callFact(supervisor, card);
    expect(fact).toMatchObject({ status: 'abandoned', queue: 'support', operator: '' });
    expect(Number(fact.attempts)).toBe(2);
    expect(Number(fact.missed_attempts)).toBe(0);
    expectNear(fact.queue_wait_sec, card.queue_wait_sec!, 'facts queue wait', 0.01);
    const rings = await attemptFacts(supervisor, card, 2);
    expect(rings.map((r) => [r.operator, r.outcome, r.call_status])).toEqual([
      ['102', 'canceled', 'abandoned'],
      ['103', 'canceled', 'abandoned'],
    ]);

    for (const reader of [live.s102, live.s103]) {
      const types = await liveTypesOfCall(reader, card.id);
      expect(types.filter((t) => t !== 'call.updated')).toEqual([
        'call.ringing',
        'call.hangup',
        'call.ended',
      ]);
    }
    const sup = await liveTypesOfCall(live.sup, card.id);
    await live.close();
    expect(sup.filter((t) => t === 'call.ringing')).toHaveLength(2);
    expect(sup).not.toContain('call.answered');

    await expectAsteriskIdle(server, ['support']);
  });
});
