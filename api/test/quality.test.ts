import { RECONCILER_VERSION } from '@callcenter/ingest/reconcile';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiTestKit, openApiTestKit } from './support/api-test-kit.ts';

/**
 * GET /quality and POST /quality/rederive over the bundled captures (31 calls, all derived by
 * the current reconciler).
 */
const S01 = '1795234908.0'; // inbound answered, support, talk > 0
const S04 = '1795234985.12'; // inbound answered, sales

interface Report {
  quarantine: {
    total: number;
    bySource: { source: string; count: number }[];
    byReason: { source: string; reason: string; count: number; examples: { sourceId: number | null }[] }[];
  };
  idleTimeout: { count: number; newest: { linkedid: string }[] };
  reconciler: {
    current: string;
    versions: { version: string; count: number; current: boolean }[];
    outdated: number;
  };
}
interface RederiveResult {
  selected: number;
  unchanged: number;
  updated: number;
  notDerived: number;
  changed: number;
  changedFields: { field: string; calls: number }[];
  failures: unknown[];
}

let kit: ApiTestKit;
let admin: string;
let supervisor: string;
let operator: string;

const report = async (): Promise<Report> => {
  const res = await kit.request('/quality', { token: admin });
  expect(res.status).toBe(200);
  return (await res.json()) as Report;
};
const rederive = async (json?: unknown): Promise<RederiveResult> => {
  const res = await kit.request('/quality/rederive', { method: 'POST', token: admin, json });
  expect(res.status).toBe(200);
  return (await res.json()) as RederiveResult;
};
const db = () => kit.stores.postgres.db;
const callRow = (linkedid: string) =>
  db()
    .selectFrom('app.calls')
    .select(['id', 'talk_sec', 'reconciler_version', 'notes', 'needs_callback', 'version', 'derived_hash'])
    .where('linkedid', '=', linkedid)
    .executeTakeFirstOrThrow();

beforeAll(async () => {
  kit = await openApiTestKit();
  admin = (await kit.user({ login: 'q-admin', role: 'admin' })).token;
  supervisor = (await kit.user({ login: 'q-sup', role: 'supervisor', queues: ['support'] })).token;
  operator = (await kit.user({ login: 'q-op', role: 'operator', endpoint: '101' })).token;
});

afterAll(async () => {
  await kit?.dispose();
});

describe('roles', () => {
  it('is for admins only', async () => {
    for (const token of [supervisor, operator]) {
      expect((await kit.request('/quality', { token })).status).toBe(403);
      expect((await kit.request('/quality/rederive', { method: 'POST', token, json: {} })).status).toBe(403);
    }
    expect((await kit.request('/quality')).status).toBe(401);
  });

  it('refuses a malformed rederive body', async () => {
    for (const json of [{ callIds: [] }, { callIds: ['1'] }, { ids: [1] }]) {
      const res = await kit.request('/quality/rederive', { method: 'POST', token: admin, json });
      expect(res.status).toBe(400);
    }
  });
});

describe('GET /quality', () => {
  it('counts every stored call under the current reconciler version', async () => {
    const r = await report();
    expect(r.reconciler).toEqual({
      current: RECONCILER_VERSION,
      versions: [{ version: RECONCILER_VERSION, count: 31, current: true }],
      outdated: 0,
    });
  });

  it('shows quarantined rows by reason and idle-timeout calls', async () => {
    const before = await report();
    await db()
      .insertInto('app.quarantine')
      .values([
        {
          source: 'cel',
          server_id: 'pbx1',
          source_id: 9001,
          reason: 'test: bad eventtime',
          raw: '{"id":9001}',
        },
        {
          source: 'cel',
          server_id: 'pbx1',
          source_id: 9002,
          reason: 'test: bad eventtime',
          raw: '{"id":9002}',
        },
        { source: 'cdr', server_id: 'pbx1', source_id: 77, reason: 'test: no linkedid', raw: '{}' },
      ])
      .execute();
    await db()
      .insertInto('app.calls')
      .values({
        server_id: 'pbx1',
        linkedid: 'q-idle',
        uniqueid: 'q-idle',
        linkedids: ['q-idle'],
        direction: 'inbound',
        status: 'answered',
        started_at: new Date('2026-11-20T10:00:00Z'),
        closed_by: 'idle_timeout',
        duration_sec: 0,
        wait_sec: 0,
        talk_sec: 0,
        hold_sec: 0,
        queues: [],
        recordings: [],
        flags: [],
        reconciler_version: RECONCILER_VERSION,
        derived_hash: 'q-idle',
      })
      .execute();

    const after = await report();
    expect(after.quarantine.total).toBe(before.quarantine.total + 3);
    const bad = after.quarantine.byReason.find((r) => r.reason === 'test: bad eventtime');
    expect(bad).toMatchObject({ source: 'cel', count: 2 });
    expect(bad!.examples.map((e) => e.sourceId)).toEqual([9002, 9001]);
    expect(after.quarantine.byReason.find((r) => r.reason === 'test: no linkedid')).toMatchObject({
      source: 'cdr',
      count: 1,
    });
    const cdr = (r: Report) => r.quarantine.bySource.find((s) => s.source === 'cdr')?.count ?? 0;
    expect(cdr(after)).toBe(cdr(before) + 1);
    expect(after.idleTimeout.count).toBe(before.idleTimeout.count + 1);
    expect(after.idleTimeout.newest.map((c) => c.linkedid)).toContain('q-idle');
    expect(after.reconciler.versions).toEqual([{ version: RECONCILER_VERSION, count: 32, current: true }]);
  });
});

