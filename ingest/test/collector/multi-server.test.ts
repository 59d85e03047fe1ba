import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { registerOperators } from '../../src/collector/operator-directory.ts';
import { drainOutbox } from '../../src/shipper/facts-shipper.ts';
import { callFacts, storedCalls } from '../support/snapshots.ts';
import { type TestStores, useTestStores } from '../support/test-stores.ts';

/**
 * Several Asterisk servers feed one system (docs/reconciliation.md#call-grouping): each writes its own
 * cel/cdr schema, ids and numbers repeat across servers, keys are (server_id, linkedid), each
 * server has its own clock zone and its own operators.
 */

let stores: TestStores;
useTestStores(
  (opened) => {
    stores = opened;
  },
  { ASTERISK_SERVERS: 'pbx1:asterisk:UTC,pbx2:asterisk_pbx2:Europe/Moscow' },
);

describe('two Asterisk servers', () => {
  it('keeps their calls apart though uniqueids, linkedids and numbers are the same', async () => {
    // On pbx2 only 101 and 102 are operators: 103's phone there is someone else's line.
    await registerOperators(stores.postgres.db, 'pbx2', ['101', '102']);
    await stores.replay('12-burst-20-concurrent', 'pbx1');
    await stores.replay('12-burst-20-concurrent', 'pbx2');
    await stores.collector().catchUp();

    const calls = await storedCalls(stores);
    expect(calls).toHaveLength(40);
    const pbx1 = calls.filter((c) => c.server_id === 'pbx1');
    const pbx2 = calls.filter((c) => c.server_id === 'pbx2');
    expect(pbx1.map((c) => c.linkedid).sort()).toEqual(pbx2.map((c) => c.linkedid).sort());

    // Same linkedid, two calls: pbx2's clock is Moscow time, so its call happened 3 h earlier in UTC.
    const one = pbx1.find((c) => c.linkedid === '1795235269.47')!;
    const two = pbx2.find((c) => c.linkedid === '1795235269.47')!;
    expect((one.started_at as Date).getTime() - (two.started_at as Date).getTime()).toBe(3 * 3600 * 1000);
    // 103 answered it: an operator on pbx1, an external party on pbx2.
    expect(one).toMatchObject({ status: 'answered', operator_endpoint: '103' });
    expect(two).toMatchObject({ status: 'answered', operator_endpoint: null });

    const facts = await callFacts(stores);
    expect(facts).toHaveLength(40);
  });
});

/**
 * Several collectors on one database (docs/clickhouse-cluster.md#collectors-by-server): each reads
 * its own servers (COLLECTOR_SERVERS) and ships only the outbox entries of its servers' calls,
 * claiming them (`FOR UPDATE SKIP LOCKED`) so no entry is sent twice.
 */
describe('collectors partitioned by server', () => {
  const only = (id: string) => stores.config.servers.filter((s) => s.id === id);
  const factRows = async (server: string) => {
    const result = await stores.clickhouse.query({
      // Without FINAL: every row the shippers sent, so a call shipped twice would count twice.
      query: 'SELECT count() AS n FROM call_facts WHERE server_id = {server:String}',
      query_params: { server },
      format: 'JSONEachRow',
    });
    return Number((await result.json<{ n: string }>())[0]!.n);
  };
  const outbox = async () =>
    (
      await sql<{ server_id: string; n: number }>`
        SELECT c.server_id, count(*)::int AS n FROM app.outbox o JOIN app.calls c ON c.id = o.call_id
        GROUP BY c.server_id ORDER BY c.server_id`.execute(stores.postgres.db)
    ).rows;

  it('two collectors with different servers run at once on one database: each call read and shipped once', async () => {
    await registerOperators(stores.postgres.db, 'pbx2', ['101', '102']);
    await stores.replay('12-burst-20-concurrent', 'pbx1');
    await stores.replay('12-burst-20-concurrent', 'pbx2');
    const pbx1 = stores.collector({ servers: only('pbx1'), shipServers: ['pbx1'] });
    const pbx2 = stores.collector({ servers: only('pbx2'), shipServers: ['pbx2'] });
    const [one, two] = await Promise.all([pbx1.catchUp(), pbx2.catchUp()]);
    expect(one.inserted).toBe(20);
    expect(two.inserted).toBe(20);

    const calls = await storedCalls(stores);
    expect(calls.filter((c) => c.server_id === 'pbx1')).toHaveLength(20);
    expect(calls.filter((c) => c.server_id === 'pbx2')).toHaveLength(20);
    expect(await outbox()).toEqual([]);
    expect(await factRows('pbx1')).toBe(20);
    expect(await factRows('pbx2')).toBe(20);
    expect(await callFacts(stores)).toHaveLength(40);
  });

  it("a collector ships only its servers' outbox entries", async () => {
    await registerOperators(stores.postgres.db, 'pbx2', ['101', '102']);
    await stores.replay('12-burst-20-concurrent', 'pbx1');
    await stores.replay('12-burst-20-concurrent', 'pbx2');
    // Both servers' calls written, nothing shipped yet (no ClickHouse for these collectors).
    await stores.collector({ clickhouse: null }).catchUp();
    expect(await outbox()).toEqual([
      { server_id: 'pbx1', n: 20 },
      { server_id: 'pbx2', n: 20 },
    ]);

    const shipped = await drainOutbox(stores.postgres.db, stores.clickhouse, 5000, undefined, ['pbx2']);
    expect(shipped.calls).toBe(20);
    expect(await outbox()).toEqual([{ server_id: 'pbx1', n: 20 }]);
    expect(await factRows('pbx2')).toBe(20);
    expect(await factRows('pbx1')).toBe(0);
  });

  it('skips outbox entries another shipper holds, and ships them once released', async () => {
    await stores.replay('01-inbound-answered-caller-hangup', 'pbx1');
    await stores.collector({ clickhouse: null }).catchUp();
    const [entry] = (await sql<{ id: number }>`SELECT id FROM app.outbox`.execute(stores.postgres.db)).rows;
    expect(entry).toBeDefined();

    // Another shipper's transaction has claimed the entry and not committed yet.
    const other = await stores.postgres.pool.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT id FROM app.outbox WHERE id = $1 FOR UPDATE', [entry!.id]);
      const skipped = await drainOutbox(stores.postgres.db, stores.clickhouse);
      expect(skipped.calls).toBe(0);
      expect(await factRows('pbx1')).toBe(0);
      await other.query('ROLLBACK');
    } finally {
      other.release();
    }
    const shipped = await drainOutbox(stores.postgres.db, stores.clickhouse);
    expect(shipped.calls).toBe(1);
    expect(await factRows('pbx1')).toBe(1);
  });
});
