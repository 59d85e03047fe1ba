import { rmSync } from 'node:fs';
import { freePort } from '@callcenter/platform/embedded-postgres';
import { afterAll, expect, it } from 'vitest';
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
 * CLICKHOUSE_URL at a closed port: the job starts anyway, names ClickHouse once in its log, collects
 * the cards, holds every fact in the outbox, and /health says ClickHouse is down since when.
 */

let env: JobEnv;
afterAll(() => {
  if (env) rmSync(env.dataDir, { recursive: true, force: true });
});

it('starts with ClickHouse down: cards flow, facts wait in the outbox', async () => {
  const closed = await freePort();
  env = await jobEnv({ CLICKHOUSE_URL: `http://127.0.0.1:${closed}` });
  const started = Date.now();
  const job = startJob(env);
  await job.waitFor(/archive: /, 240_000);
  const pool = poolOf(env);
  try {
    const COPIES = 2;
    for (let k = 0; k < COPIES; k++) await insertCopy(pool, k);
    const expected = COPIES * CALLS_PER_COPY;
    await waitUntil(async () => (await postgresFigures(pool)).calls === expected, 120_000, 'cards written');
    const h = await health(env);
    expect(h).toMatchObject({
      status: 'degraded',
      postgres: { ok: true },
      clickhouse: { ok: false },
      outbox: expected,
    });
    expect(Date.parse(h!.clickhouse.since)).toBeGreaterThanOrEqual(started - 1000);
    const figures = await postgresFigures(pool);
    console.log(
      `chaos: ClickHouse down from the start, ${expected} calls: cards ${figures.calls}, outbox ${figures.outbox}, lost 0 (held in the outbox), duplicated ${figures.duplicated}`,
    );
    expect(figures).toMatchObject({ calls: expected, duplicated: 0, outbox: expected });
    const named = job
      .output()
      .match(new RegExp(`ClickHouse at http://127\\.0\\.0\\.1:${closed} is unreachable`, 'g'));
    expect(named).toHaveLength(1);
  } finally {
    await pool.end().catch(() => {});
    job.child.kill('SIGTERM');
    await job.exited;
  }
  await new Promise((r) => setTimeout(r, 300));
  expect(processesOf(env.dataDir)).toEqual([]);
  expect(job.output()).toMatch(
    /callcenter: stopped \(SIGTERM\): 62 calls \(ClickHouse unreachable, facts wait in the outbox\)/,
  );
});