describe('POST /quality/rederive', () => {
  it('re-derives a call of another reconciler version, restores derived fields, keeps the card', async () => {
    const original = await callRow(S01);
    expect(original.talk_sec).toBeGreaterThan(0);
    await db()
      .updateTable('app.calls')
      .set({ reconciler_version: '0.0.0', talk_sec: 0, notes: 'call back after lunch', needs_callback: true })
      .where('id', '=', original.id)
      .execute();
    const stale = await report();
    expect(stale.reconciler.outdated).toBe(1);
    expect(stale.reconciler.versions).toContainEqual({ version: '0.0.0', count: 1, current: false });

    const result = await rederive();
    expect(result).toMatchObject({ selected: 1, updated: 1, unchanged: 0, notDerived: 0, failures: [] });

    const restored = await callRow(S01);
    expect(restored.talk_sec).toBe(original.talk_sec);
    expect(restored.reconciler_version).toBe(RECONCILER_VERSION);
    expect(restored.derived_hash).toBe(original.derived_hash);
    expect(restored.notes).toBe('call back after lunch');
    expect(restored.needs_callback).toBe(true);
    expect(restored.version).toBeGreaterThan(original.version);
    expect((await report()).reconciler.outdated).toBe(0);
    expect(await rederive()).toMatchObject({ selected: 0, updated: 0, unchanged: 0 });
  });

  it('given call ids, rewrites only those that differ from their rows', async () => {
    const s04 = await callRow(S04);
    const s01 = await callRow(S01);
    await db().updateTable('app.calls').set({ talk_sec: 12345 }).where('id', '=', s01.id).execute();
    const result = await rederive({ callIds: [s04.id, s01.id] });
    expect(result).toMatchObject({ selected: 2, updated: 1, unchanged: 1 });
    expect((await callRow(S04)).version).toBe(s04.version);
    expect((await callRow(S01)).talk_sec).toBe(s01.talk_sec);
    const audited = await sql<{ n: string }>`
      SELECT count(*) AS n FROM app.audit_log WHERE action = 'rederive'`.execute(db());
    expect(Number(audited.rows[0]!.n)).toBe(3);
  });

  it('counts the calls the new rules change, by column: every stored call of 1.2.0 gains its ended_at_stage', async () => {
    // The bundled captures as reconciler 1.2.0 stored them after migration 017: no stage yet. 1.2.0
    // derived every other column of these Asterisk 20 captures as the current rules do.
    // (Not the hand-made `q-idle` call of the test above: it has no CEL rows.)
    const all = await db().selectFrom('app.calls').select('id').where('linkedid', '!=', 'q-idle').execute();
    await db()
      .updateTable('app.calls')
      .set({ reconciler_version: '1.2.0', ended_at_stage: null })
      .where('linkedid', '!=', 'q-idle')
      .execute();
    const result = await rederive();
    expect(result).toMatchObject({ selected: all.length, updated: all.length, notDerived: 0, failures: [] });
    expect(result.changed).toBe(all.length);
    expect(result.changedFields).toEqual([{ field: 'ended_at_stage', calls: all.length }]);
    // Nothing left to re-derive, nothing changed.
    expect(await rederive({ callIds: all.map((c) => c.id) })).toMatchObject({
      updated: 0,
      changed: 0,
      changedFields: [],
    });
  });
});
