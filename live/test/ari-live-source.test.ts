import { join } from 'node:path';
import { AriPeer, scenarioEvents, scenarioLinkedids } from '@callcenter/asterisk/testing/ari-peer';
import { readCapture } from '@callcenter/ingest/captures';
import { RECONCILER_VERSION } from '@callcenter/ingest/reconcile';
import { replayCapture } from '@callcenter/ingest/replay';
import { SCENARIOS_DIR } from '@callcenter/ingest/testing/fixtures';
import { openTestStores, type TestStores } from '@callcenter/ingest/testing/stores';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AriLiveSource } from '../src/ari-live-source.ts';
import { CelRinging } from '../src/cel-ringing.ts';
import {
  CALL_LIVE_CHANNEL,
  decodeLiveNotification,
  type LiveNotification,
} from '../src/live-notification.ts';
import { ProvisionalCards } from '../src/provisional-cards.ts';
import { sweepProvisionalCards } from '../src/provisional-sweeper.ts';

/**
 * The ARI source end to end on real stores: real ARI captures sent by a local ARI peer →
 * provisional cards and `call_live` notifications → the CEL of the same capture collected → one
 * call with the same id, the card kept, shipped to ClickHouse once. Also the reconnect (nothing
 * that matters for the card lost), the CEL-side ringing (whichever source is first creates the
 * card, the other finds it) and the sweeper.
 */

const S01 = '01-inbound-answered-caller-hangup';
const S04 = '04-inbound-rna-then-answered-rrmemory';

let stores: TestStores;
let peer: AriPeer;
let listener: pg.Client;
const notifications: LiveNotification[] = [];
let source: AriLiveSource | null = null;
let handled = 0;
const logged: string[] = [];

