import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabApi, type SseReader } from './support/api-client.ts';
import {
  callFact,
  eventsOfCall,
  expectAsteriskIdle,
  expectNear,
  finalCard,
  liveTypesOfCall,
  segmentFacts,
} from './support/call-checks.ts';
import { LAB_DID, type Lab, type LabServer, startLab } from './support/lab.ts';
import { deskPhone, inboundCall, RINGS_UNANSWERED } from './support/phones.ts';
import { expectSippSuccess } from './support/sipp.ts';

/**
 * What happens after an operator answers a queue call, on Debian's Asterisk running the
 * product's own configuration: a blind transfer by SIP REFER, hold twice by re-INVITE, and the
 * call's recording played through the API. Expected values come from what the SIP peers are told
 * to do (docs/reconciliation.md: Segments, Talk, hold and waits, Transfers, Recording); times
 * within 1 s. The caller presses 3 (support, ring-all) 1.5 s after the IVR answers.
 */

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
    sup,
    s102,
    s103,
    async close() {
      await Promise.all([sup.close(), s102.close(), s103.close()]);
    },
  };
}

describe('blind transfer by the desk phone (SIP REFER)', () => {
  it('is one call whose talk is split between the transferring and the receiving operator', async () => {
    // 103 is not registered yet, so the queue rings only 102: 102 rings 1 s, answers, talks 4 s
    // and REFERs the caller to 103. 103 registers meanwhile, rings 1 s, answers and hangs up
    // after 3 s of talk.
    const live = await openStreams();
    const transferring = await deskPhone(lab, server, '102', {
      scenario: 'phone-refer.xml',
      ringMs: 1000,
      referAfterMs: 4000,
      target: '103',
    });
    const caller = await inboundCall(lab, server, {
      cli: '79161230201',
      did: LAB_DID,
      digit: '3',
      holdMs: 60_000,
    });
    await live.s102.waitFor((e) => e.event === 'call.answered', "102's answer", 30_000);
    const receiving = await deskPhone(lab, server, '103', {
      scenario: 'phone-answer.xml',
      ringMs: 1000,
      talkMs: 3000,
    });
    await expectSippSuccess(caller, 'caller');
    await transferring.stop();
    await receiving.stop();

    const card = await finalCard(supervisor, '79161230201');
    expect(card).toMatchObject({
      server_id: 'pbx1',
      direction: 'inbound',
      status: 'answered',
      queue: 'support',
      operator_endpoint: '103',
      hung_up_by: 'operator',
    });
    expect(card.transfers.map((t) => [t.kind, t.from_operator, t.to_target])).toEqual([
      ['blind', '102', '103'],
    ]);
    expect(card.attempts.map((a) => [a.operator_endpoint, a.outcome, a.queue])).toEqual([
      ['102', 'answered', 'support'],
      ['103', 'answered', null],
    ]);
    expectNear(card.attempts[1]!.ring_sec, 1, "103's ring");
    expect(card.segments.map((s) => s.operator_endpoint)).toEqual(['102', '103']);
    expectNear(card.segments[0]!.talk_sec, 4, "102's talk (until the REFER)");
    expectNear(card.segments[1]!.talk_sec, 3, "103's talk");
    // The ring of the transfer target is nobody's talk.
    expectNear(card.talk_sec, 7, 'talk (4 s with 102, 3 s with 103)');
    expect(card.hold_sec).toBe(0);
    expectNear(card.queue_wait_sec, 1, 'queue wait (102 rang 1 s)');

    const fact = await callFact(supervisor, card);
    expect(fact).toMatchObject({ status: 'answered', operator: '103', queue: 'support' });
    expect(Number(fact.transfers)).toBe(1);
    expect(Number(fact.attempts)).toBe(2);
    expect(Number(fact.missed_attempts)).toBe(0);
    const segments = await segmentFacts(supervisor, card, 2);
    expect(segments.map((s) => s.operator)).toEqual(['102', '103']);
    expectNear(segments[0]!.talk_sec, card.segments[0]!.talk_sec, 'facts: 102 talk', 0.01);
    expectNear(segments[1]!.talk_sec, card.segments[1]!.talk_sec, 'facts: 103 talk', 0.01);

    const t102 = await liveTypesOfCall(live.s102, card.id);
    const t103 = await liveTypesOfCall(live.s103, card.id);
    const sup = await liveTypesOfCall(live.sup, card.id);
    await live.close();
    // No hold: nobody is told of one (Asterisk raises ChannelUnhold on 102's channel at the REFER).
    expect({ t102, t103 }).toEqual({
      t102: ['call.ringing', 'call.answered', 'call.transferred', 'call.hangup', 'call.ended'],
      t103: ['call.ringing', 'call.answered', 'call.hangup', 'call.ended'],
    });
    // The supervisor sees both operators' events (channels are journaled in parallel: counted).
    const count = (types: string[]) =>
      Object.fromEntries([...new Set(types)].map((t) => [t, types.filter((x) => x === t).length]));
    expect(count(sup)).toEqual({
      'call.ringing': 2,
      'call.answered': 2,
      'call.transferred': 1,
      'call.hangup': 2,
      'call.ended': 1,
    });
    expect(sup.at(-1)).toBe('call.ended');
    const transferred = eventsOfCall(live.s102, card.id).find((e) => e.type === 'call.transferred')!;
    expect(transferred).toMatchObject({ transfer: { kind: 'blind', to: '103' } });

    await expectAsteriskIdle(server, ['support']);
  });
});

