import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CAPTURE_SCENARIOS } from '../../src/lab/capture-scenarios.ts';
import { LabApi } from './support/api-client.ts';
import { finalCardWhere } from './support/call-checks.ts';
import { type Lab, type LabServer, startLab } from './support/lab.ts';

/**
 * Call pickup, park and take back, and a conference on Debian's Asterisk with the product's
 * configuration (features.conf pickupexten, res_parking.conf, confbridge.conf), played by the
 * same SIP peers as `npm run pbx:capture` scenarios 21–24 (asterisk/src/lab/capture-scenarios.ts).
 * The expected cards are written from what the peers are told to do — who dials what, who talks
 * how long (SIPp timers), who hangs up — never from the reconciler's output
 * (docs/reconciliation.md#attempts, #talk-hold-and-waits, #conferences). Durations the peers
 * control are checked within 1 s; those that depend on how fast the lab starts a peer only for
 * their order.
 */

interface Card {
  id: number;
  direction: string;
  status: string;
  operator_endpoint: string | null;
  queue: string | null;
  src_number: string | null;
  dst_number: string | null;
  duration_sec: number;
  talk_sec: number;
  hold_sec: number;
  attempts: { operator_endpoint: string; outcome: string; queue: string | null }[];
  transfers: { kind: string; from_operator: string | null; to_target: string | null }[];
  segments: { operator_endpoint: string | null; talk_sec: number; hold_sec: number }[];
}

let lab: Lab;
let server: LabServer;
let admin: LabApi;

beforeAll(async () => {
  lab = await startLab([{ id: 'pbx1', operators: { '101': 'sip', '102': 'sip', '103': 'sip' } }]);
  server = lab.servers[0]!;
  const password = await lab.addUser('adm', 'admin');
  admin = new LabApi(lab.apiUrl, await lab.login('adm', password));
});

afterAll(async () => {
  await lab?.stop();
});

async function play(name: string): Promise<void> {
  const scenario = CAPTURE_SCENARIOS.find((s) => s.name === name);
  if (!scenario) throw new Error(`no capture scenario ${name}`);
  await scenario.run(lab, server);
}

/** The final card of the call from `src` to `dst` (waits for the collector to write it). */
const card = (src: string, dst: string): Promise<Card> =>
  finalCardWhere<Card>(
    admin,
    `the call ${src} → ${dst}`,
    (c) => c.src_number === src && c.dst_number === dst,
    90_000,
  );

const near = (actual: number, expected: number, label: string) =>
  expect(Math.abs(actual - expected), `${label}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1);

// One lab for all four; a phone a scenario registered stays registered after it, so the order
// keeps every scenario's "only these phones ring": park and conference register only 101, the
// directed pickup 101 and 102, the group pickup 102 (101 and 103 place their calls unregistered).
describe('call shapes on the real PBX', () => {
  it('park and take back: talk split between the two operators, the parked time as hold', async () => {
    // 101 answers, talks 4 s, transfers the caller to 700 (parked in 701); 102 dials 701 later and
    // talks until the caller hangs up.
    await play('23-park-unpark');
    const call = await card('79161234583', '74951234567');
    expect(call).toMatchObject({ direction: 'inbound', status: 'answered', operator_endpoint: '102' });
    expect(call.attempts.map((a) => [a.operator_endpoint, a.outcome])).toEqual([['101', 'answered']]);
    expect(call.transfers.map((t) => [t.kind, t.from_operator, t.to_target])).toEqual([
      ['blind', '101', '700'],
    ]);
    expect(call.segments.map((s) => s.operator_endpoint)).toEqual(['101', '102']);
    const [parker, retriever] = call.segments;
    near(parker!.talk_sec, 4, "101's talk before parking");
    // The parked time is the parker's hold, the call's hold, and neither operator's talk.
    expect(parker!.hold_sec).toBeGreaterThan(1);
    expect(retriever!.hold_sec).toBe(0);
    near(call.hold_sec, parker!.hold_sec, 'hold = parked time');
    near(call.talk_sec, parker!.talk_sec + retriever!.talk_sec, 'talk = both segments');
    expect(call.talk_sec + call.hold_sec).toBeLessThanOrEqual(call.duration_sec);
  });

  it('conference: an operator alone in a room is internal and answered; a caller moved into a room keeps its call', async () => {
    // 103 stays alone in room 801 for 3 s; then a queue call answered by 101 is moved to room 800,
    // which 101 and 102 dial into.
    await play('24-conference');
    const alone = await card('103', '801');
    expect(alone).toMatchObject({ direction: 'internal', status: 'answered', operator_endpoint: '103' });
    expect(alone.attempts).toEqual([]);
    expect(alone.talk_sec).toBe(0);
    near(alone.duration_sec, 3, 'in the room');

    const call = await card('79161234584', '74951234567');
    expect(call).toMatchObject({ direction: 'inbound', status: 'answered', queue: 'support' });
    expect(call.attempts.map((a) => [a.operator_endpoint, a.outcome])).toEqual([['101', 'answered']]);
    expect(call.transfers.map((t) => [t.kind, t.from_operator, t.to_target])).toEqual([
      ['blind', '101', '800'],
    ]);
    // Every operator in the room with the caller is a participant; the room calls are no calls of their own.
    expect(call.segments.map((s) => s.operator_endpoint)).toEqual(['101', '101', '102']);
    near(call.segments[0]!.talk_sec, 4, "101's talk before the room");
    const page = await admin.get<{ items: { dst_number: string | null; direction: string }[] }>(
      '/calls?limit=50',
    );
    expect(page.items.filter((c) => c.dst_number === '800')).toEqual([]);
  });
  it('directed pickup (**102) of a queue call: the queue call is answered by the picker', async () => {
    // The support queue rings 101 and 102; 103 dials **102 and talks until the caller hangs up.
    await play('22-pickup-directed-inbound');
    const call = await card('79161234582', '74951234567');
    expect(call).toMatchObject({
      direction: 'inbound',
      status: 'answered',
      operator_endpoint: '103',
      queue: 'support',
    });
    expect(call.attempts.map((a) => [a.operator_endpoint, a.outcome, a.queue])).toEqual([
      ['101', 'canceled', 'support'],
      ['102', 'canceled', 'support'],
      ['103', 'answered', 'support'],
    ]);
    expect(call.segments.map((s) => s.operator_endpoint)).toEqual(['103']);
    expect(call.talk_sec).toBeGreaterThan(0);
  });

  it('group pickup (*8): answered by the picker; the picked phone did not miss it', async () => {
    // 101 dials 102; 102 rings; 103 dials *8 and talks 6 s, then hangs up.
    await play('21-pickup-group-internal');
    const call = await card('101', '102');
    expect(call).toMatchObject({ direction: 'internal', status: 'answered', operator_endpoint: '101' });
    expect(call.attempts.map((a) => [a.operator_endpoint, a.outcome])).toEqual([
      ['102', 'canceled'],
      ['103', 'answered'],
    ]);
    expect(call.segments.map((s) => s.operator_endpoint)).toEqual(['103']);
    near(call.talk_sec, 6, 'talk with 103');
    expect(call.hold_sec).toBe(0);
  });
});
