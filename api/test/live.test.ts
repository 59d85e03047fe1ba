import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { callChangeSource } from '../src/live/call-change-source.ts';
import { LiveBus } from '../src/live/live-bus.ts';
import { type ApiTestKit, openApiTestKit } from './support/api-test-kit.ts';
import { SSE_WAIT_MS, type SseEvent, SseReader } from './support/sse-reader.ts';

/**
 * `GET /live/events` over the bundled captures' calls, fed by the real NOTIFY triggers of
 * app.calls. Calls used (see calls.test.ts): 1795234908.0 (scenario 01: support, answered by 101)
 * is in operator 101's scope only; 1795234985.12 (scenario 04: sales, answered by 103, rung 102
 * 103) in the sales supervisor's only. A new call in `sales` answered by 101 is in both: it is the
 * marker after which each stream must hold exactly its events (notifications are handled in
 * order), so "none of the others'" is checked without sleeping.
 */

const S01 = '1795234908.0';
const S04 = '1795234985.12';

/** The call events (not `ready`) of a stream as `type linkedid`. */
const callEvents = (reader: SseReader): string[] =>
  reader.events
    .filter((e) => e.event !== 'ready')
    .map((e) => `${e.event} ${(JSON.parse(e.data) as { call?: { linkedid: string } }).call?.linkedid}`);

const linkedidOf = (event: SseEvent) =>
  (JSON.parse(event.data) as { call?: { linkedid?: string } }).call?.linkedid;