describe('hold by the desk phone (re-INVITE sendonly, then sendrecv)', () => {
  it('counts both holds as hold, not talk, and announces each on the live stream', async () => {
    // 102 rings 1 s, answers, talks 2 s, holds 3 s, talks 2 s, holds 3 s, talks 2 s and hangs up;
    // 103 rings until the queue cancels its ring.
    const holdMs = 3000;
    const live = await openStreams();
    const holding = await deskPhone(lab, server, '102', {
      scenario: 'phone-hold.xml',
      ringMs: 1000,
      holdAfterMs: 2000,
      holdMs,
      talkMs: 2000,
    });
    const ringing = await deskPhone(lab, server, '103', RINGS_UNANSWERED);
    const caller = await inboundCall(lab, server, {
      cli: '79161230202',
      did: LAB_DID,
      digit: '3',
      holdMs: 60_000,
    });
    await expectSippSuccess(caller, 'caller');
    await holding.stop();
    await ringing.stop();

    const card = await finalCard(supervisor, '79161230202');
    expect(card).toMatchObject({
      status: 'answered',
      operator_endpoint: '102',
      queue: 'support',
      transfers: [],
      hung_up_by: 'operator',
    });
    expect(Object.fromEntries(card.attempts.map((a) => [a.operator_endpoint, a.outcome]))).toEqual({
      '102': 'answered',
      '103': 'canceled',
    });
    expectNear(card.hold_sec, (2 * holdMs) / 1000, 'hold (two holds of 3 s)');
    expectNear(card.talk_sec, 6, 'talk without the holds (2 + 2 + 2 s)');
    expect(card.holds).toHaveLength(2);
    expect(card.holds.map((h) => h.operator_endpoint)).toEqual(['102', '102']);
    for (const h of card.holds)
      expectNear((Date.parse(h.ended_at) - Date.parse(h.started_at)) / 1000, holdMs / 1000, 'one hold');
    expect(card.segments).toHaveLength(1);
    expectNear(card.segments[0]!.hold_sec, card.hold_sec, "102's segment hold", 0.01);
    expectNear(card.segments[0]!.talk_sec, card.talk_sec, "102's segment talk", 0.01);

    const fact = await callFact(supervisor, card);
    expectNear(fact.hold_sec, card.hold_sec, 'facts hold', 0.01);
    expectNear(fact.talk_sec, card.talk_sec, 'facts talk', 0.01);
    const segments = await segmentFacts(supervisor, card, 1);
    expectNear(segments[0]!.hold_sec, card.hold_sec, 'segment facts hold', 0.01);

    const t102 = await liveTypesOfCall(live.s102, card.id);
    const sup = await liveTypesOfCall(live.sup, card.id);
    await live.close();
    expect(t102.filter((t) => t !== 'call.updated')).toEqual([
      'call.ringing',
      'call.answered',
      'call.held',
      'call.unheld',
      'call.held',
      'call.unheld',
      'call.hangup',
      'call.ended',
    ]);
    expect(sup.filter((t) => t === 'call.held')).toHaveLength(2);
    expect(sup.filter((t) => t === 'call.unheld')).toHaveLength(2);

    await expectAsteriskIdle(server, ['support']);
  });
});

