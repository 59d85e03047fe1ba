import type { AriEvent } from '@callcenter/asterisk/ari';
import { AriPeer, scenarioEvents, scenarioLinkedids } from '@callcenter/asterisk/testing/ari-peer';
import { AriLiveSource } from '@callcenter/live/ari-source';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import type { Role } from '../src/auth/auth-user.ts';
import type { LiveBus } from '../src/live/live-bus.ts';
import { liveBusFor } from '../src/routes/live/live-routes.ts';
import { type ApiTestKit, openApiTestKit } from './support/api-test-kit.ts';
import { type SseEvent, SseReader } from './support/sse-reader.ts';

/**
 * Screen-pops end to end: real ARI captures sent by a local ARI peer → the ARI source (ingest) →
 * provisional cards + `call_live` NOTIFY → the API's live source → `GET /live/events` of the right
 * users only. The captures' channel ids are prefixed (`9…`) so each replay is a new call; its
 * caller's original call (collected by the kit) shows up in the screen-pop's history.
 */

type CallData = {
  call: Record<string, unknown>;
  history?: Record<string, unknown>[];
  transfer?: Record<string, unknown>;
};
const dataOf = (e: SseEvent) => JSON.parse(e.data) as CallData;

let kit: ApiTestKit;
let peer: AriPeer;
let source: AriLiveSource;
let bus: LiveBus;
let app: ReturnType<typeof createApp>;
let handled = 0;
const readers: SseReader[] = [];
const tokens: Record<string, string> = {};

async function stream(who: string): Promise<SseReader> {
  const response = await app.request('/live/events', { headers: { authorization: `Bearer ${tokens[who]}` } });
  expect(response.status).toBe(200);
  const reader = new SseReader(response);
  readers.push(reader);
  await reader.waitFor((e) => e.event === 'ready', 'ready');
  return reader;
}

/** Sends a scenario's events with ids prefixed, and waits until the source handled them. */
async function play(name: string, prefix: string): Promise<AriEvent[]> {
  for (const [k, v] of scenarioLinkedids(name, prefix)) peer.linkedids.set(k, v);
  const events = scenarioEvents(name, prefix);
  const target = handled + events.length;
  peer.send(events);
  const until = Date.now() + 15_000;
  while (handled < target) {
    if (Date.now() > until) throw new Error(`the ARI source handled ${handled} of ${target} events`);
    await new Promise((r) => setTimeout(r, 10));
  }
  await source.idle();
  return events;
}

beforeAll(async () => {
  kit = await openApiTestKit();
  peer = await AriPeer.start();
  const { pool, db } = kit.stores.postgres;
  const deps = { db, pool, clickhouse: kit.stores.clickhouse, config: kit.config };
  bus = liveBusFor(deps)!;
  app = createApp({ ...deps, live: bus });
  const specs: Record<string, { role: Role; endpoint?: string; queues?: string[] }> = {
    op101: { role: 'operator', endpoint: '101' },
    op102: { role: 'operator', endpoint: '102' },
    op103: { role: 'operator', endpoint: '103' },
    sales: { role: 'supervisor', queues: ['sales'] },
    support: { role: 'supervisor', queues: ['support'] },
  };
  for (const [who, spec] of Object.entries(specs)) {
    tokens[who] = (await kit.user({ login: `ari-${who}`, ...spec })).token;
  }
  source = new AriLiveSource({
    connection: { url: peer.url, username: peer.username, password: peer.password },
    app: 'callcenter',
    serverId: 'pbx1',
    pool,
    onHandled: () => handled++,
  });
  await source.start(true);
});

afterAll(async () => {
  for (const r of readers) await r.close();
  await source?.stop();
  await bus?.close();
  await peer?.close();
  await kit?.dispose();
});