describe('GET /live/events', () => {
  let kit: ApiTestKit;
  let bus: LiveBus;
  let app: ReturnType<typeof createApp>;
  let operator: string;
  let supervisor: string;
  let admin: string;
  const open: SseReader[] = [];
  let markers = 0;

  beforeAll(async () => {
    kit = await openApiTestKit();
    const { pool, db } = kit.stores.postgres;
    const connectionString = pool.options.connectionString!;
    bus = new LiveBus({ source: callChangeSource({ connectionString, pool }) });
    app = createApp({ db, pool, clickhouse: kit.stores.clickhouse, config: kit.config, live: bus });
    operator = (await kit.user({ login: 'live-op101', role: 'operator', endpoint: '101' })).token;
    supervisor = (await kit.user({ login: 'live-sales', role: 'supervisor', queues: ['sales'] })).token;
    admin = (await kit.user({ login: 'live-admin', role: 'admin' })).token;
  });

  afterAll(async () => {
    for (const reader of open) await reader.close();
    await bus?.close();
    await kit?.dispose();
  });

  /** Opens a stream and waits for its `ready` (the listener is LISTENing from then on). */
  async function connect(path: string, headers: Record<string, string> = {}): Promise<SseReader> {
    const response = await app.request(path, { headers });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = new SseReader(response);
    open.push(reader);
    await reader.waitFor((e) => e.event === 'ready', 'ready');
    return reader;
  }

  /** Re-versions a call the way the collector or a card save does. */
  async function bump(linkedid: string, extra = sql``): Promise<void> {
    await sql`UPDATE app.calls SET version = version + 1, updated_at = now() ${extra} WHERE linkedid = ${linkedid}`.execute(
      kit.stores.postgres.db,
    );
  }

  /** Inserts a call as the collector does (version 1); returns its linkedid. */
  async function insertCall(queue: string, endpoint: string): Promise<string> {
    const linkedid = `live-test.${++markers}`;
    await sql`INSERT INTO app.calls (server_id, linkedid, uniqueid, linkedids, direction, status, started_at,
        answered_at, ended_at, queue, queues, operator_endpoint, reconciler_version, derived_hash)
      VALUES ('pbx1', ${linkedid}, ${linkedid}, ARRAY[${linkedid}], 'inbound', 'answered', now(), now(), now(),
        ${queue}, ARRAY[${queue}], ${endpoint}, 'test', 'test')`.execute(kit.stores.postgres.db);
    return linkedid;
  }

  it('answers 401 without a token or with a bad one', async () => {
    expect((await app.request('/live/events')).status).toBe(401);
    expect((await app.request('/live/events?access_token=nope')).status).toBe(401);
  });

  it('sends each user exactly the events of calls in their scope', async () => {
    const op = await connect('/live/events', { authorization: `Bearer ${operator}` });
    // EventSource cannot send headers: the sales supervisor uses ?access_token=.
    const sup = await connect(`/live/events?access_token=${supervisor}`);

    await bump(S01); // 101 answered it (support): operator only
    // Versions of one call notified faster than they are read coalesce into the newest (by
    // design): wait for this one before changing S01 again.
    await op.waitFor((e) => e.event === 'call.updated', 'the first update of S01');
    await bump(S04); // sales, 103: supervisor only
    // 101 completes the card of S01 (the card save: completion, card columns, version + 1).
    await bump(
      S01,
      sql`, card_completed_at = now(), card_updated_at = now(), card_updated_by = 'live-op101'`,
    );
    const salesByOther = await insertCall('sales', '103'); // supervisor only: call.ended
    const marker = await insertCall('sales', '101'); // both

    await op.waitFor((e) => linkedidOf(e) === marker, 'the marker on the operator stream');
    await sup.waitFor((e) => linkedidOf(e) === marker, 'the marker on the supervisor stream');

    expect(callEvents(op)).toEqual([
      `call.updated ${S01}`,
      `call.updated ${S01}`,
      `card.completed ${S01}`,
      `call.ended ${marker}`,
    ]);
    expect(callEvents(sup)).toEqual([
      `call.updated ${S04}`,
      `call.ended ${salesByOther}`,
      `call.ended ${marker}`,
    ]);

    // Ids increase, payloads carry the call and never the scope.
    const ids = op.events.filter((e) => e.id).map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const completed = JSON.parse(op.events.find((e) => e.event === 'card.completed')!.data);
    expect(completed).toMatchObject({ type: 'card.completed', call: { linkedid: S01, card_complete: true } });
    expect(completed.scope).toBeUndefined();

    await op.close();
    await sup.close();
  });

  it('replays what was missed after Last-Event-ID, and asks to refetch when it is too old', async () => {
    const watcher = await connect('/live/events', { authorization: `Bearer ${admin}` });
    const op = await connect('/live/events', { authorization: `Bearer ${operator}` });
    await bump(S01);
    const seen = await op.waitFor((e) => e.event === 'call.updated', 'the first update');
    await op.close();

    // While the operator is away: one call of theirs, one not.
    await bump(S04);
    await bump(S01);
    const missed = await watcher.waitFor(
      (e) => e.event === 'call.updated' && linkedidOf(e) === S01 && Number(e.id) > Number(seen.id),
      'the missed update on the admin stream',
    );

    const again = await connect('/live/events', {
      authorization: `Bearer ${operator}`,
      'last-event-id': seen.id!,
    });
    const replayed = await again.waitFor((e) => e.event === 'call.updated', 'the replay');
    expect(replayed.id).toBe(missed.id);
    expect(callEvents(again)).toEqual([`call.updated ${S01}`]);
    await again.close();

    const stale = await connect(`/live/events?access_token=${operator}&last_event_id=1`);
    const refetch = await stale.waitFor((e) => e.event === 'refetch', 'refetch');
    expect(Number(refetch.id)).toBeGreaterThanOrEqual(Number(missed.id));
    expect(stale.events.some((e) => e.event === 'call.updated')).toBe(false);
    await stale.close();
    await watcher.close();
  });

  it('sends a heartbeat comment when idle', async () => {
    const quiet = new LiveBus();
    const fast = createApp({
      db: kit.stores.postgres.db,
      pool: kit.stores.postgres.pool,
      clickhouse: kit.stores.clickhouse,
      config: kit.config,
      live: quiet,
      liveHeartbeatMs: 20,
    });
    const response = await fast.request('/live/events', { headers: { authorization: `Bearer ${operator}` } });
    const reader = new SseReader(response);
    open.push(reader);
    await reader.waitFor((e) => e.event === 'ready', 'ready');
    // publish() (the ARI integration's entry point) reaches subscribers in scope only.
    quiet.publish({
      type: 'call.ringing',
      scope: { serverId: 'pbx1', endpoints: ['102'], queues: [] },
      data: {},
    });
    quiet.publish({
      type: 'call.ringing',
      scope: { serverId: 'pbx1', endpoints: ['101'], queues: [] },
      data: {},
    });
    await reader.waitFor((e) => e.event === 'call.ringing', 'the ringing event');
    const deadline = Date.now() + SSE_WAIT_MS;
    while (!reader.comments.includes('heartbeat') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(reader.comments).toContain('heartbeat');
    expect(reader.events.filter((e) => e.event === 'call.ringing')).toHaveLength(1);
    await reader.close();
    await quiet.close();
  });
});
