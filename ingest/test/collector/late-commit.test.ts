import { join } from 'node:path';
import { sql } from 'kysely';
import type pg from 'pg';
import { expect, it } from 'vitest';
import { compareCalls, reconcile } from '../../src/reconcile/index.ts';
import { readCapture } from '../../src/replay/capture-files.ts';
import { replayCapture } from '../../src/replay/replay-capture.ts';
import { readWatermark } from '../../src/writers/watermarks.ts';
import { fixtureOperators, loadScenario, SCENARIOS_DIR } from '../fixtures.ts';
import { storedCalls } from '../support/snapshots.ts';
import { type TestStores, useTestStores } from '../support/test-stores.ts';

/**
 * CEL/CDR ids come from a sequence at insert time but rows become visible at commit, and Asterisk
 * inserts in separate transactions: a row with a lower id can commit after a higher one was read.
 * The collector must not move its read position (and the watermark) past such an id.
 */

let stores: TestStores;
useTestStores((opened) => {
  stores = opened;
});

/**
 * A pool whose first client holds its COMMIT until `release` resolves: replayCapture through it
 * takes its ids from the sequences at once and commits when the test says so. `reached` resolves
 * when the COMMIT was asked for.
 */
function poolCommittingLate(pool: pg.Pool) {
  let release!: () => void;
  let reachedCommit!: () => void;
  const released = new Promise<void>((r) => {
    release = r;
  });
  const reached = new Promise<void>((r) => {
    reachedCommit = r;
  });
  const held = {
    async connect() {
      const client = await pool.connect();
      return new Proxy(client, {
        get(target, property) {
          if (property === 'query')
            return (...args: unknown[]) => {
              const query = (target.query as (...a: unknown[]) => unknown).bind(target);
              if (args[0] !== 'COMMIT') return query(...args);
              reachedCommit();
              return released.then(() => query(...args));
            };
          const value = Reflect.get(target, property);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    },
  } as unknown as pg.Pool;
  return { pool: held, release, reached };
}

it('reads a call whose rows commit after rows with higher ids: nothing skipped, nothing lost', async () => {
  const early = '01-inbound-answered-caller-hangup';
  const later = '06-outbound-answered';
  const server = stores.config.servers[0]!;
  // The first call takes the lower ids but commits last (a slow transaction of cel_pgsql).
  const slow = poolCommittingLate(stores.postgres.pool);
  const slowReplay = replayCapture(slow.pool, server, readCapture(join(SCENARIOS_DIR, early)), {
    timing: 'fast',
  });
  let heldAt: { cel: number; cdr: number };
  const collector = stores.collector();
  try {
    await slow.reached;
    await stores.replay(later);
    await collector.catchUp();
    heldAt = {
      cel: await readWatermark(stores.postgres.db, 'cel', server.id),
      cdr: await readWatermark(stores.postgres.db, 'cdr', server.id),
    };
  } finally {
    slow.release();
    await slowReplay;
  }
  await collector.catchUp();
  // A restart from the watermark reads the same calls again and writes nothing new.
  const again = await stores.collector().catchUp();
  expect(again.inserted + again.updated).toBe(0);

  const pure = [early, later]
    .flatMap((name) => {
      const { cel, cdr } = loadScenario(name);
      return reconcile(cel, cdr, { isOperator: fixtureOperators }).calls;
    })
    .sort(compareCalls);
  const stored = await storedCalls(stores);
  expect(stored.map((c) => c.linkedid)).toEqual(pure.map((c) => c.linkedid));
  // While the slow transaction was open, the read position waited below its ids.
  expect(heldAt).toEqual({ cel: 0, cdr: 0 });
  const last = await sql<{ cel: number; cdr: number }>`
    SELECT (SELECT max(id)::int FROM asterisk.cel) AS cel, (SELECT max(id)::int FROM asterisk.cdr) AS cdr`.execute(
    stores.postgres.db,
  );
  expect(await readWatermark(stores.postgres.db, 'cel', server.id)).toBe(last.rows[0]!.cel);
  expect(await readWatermark(stores.postgres.db, 'cdr', server.id)).toBe(last.rows[0]!.cdr);
});

it('reads past ids that were rolled back once no transaction can still hold them', async () => {
  const server = stores.config.servers[0]!;
  const client = await stores.postgres.pool.connect();
  try {
    // Ids taken and rolled back: a permanent gap below the first capture.
    await client.query('BEGIN');
    await client.query(
      "INSERT INTO asterisk.cel (eventtype, eventtime, uniqueid, linkedid) SELECT 'CHAN_START', now(), 'x', 'x' FROM generate_series(1, 5)",
    );
    await client.query('ROLLBACK');
  } finally {
    client.release();
  }
  await stores.replay('06-outbound-answered');
  const result = await stores.collector().catchUp();
  expect(result.inserted).toBe(1);
  const last = await sql<{ n: number }>`SELECT max(id)::int AS n FROM asterisk.cel`.execute(
    stores.postgres.db,
  );
  expect(last.rows[0]!.n).toBeGreaterThan(5);
  expect(await readWatermark(stores.postgres.db, 'cel', server.id)).toBe(last.rows[0]!.n);
});