describe('screen-pop on GET /live/events from the real ARI captures', () => {
  it('04 (sales, rrmemory 102 then 103): call.ringing reaches 102, 103 and the sales supervisor, not 101 nor support', async () => {
    const op101 = await stream('op101');
    const op102 = await stream('op102');
    const op103 = await stream('op103');
    const sales = await stream('sales');
    const support = await stream('support');
    await play('04-inbound-rna-then-answered-rrmemory', '9');
    const ring102 = await op102.waitFor((e) => e.event === 'call.ringing', '102 ringing');
    const ring = dataOf(ring102);
    expect(ring.call).toEqual({
      id: expect.any(Number),
      serverId: 'pbx1',
      linkedid: '91795234985.12',
      channelId: expect.stringMatching(/^91795234/),
      endpoint: '102',
      direction: 'inbound',
      callerNumber: '79161234570',
      did: '74951234567',
      queue: 'sales',
      startedAt: expect.stringMatching(/^2026-11-21T04:2\d:\d\d\.\d{3}Z$/),
      provisional: true,
    });
    // The caller's earlier call (scenario 04 as collected by the kit) is in the history.
    expect(ring.history).toEqual([
      expect.objectContaining({
        direction: 'inbound',
        status: 'answered',
        queue: 'sales',
        operatorEndpoint: '103',
        needsCallback: false,
        cardCompleted: false,
      }),
    ]);
    const cardId = ring.call.id as number;
    await op103.waitFor((e) => e.event === 'call.ringing' && dataOf(e).call.id === cardId, '103 ringing');
    await op103.waitFor((e) => e.event === 'call.answered', '103 answered');
    await op103.waitFor((e) => e.event === 'call.hangup' && dataOf(e).call.endpoint === '103', '103 hangup');
    await sales.waitFor((e) => e.event === 'call.ringing', 'the sales supervisor sees the ring');
    await new Promise((r) => setTimeout(r, 200));
    expect(op101.events.filter((e) => e.event.startsWith('call.'))).toEqual([]);
    expect(support.events.filter((e) => e.event.startsWith('call.'))).toEqual([]);
    expect(op102.of('call.ringing').map((e) => dataOf(e).call.id)).toEqual([cardId]);
    // 102 and 103 never see each other's channel events.
    expect(
      op102.events.filter((e) => e.event.startsWith('call.')).every((e) => dataOf(e).call.endpoint === '102'),
    ).toBe(true);

    // The card behind the screen-pop is a real card: 102 (rung) reads and types it.
    const card = await app.request(`/calls/${cardId}`, {
      headers: { authorization: `Bearer ${tokens.op102}` },
    });
    expect(card.status).toBe(200);
    const body = (await card.json()) as { version: number; status: string; live: boolean };
    // Still the live card (no CEL yet), answered by 103 as ARI said.
    expect(body).toMatchObject({ status: 'answered', live: true });
    const saved = await app.request(`/calls/${cardId}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${tokens.op102}`, 'content-type': 'application/json' },
      body: JSON.stringify({ version: body.version, notes: 'Перезвонить после 15:00', needs_callback: true }),
    });
    expect(saved.status).toBe(200);
  });

  it('11 hold/resume and 09 blind transfer: held, unheld, transferred, then the target rings for the same card', async () => {
    const op101 = await stream('op101');
    const op102 = await stream('op102');
    await play('11-hold-resume', '8');
    const held = await op101.waitFor((e) => e.event === 'call.held', 'held');
    await op101.waitFor((e) => e.event === 'call.unheld', 'unheld');
    expect(dataOf(held).call).toEqual({
      id: expect.any(Number),
      serverId: 'pbx1',
      linkedid: '81795235235.41',
      channelId: '81795235236.42',
      endpoint: '101',
    });

    await play('09-blind-transfer-refer', '7');
    const transfer = await op101.waitFor((e) => e.event === 'call.transferred', 'transferred');
    expect(dataOf(transfer)).toMatchObject({
      call: { linkedid: '71795235183.36', endpoint: '101' },
      transfer: { kind: 'blind', to: '102', result: 'Success' },
    });
    const cardId = dataOf(transfer).call.id;
    await op102.waitFor((e) => e.event === 'call.answered' && dataOf(e).call.id === cardId, '102 answers');
    // Channels are journaled in parallel: wait for both of 102's rings, not just the answer.
    for (const channelId of ['71795235184.38', '71795235191.40'])
      await op102.waitFor(
        (e) => e.event === 'call.ringing' && dataOf(e).call.channelId === channelId,
        `102 rings on ${channelId}`,
      );
    const rings102 = op102.of('call.ringing').filter((e) => dataOf(e).call.linkedid === '71795235183.36');
    // 102 rang twice for that call: in the queue (ringall) and after the transfer — one card.
    expect(rings102.map((e) => dataOf(e).call.id)).toEqual([cardId, cardId]);
    // (The capture is sent at once: rings of different channels may be journaled in either order.)
    expect(rings102.map((e) => dataOf(e).call.channelId).sort()).toEqual([
      '71795235184.38',
      '71795235191.40',
    ]);
  });

  it('10 attended transfer: the transfer reaches the transferer and the target', async () => {
    const op101 = await stream('op101');
    const op102 = await stream('op102');
    await play('10-attended-transfer-refer-replaces', '6');
    const transfer = await op101.waitFor((e) => e.event === 'call.transferred', 'transferred');
    expect(dataOf(transfer)).toMatchObject({
      call: { linkedid: '61795235377.75', endpoint: '101' },
      transfer: { kind: 'attended', to: '102', result: 'Success', targetChannelId: '61795235384.80' },
    });
    await op102.waitFor((e) => e.event === 'call.transferred', 'the target sees the transfer');
    // 102's consultation ring was for the consultation call (its own card, merged by the CEL later).
    const consult = await op102.waitFor(
      (e) => e.event === 'call.ringing' && dataOf(e).call.channelId === '61795235384.80',
      "102's consultation ring",
    );
    expect(dataOf(consult).call).toMatchObject({
      linkedid: '61795235384.79',
      direction: 'internal',
      callerNumber: '101',
    });
  });
});
