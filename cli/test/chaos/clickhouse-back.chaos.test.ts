import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@callcenter/platform/embedded-postgres';
import { afterAll, expect, it } from 'vitest';
import { ClickHouseHttp } from './support/clickhouse-http.ts';
import {
  CALLS_PER_COPY,
  health,
  insertCopy,
  type JobEnv,
  jobEnv,
  poolOf,
  postgresFigures,
  processesOf,
  startJob,
  waitUntil,
} from './support/main-job.ts';

/**
 * ClickHouse comes back while the job runs, twice: the job starts with CLICKHOUSE_URL refusing
 * connections, and later ClickHouse goes away while the job runs (open connections dropped). Each
 * time cards flow into PostgreSQL and facts wait in the outbox; when ClickHouse answers again the
 * outbox drains on its own (shipment retries with backoff, docs/operations.md "Health"), without a
 * restart. Per outage the log names ClickHouse once going down and once coming back, /health is ok
 * again, and in the end cards = call_facts FINAL with nothing duplicated.
 */

let env: JobEnv | undefined;
let chDir: string | undefined;
afterAll(() => {
  if (env) rmSync(env.dataDir, { recursive: true, force: true });
  if (chDir) rmSync(chDir, { recursive: true, force: true });
});

const DOWN = /ClickHouse(?: at \S+)? is unreachable since/g;
const BACK = /ClickHouse is back after \d+ s/g;

it('ClickHouse comes back while the job runs: the outbox drains without a restart', async () => {
  chDir = mkdtempSync(join(tmpdir(), 'callcenter-chaos-clickhouse-'));
  const clickhouse = ClickHouseHttp.on(await freePort(), join(chDir, 'clickhouse'));
  env = await jobEnv({ CLICKHOUSE_URL: clickhouse.url });
  const job = startJob(env);
  const pool = poolOf(env);
  const drains: number[] = [];
  const facts = async () => {
    const result = await clickhouse.engine.query({
      query:
        'SELECT count() AS facts, count() - uniqExact(server_id, linkedid) AS duplicated FROM call_facts FINAL',
      format: 'JSONEachRow',
    });
    const [row] = await result.json<{ facts: string; duplicated: string }>();
    return { facts: Number(row!.facts), duplicated: Number(row!.duplicated) };
  };
  /** Opens ClickHouse and waits until the outbox is empty and /health says ok; returns the ms taken. */
  const comeBack = async (expected: number) => {
    const opened = Date.now();
    await clickhouse.up();
    await waitUntil(
      async () => {
        const h = await health(env!);
        return h !== null && h.status === 'ok' && h.clickhouse.ok && h.outbox === 0;
      },
      120_000,
      'outbox drained and /health ok after ClickHouse came back',
    );
    const took = Date.now() - opened;
    expect(await facts()).toEqual({ facts: expected, duplicated: 0 });
    return took;
  };
  try {
    // Outage 1: down from the start (nothing listens on the port).
    await job.waitFor(/archive: /, 240_000);
    await insertCopy(pool, 0);
    await waitUntil(
      async () => (await postgresFigures(pool)).calls === CALLS_PER_COPY,
      120_000,
      'cards written',
    );
    expect(await health(env)).toMatchObject({
      status: 'degraded',
      clickhouse: { ok: false },
      outbox: CALLS_PER_COPY,
    });
    drains.push(await comeBack(CALLS_PER_COPY));
    expect(job.output().match(DOWN)).toHaveLength(1);
    expect(job.output().match(BACK)).toHaveLength(1);

    // Outage 2: ClickHouse goes away while the job runs (its keep-alive connections are dropped).
    await clickhouse.down();
    const COPIES = 3;
    for (let k = 1; k < COPIES; k++) await insertCopy(pool, k);
    const expected = COPIES * CALLS_PER_COPY;
    await waitUntil(
      async () => {
        const h = await health(env!);
        return h !== null && !h.clickhouse.ok && (await postgresFigures(pool)).calls === expected;
      },
      120_000,
      'cards written and ClickHouse found down',
    );
    expect((await health(env))?.outbox).toBeGreaterThan(0);
    drains.push(await comeBack(expected));
    const output = job.output();
    expect(output.match(DOWN)).toHaveLength(2);
    expect(output.match(BACK)).toHaveLength(2);

    const figures = await postgresFigures(pool);
    const shipped = await facts();
    console.log(
      `chaos: ClickHouse down at start, back, down while running, back; ${expected} calls: cards ${figures.calls}, facts ${shipped.facts}, lost ${expected - shipped.facts}, duplicated ${figures.duplicated + shipped.duplicated}, outbox ${figures.outbox}; ClickHouse back to outbox drained ${drains.join(', ')} ms`,
    );
    expect(figures).toMatchObject({ calls: expected, duplicated: 0, outbox: 0 });
  } finally {
    await pool.end().catch(() => {});
    job.child.kill('SIGTERM');
    await job.exited;
    await clickhouse.close();
  }
  await new Promise((r) => setTimeout(r, 300));
  expect(processesOf(env.dataDir)).toEqual([]);
});