async function waitUntil(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function startSource(): Promise<AriLiveSource> {
  source = new AriLiveSource({
    connection: { url: peer.url, username: peer.username, password: peer.password },
    app: 'callcenter',
    serverId: 'pbx1',
    pool: stores.postgres.pool,
    reconnect: { minDelayMs: 20, maxDelayMs: 100 },
    onHandled: () => handled++,
    log: (line) => logged.push(line),
  });
  await source.start(true);
  return source;
}

/** Sends events and waits until the source handled them all. */
async function sendAndWait(events: ReturnType<typeof scenarioEvents>) {
  const target = handled + events.length;
  peer.send(events);
  await waitUntil(() => handled >= target, `${events.length} events handled`);
  await source!.idle();
}

const calls = () =>
  sql<{
    id: number;
    status: string;
    reconciler_version: string;
    operator_endpoint: string | null;
    notes: string | null;
    needs_callback: boolean;
    version: number;
    linkedid: string;
  }>`SELECT id::int, status, reconciler_version, operator_endpoint, notes, needs_callback, version::int, linkedid
     FROM app.calls ORDER BY id`
    .execute(stores.postgres.db)
    .then((r) => r.rows);

const summary = (n: LiveNotification) => `${n.type} ${n.call.endpoint} ${n.call.id}`;

beforeAll(async () => {
  stores = await openTestStores();
  peer = await AriPeer.start();
  listener = new pg.Client({ connectionString: stores.postgres.url });
  await listener.connect();
  listener.on('notification', (message) => {
    const decoded = decodeLiveNotification(message.payload ?? '');
    if (decoded) notifications.push(decoded);
  });
  await listener.query(`LISTEN ${CALL_LIVE_CHANNEL}`);
});

afterAll(async () => {
  await source?.stop();
  await listener?.end();
  await peer?.close();
  await stores?.dispose();
});

beforeEach(async () => {
  await source?.stop();
  source = null;
  handled = 0;
  await stores.reset();
  notifications.length = 0;
  peer.channels.clear();
  peer.bridges.clear();
  peer.requests.length = 0;
});

describe('ARI live source over a real capture', () => {
  it('01: provisional card at the first ring; the CEL later updates the same row (card kept, shipped once)', async () => {
    peer.linkedids = scenarioLinkedids(S01);
    await startSource();
    const events = scenarioEvents(S01);
    const firstDial = events.findIndex((e) => e.type === 'Dial');
    await sendAndWait(events.slice(0, firstDial + 1));
    const [card] = await calls();
    expect(card).toMatchObject({
      status: 'ringing',
      reconciler_version: 'provisional',
      linkedid: '1795234908.0',
      operator_endpoint: '101',
      version: 0,
    });
    await sendAndWait(events.slice(firstDial + 1));
    await waitUntil(
      () => notifications.length >= 7,
      `seven notifications, got ${notifications.map(summary).join('; ')} ${logged.join(' | ')}`,
    );
    // In order per operator channel (the database work of different channels runs in parallel).
    const perEndpoint = (endpoint: string) =>
      notifications.filter((n) => n.call.endpoint === endpoint).map((n) => `${n.type} ${n.call.id}`);
    expect(perEndpoint('101')).toEqual([
      `call.ringing ${card!.id}`,
      `call.answered ${card!.id}`,
      `call.hangup ${card!.id}`,
    ]);
    for (const endpoint of ['102', '103'])
      expect(perEndpoint(endpoint)).toEqual([`call.ringing ${card!.id}`, `call.hangup ${card!.id}`]);
    expect(notifications[0]).toMatchObject({
      source: 'ari',
      call: {
        linkedid: '1795234908.0',
        channelId: '1795234909.1',
        direction: 'inbound',
        callerNumber: '79161234567',
        did: '74951234567',
        queue: 'support',
        startedAt: '2026-11-21T04:21:48.957Z',
        provisional: true,
      },
    });
    const attempts = await sql<{ operator_endpoint: string; outcome: string }>`
      SELECT operator_endpoint, outcome FROM app.call_attempts WHERE call_id = ${card!.id} ORDER BY seq`.execute(
      stores.postgres.db,
    );
    expect(attempts.rows.map((a) => `${a.operator_endpoint} ${a.outcome}`).sort()).toEqual([
      '101 answered',
      '102 ringing',
      '103 ringing',
    ]);

    // The operator types the card while the call is on (as PUT /calls/:id does: version + outbox).
    await sql`UPDATE app.calls SET notes = 'Запись к терапевту', needs_callback = true, card_updated_at = now(),
      card_updated_by = 'op101', version = version + 1 WHERE id = ${card!.id}`.execute(stores.postgres.db);
    await sql`INSERT INTO app.outbox (call_id, version) VALUES (${card!.id}, 1)`.execute(stores.postgres.db);

    await stores.replay(S01);
    const result = await stores.collector().catchUp();
    expect(result).toMatchObject({ inserted: 0, updated: 1 });
    const after = await calls();
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({
      id: card!.id,
      status: 'answered',
      reconciler_version: RECONCILER_VERSION,
      operator_endpoint: '101',
      notes: 'Запись к терапевту',
      needs_callback: true,
      version: 2,
    });
    const reconciledAttempts = await sql<{ operator_endpoint: string; outcome: string }>`
      SELECT operator_endpoint, outcome FROM app.call_attempts WHERE call_id = ${card!.id} ORDER BY seq`.execute(
      stores.postgres.db,
    );
    expect(reconciledAttempts.rows.map((a) => `${a.operator_endpoint} ${a.outcome}`)).toEqual([
      '101 answered',
      '102 canceled',
      '103 canceled',
    ]);
    const facts = await stores.clickhouse.query({
      query: `SELECT count() AS rows, max(version) AS version, any(status) AS status FROM call_facts WHERE linkedid = '1795234908.0'`,
      format: 'JSONEachRow',
    });
    expect(await facts.json()).toEqual([{ rows: 1, version: 2, status: 'answered' }]);
    const outbox = await sql<{ n: number }>`SELECT count(*)::int AS n FROM app.outbox`.execute(
      stores.postgres.db,
    );
    expect(outbox.rows[0]!.n).toBe(0);
  });

  it('reconnect: rings and the answer missed while the socket was down are recovered (linkedid asked from Asterisk)', async () => {
    peer.linkedids = scenarioLinkedids(S01);
    await startSource();
    const events = scenarioEvents(S01);
    const firstCreate = events.findIndex(
      (e) => e.type === 'ChannelCreated' && e.channel?.name.startsWith('PJSIP/101'),
    );
    // Connected while the caller is in the IVR.
    await sendAndWait(events.slice(0, firstCreate));
    peer.dropClients();
    // Down while the three members start ringing.
    const lastRinging = events.findIndex(
      (e) => e.type === 'Dial' && e.dialstatus === 'RINGING' && e.peer?.name.startsWith('PJSIP/103'),
    );
    peer.apply(events.slice(firstCreate, lastRinging + 1));
    await peer.waitForClients(1);
    await waitUntil(() => notifications.length >= 3, 'the rings found by the resync');
    // Down again until 101 answered and the others were cancelled.
    const bridged = events.findIndex((e) => e.type === 'ChannelEnteredBridge');
    const before = peer.connections;
    peer.dropClients();
    peer.apply(events.slice(lastRinging + 1, bridged + 1));
    await waitUntil(() => peer.connections > before && peer.clients === 1, 'the second reconnection');
    await waitUntil(() => notifications.length >= 6, 'the answer and hang-ups found by the resync');
    await sendAndWait(events.slice(bridged + 1));
    await waitUntil(() => notifications.length >= 7, 'the final hangup');
    const [card] = await calls();
    expect(card).toMatchObject({ linkedid: '1795234908.0', operator_endpoint: '101', status: 'answered' });
    expect(notifications.map(summary).sort()).toEqual(
      [
        `call.ringing 101 ${card!.id}`,
        `call.ringing 102 ${card!.id}`,
        `call.ringing 103 ${card!.id}`,
        `call.answered 101 ${card!.id}`,
        `call.hangup 102 ${card!.id}`,
        `call.hangup 103 ${card!.id}`,
        `call.hangup 101 ${card!.id}`,
      ].sort(),
    );
    expect(peer.requests.filter((r) => r.path.endsWith('/variable')).map((r) => r.query.variable)).toContain(
      'CHANNEL(linkedid)',
    );
    expect(
      peer.requests.filter((r) => r.method === 'GET' && r.path === '/ari/channels').length,
    ).toBeGreaterThanOrEqual(3);
    // And the CEL still yields exactly that card.
    await stores.replay(S01);
    await stores.collector().catchUp();
    expect((await calls()).map((c) => c.id)).toEqual([card!.id]);
  });

  it('CEL side first (no ARI yet): the collector rings the card; ARI then finds it and does not pop twice', async () => {
    const capture = readCapture(join(SCENARIOS_DIR, S04));
    const server = stores.config.servers[0]!;
    const cards = new ProvisionalCards(stores.postgres.pool);
    const celRinging = new CelRinging(cards);
    const collector = stores.collector({ celRinging });
    // CEL up to the first member's ring (the caller is in queue `sales`).
    const firstRing = capture.cel.findIndex(
      (r) => r.eventtype === 'CHAN_START' && (r.channame ?? '').startsWith('PJSIP/10'),
    );
    await replayCapture(
      stores.postgres.pool,
      server,
      { ...capture, cel: capture.cel.slice(0, firstRing + 1), cdr: [] },
      { timing: 'fast' },
    );
    await collector.cycle();
    await celRinging.idle();
    await waitUntil(() => notifications.length >= 1, 'the CEL-side ring');
    const [card] = await calls();
    expect(card).toMatchObject({
      status: 'ringing',
      reconciler_version: 'provisional',
      linkedid: '1795234985.12',
    });
    expect(notifications[0]).toMatchObject({
      type: 'call.ringing',
      source: 'cel',
      call: {
        id: card!.id,
        direction: 'inbound',
        queue: 'sales',
        callerNumber: '79161234570',
        provisional: true,
      },
    });
    const celEndpoint = notifications[0]!.call.endpoint;

    // ARI comes up: its rings find the same card; the ring CEL announced is not announced again.
    peer.linkedids = scenarioLinkedids(S04);
    await startSource();
    await sendAndWait(scenarioEvents(S04));
    const rings = notifications.filter((n) => n.type === 'call.ringing');
    expect(rings.filter((n) => n.call.channelId === notifications[0]!.call.channelId)).toHaveLength(1);
    expect(new Set(rings.map((n) => n.call.id))).toEqual(new Set([card!.id]));
    expect(rings[0]!.call.endpoint).toBe(celEndpoint);
    expect(await calls()).toHaveLength(1);

    // The rest of the CEL: the same row becomes the reconciled call.
    await replayCapture(
      stores.postgres.pool,
      server,
      { ...capture, cel: capture.cel.slice(firstRing + 1) },
      { timing: 'fast' },
    );
    await collector.catchUp();
    const after = await calls();
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({
      id: card!.id,
      status: 'answered',
      operator_endpoint: '103',
      version: 1,
    });
  });

  it('no ARI: the CEL side carries the answer and the attended transfer to the pops (capture 10)', async () => {
    const capture = readCapture(join(SCENARIOS_DIR, '10-attended-transfer-refer-replaces'));
    const server = stores.config.servers[0]!;
    const celRinging = new CelRinging(new ProvisionalCards(stores.postgres.pool));
    const collector = stores.collector({ celRinging });
    const indexOf = (type: string, channel: string) =>
      capture.cel.findIndex((r) => r.eventtype === type && (r.channame ?? '').startsWith(channel));
    const step = async (from: number, to: number) => {
      await replayCapture(
        stores.postgres.pool,
        server,
        { ...capture, cel: capture.cel.slice(from, to), cdr: [] },
        { timing: 'fast' },
      );
      await collector.cycle();
      await celRinging.idle();
    };
    // Up to 101 answering the queue call (1795235377.75): the live card is answered by 101.
    const answered = indexOf('ANSWER', 'PJSIP/101-0000004c') + 1;
    await step(0, answered);
    await waitUntil(() => notifications.some((n) => n.type === 'call.answered'), 'the CEL answer');
    const [card] = await calls();
    expect(card).toMatchObject({
      linkedid: '1795235377.75',
      reconciler_version: 'provisional',
      status: 'answered',
      operator_endpoint: '101',
    });
    // Up to the transfer: 102 rings for and answers the consultation call, 101 transfers to it.
    const transfer = indexOf('ATTENDEDTRANSFER', 'PJSIP/101-0000004c') + 1;
    await step(answered, transfer);
    await waitUntil(() => notifications.some((n) => n.type === 'call.transferred'), 'the CEL transfer');
    expect(notifications.every((n) => n.source === 'cel')).toBe(true);
    const byType = (type: string) => notifications.filter((n) => n.type === type).map(summary);
    const consult = (await calls()).find((c) => c.linkedid === '1795235384.79');
    expect(byType('call.answered')).toEqual([
      `call.answered 101 ${card!.id}`,
      `call.answered 102 ${consult!.id}`,
    ]);
    expect(byType('call.hangup')).toEqual([`call.hangup 102 ${card!.id}`, `call.hangup 103 ${card!.id}`]);
    const transferred = notifications.find((n) => n.type === 'call.transferred');
    expect(transferred).toMatchObject({
      call: { id: card!.id, endpoint: '101', channelId: '1795235378.76' },
      details: {
        transfer: { kind: 'attended', to: '102', targetChannelId: '1795235384.80' },
        alsoEndpoints: ['102'],
      },
    });
    // The rest: one reconciled call, answered, the consultation merged into it.
    await step(transfer, capture.cel.length);
    await replayCapture(stores.postgres.pool, server, { ...capture, cel: [] }, { timing: 'fast' });
    await collector.catchUp();
    expect((await calls()).filter((c) => c.reconciler_version !== 'provisional')).toHaveLength(1);
  });

  it('the sweeper deletes an untouched provisional card without CEL and keeps (marks) a typed one', async () => {
    const cards = new ProvisionalCards(stores.postgres.pool);
    const ring = (linkedid: string) =>
      cards.ring({
        serverId: 'pbx1',
        linkedid,
        channelId: `${linkedid}1`,
        endpoint: '101',
        direction: 'inbound',
        callerNumber: '79161234567',
        did: null,
        queue: 'support',
        startedAt: new Date().toISOString(),
        rangAt: new Date().toISOString(),
        source: 'ari',
        receivedAt: Date.now(),
      });
    const untouched = await ring('1800000000.1');
    const typed = await ring('1800000000.2');
    await sql`UPDATE app.calls SET notes = 'важно', card_updated_at = now() WHERE id = ${typed.callId}`.execute(
      stores.postgres.db,
    );
    expect(await sweepProvisionalCards(stores.postgres.pool, 3600)).toEqual({ deleted: 0, marked: 0 });
    await sql`UPDATE app.calls SET created_at = now() - interval '2 hours'`.execute(stores.postgres.db);
    expect(await sweepProvisionalCards(stores.postgres.pool, 3600)).toEqual({ deleted: 1, marked: 1 });
    const rows = await sql<{ id: number; closed_by: string; flags: string[]; notes: string }>`
      SELECT id::int, closed_by, flags, notes FROM app.calls`.execute(stores.postgres.db);
    expect(rows.rows).toEqual([{ id: typed.callId, closed_by: 'no_cel', flags: ['no_cel'], notes: 'важно' }]);
    expect(untouched.created).toBe(true);
    const linked = await sql<{ n: number }>`SELECT count(*)::int AS n FROM app.call_linkedids`.execute(
      stores.postgres.db,
    );
    expect(linked.rows[0]!.n).toBe(1);
  });
});
