import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { CollectorStep } from '../../src/collector/collector.ts';
import { compareCalls, reconcile } from '../../src/reconcile/index.ts';
import { fixtureOperators, loadScenario, scenarioNames } from '../fixtures.ts';
import { attemptFactCount, callFacts, storedCalls } from '../support/snapshots.ts';
import { type TestStores, useTestStores } from '../support/test-stores.ts';

/**
 * The collector through the production path: real captures replayed into asterisk.cel/cdr of an
 * embedded PostgreSQL, collected into app.calls and shipped to chDB.
 */

let stores: TestStores;
useTestStores((opened) => {
  stores = opened;
});

const SCENARIOS = scenarioNames();

describe('collector on embedded PostgreSQL + chDB', () => {
  it('stores exactly what the pure reconciler derives, for every capture', async () => {
    for (const name of SCENARIOS) await stores.replay(name);
    const progress: { done: number; total: number; final: boolean }[] = [];
    await stores
      .collector({ batchRows: 97 })
      .catchUp(undefined, (p, final) => progress.push({ done: p.doneIds, total: p.totalIds, final }));
    // The backfill's progress: every CEL id read by the end, never going back, final only last.
    const maxId = await sql<{ n: number }>`SELECT max(id)::int AS n FROM asterisk.cel`.execute(
      stores.postgres.db,
    );
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)).toEqual({ done: maxId.rows[0]!.n, total: maxId.rows[0]!.n, final: true });
    expect(progress.slice(0, -1).every((p) => !p.final)).toBe(true);
    for (let i = 1; i < progress.length; i++)
      expect(progress[i]!.done).toBeGreaterThanOrEqual(progress[i - 1]!.done);
    const stored = await storedCalls(stores);
    const pure = SCENARIOS.flatMap((name) => {
      const { cel, cdr } = loadScenario(name);
      return reconcile(cel, cdr, { isOperator: fixtureOperators }).calls;
    }).sort(compareCalls);
    expect(stored.map((c) => c.linkedid)).toEqual(pure.map((c) => c.linkedid));
    const queues = await stores.postgres.db
      .selectFrom('app.queues')
      .select(['name', 'service_level_sec'])
      .orderBy('name')
      .execute();
    expect(queues).toEqual([
      { name: 'sales', service_level_sec: 20 },
      { name: 'support', service_level_sec: 20 },
    ]);
    stored.forEach((row, i) => {
      const call = pure[i]!;
      expect(row).toMatchObject({
        status: call.status,
        direction: call.direction,
        queue: call.queue,
        operator_endpoint: call.operator,
        talk_sec: call.talk_sec,
        hold_sec: call.hold_sec,
        recording_path: call.recording_path,
      });
      expect((row.attempts as unknown[]).length).toBe(call.attempts.length);
      expect((row.segments as unknown[]).length).toBe(call.segments.length);
    });
  });

  it('gives the same calls when a capture is replayed twice, and writes nothing the second time', async () => {
    await stores.replay('12-burst-20-concurrent');
    await stores.collector().catchUp();
    const first = await storedCalls(stores);
    await stores.replay('12-burst-20-concurrent');
    const again = await stores.collector().catchUp();
    expect(again.inserted + again.updated).toBe(0);
    expect(await storedCalls(stores)).toEqual(first);
    expect(first).toHaveLength(20);
    expect(await callFacts(stores)).toHaveLength(20);
  });

  it('keeps ClickHouse facts equal to the calls in Postgres', async () => {
    for (const name of SCENARIOS) await stores.replay(name);
    await stores.collector().catchUp();
    const calls = await storedCalls(stores);
    const facts = await callFacts(stores);
    expect(
      facts.map((f) => [
        f.linkedid,
        f.status,
        f.direction,
        f.queue,
        f.operator,
        f.talk_sec,
        f.hold_sec,
        f.attempts,
      ]),
    ).toEqual(
      calls.map((c) => [
        c.linkedid,
        c.status,
        c.direction,
        c.queue ?? '',
        c.operator_endpoint ?? '',
        c.talk_sec,
        c.hold_sec,
        (c.attempts as unknown[]).length,
      ]),
    );
    const attempts = calls.reduce((n, c) => n + (c.attempts as unknown[]).length, 0);
    expect(await attemptFactCount(stores)).toBe(attempts);
    // Talk per operator from segment facts equals the segments in Postgres (transfers split talk).
    const pgTalk = await sql<{ operator: string; talk: number }>`
      SELECT operator_endpoint AS operator, round(sum(talk_sec)::numeric, 3)::float8 AS talk
      FROM app.call_segments WHERE operator_endpoint IS NOT NULL GROUP BY 1 ORDER BY 1`.execute(
      stores.postgres.db,
    );
    const chTalk = await stores.clickhouse.query({
      query:
        "SELECT operator, round(sum(talk_sec), 3) AS talk FROM segment_facts FINAL WHERE operator != '' GROUP BY operator ORDER BY operator",
      format: 'JSONEachRow',
    });
    expect(await chTalk.json()).toEqual(pgTalk.rows);
    // The transferred calls credit 101 and 102 separately (scenarios 09 and 10).
    expect(pgTalk.rows.map((r) => r.operator)).toEqual(['101', '102', '103']);
  });

  it('tombstones the old rows when a re-derivation moves a call to another day', async () => {
    await stores.replay('09-blind-transfer-refer');
    await stores.collector().catchUp();
    // A rule fix that moves started_at across midnight (ORDER BY starts with the day).
    await sql`UPDATE app.calls SET started_at = started_at + interval '1 day', version = version + 1`.execute(
      stores.postgres.db,
    );
    await sql`INSERT INTO app.outbox (call_id, version) SELECT id, version FROM app.calls`.execute(
      stores.postgres.db,
    );
    await stores.collector().catchUp();
    const facts = await stores.clickhouse.query({
      query: `SELECT toUInt32((SELECT count() FROM call_facts FINAL)) AS calls,
                     toUInt32((SELECT count() FROM attempt_facts FINAL)) AS attempts,
                     toUInt32((SELECT count() FROM segment_facts FINAL)) AS segments,
                     (SELECT toString(min(toDate(started_at))) FROM call_facts FINAL) AS day`,
      format: 'JSONEachRow',
    });
    expect(await facts.json()).toEqual([{ calls: 1, attempts: 4, segments: 2, day: '2026-11-22' }]);
  });

  it.each<CollectorStep>([
    'after-read',
    'after-reconcile',
    'after-write',
    'after-commit',
    'after-ship-insert',
    'after-ship',
  ])('loses and duplicates nothing when it crashes %s and restarts', async (step) => {
    for (const name of SCENARIOS) await stores.replay(name);
    // Reference: a clean run on the same rows.
    await stores.collector({ batchRows: 150 }).catchUp();
    const reference = (await storedCalls(stores)).map(({ version: _v, ...rest }) => rest);
    await stores.reset();
    for (const name of SCENARIOS) await stores.replay(name);

    let crashes = 0;
    // Crash on the third time a pipeline step is reached (some batches are committed by then).
    // Shipping runs in the background a timing-dependent number of times: crash on its first
    // round (calls are always committed before any shipment).
    const crashOn = step.startsWith('after-ship') ? 1 : 3;
    const crashing = stores.collector({
      batchRows: 150,
      faultAt: (at) => {
        if (at === step && ++crashes === crashOn) throw new Error(`injected crash ${at}`);
      },
    });
    await expect(crashing.catchUp()).rejects.toThrow('injected crash');
    // A crashed process leaves nothing running: let this one's background shipment (started by an
    // earlier cycle) settle before the restart, or it races the new collector for the outbox.
    await crashing.close();
    // Restart: a new collector with no memory, from the persisted watermarks.
    await stores.collector({ batchRows: 150 }).catchUp();
    const after = (await storedCalls(stores)).map(({ version: _v, ...rest }) => rest);
    expect(after).toEqual(reference);
    const facts = await callFacts(stores);
    expect(facts.map((f) => f.linkedid)).toEqual(after.map((c) => c.linkedid));
    const outbox = await sql<{ n: number }>`SELECT count(*)::int AS n FROM app.outbox`.execute(
      stores.postgres.db,
    );
    expect(outbox.rows[0]!.n).toBe(0);
  });
});