describe('the call recording through the API', () => {
  it('plays the file MixMonitor wrote, by ranges and whole', async () => {
    // MixMonitor (option b) records the bridged audio: the phones send none, so the sound is
    // Asterisk's music on hold while 102 holds the caller. 102 answers after 1 s, talks 1 s,
    // holds 2 s, talks 2 s, holds 2 s, talks 1 s and hangs up; 103 rings until canceled.
    const speaking = await deskPhone(lab, server, '102', {
      scenario: 'phone-hold.xml',
      ringMs: 1000,
      holdAfterMs: 1000,
      holdMs: 2000,
      talkMs: 1000,
    });
    const ringing = await deskPhone(lab, server, '103', RINGS_UNANSWERED);
    const caller = await inboundCall(lab, server, {
      cli: '79161230203',
      did: LAB_DID,
      digit: '3',
      holdMs: 60_000,
    });
    await expectSippSuccess(caller, 'caller');
    await speaking.stop();
    await ringing.stop();

    const card = await finalCard(supervisor, '79161230203');
    expect(card).toMatchObject({ status: 'answered', operator_endpoint: '102', has_recording: true });
    // With ASTERISK_SYSTEM_NAME the linkedid carries the server's name (`pbx1-1796672808.0`),
    // and so does the file name the dialplan gives the recording (asterisk/etc/extensions.conf).
    expect(card.linkedid).toMatch(/^pbx1-\d+\.\d+$/);
    const monitor = join(server.work, 'spool', 'monitor');
    const files = readdirSync(monitor, { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith(`-in-${card.linkedid}.wav`),
    );
    expect(files).toHaveLength(1);
    const onDisk = readFileSync(join(monitor, files[0]!));
    // Real sound: the RIFF header and at least the 4 s of music on hold in 8 kHz 16-bit samples.
    expect(onDisk.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(onDisk.length).toBeGreaterThanOrEqual(44 + 3 * 16_000);

    const url = `${lab.apiUrl}/calls/${card.id}/recording`;
    const auth = { authorization: `Bearer ${supervisor.token}` };
    const part = await fetch(url, { headers: { ...auth, range: 'bytes=0-99' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 0-99/${onDisk.length}`);
    expect(part.headers.get('content-type')).toBe('audio/wav');
    const partBytes = Buffer.from(await part.arrayBuffer());
    expect(partBytes.length).toBe(100);
    expect(partBytes.equals(onDisk.subarray(0, 100))).toBe(true);

    const tail = await fetch(url, { headers: { ...auth, range: `bytes=${onDisk.length - 10}-` } });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer()).equals(onDisk.subarray(onDisk.length - 10))).toBe(true);

    const whole = await fetch(url, { headers: auth });
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await whole.arrayBuffer()).equals(onDisk)).toBe(true);

    // The operator who took the call may listen too.
    const own = await fetch(url, {
      headers: { authorization: `Bearer ${op102.token}`, range: 'bytes=0-99' },
    });
    expect(own.status).toBe(206);
    await own.arrayBuffer();

    await expectAsteriskIdle(server, ['support']);
  });
});
