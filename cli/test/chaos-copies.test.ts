import { type TestStores, useTestStores } from '@callcenter/ingest/testing/stores';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { CALLS_PER_COPY, insertCopy } from './chaos/support/main-job.ts';

/**
 * The chaos tests' copies of the bundled captures (cli/test/chaos/support/main-job.ts) are new
 * calls however the collector batches them: when it lags (a restart after kill -9, a loaded
 * machine) and reads several copies in one batch, no call of one copy joins a call of another.
 */

let stores: TestStores;
useTestStores((opened) => {
  stores = opened;
});

it('three copies read in one batch are three times the calls, none joined across copies', async () => {
  const COPIES = 3;
  for (let k = 0; k < COPIES; k++) await insertCopy(stores.postgres.pool, k);
  await stores.collector({ batchRows: 1_000_000 }).catchUp();
  const calls = await sql<{ linkedids: string[] }>`
    SELECT linkedids FROM app.calls WHERE reconciler_version <> 'provisional'`.execute(stores.postgres.db);
  expect(calls.rows).toHaveLength(COPIES * CALLS_PER_COPY);
  // A copy moves ids by k × 1,000,000 s: a call's linkedids all come from one copy.
  const copyOf = (linkedid: string) => Math.floor(Number(linkedid.split('.')[0]) / 1_000_000);
  for (const { linkedids } of calls.rows) expect(new Set(linkedids.map(copyOf)).size).toBe(1);
});
