import { rmSync } from 'node:fs';
import { afterAll, expect, it } from 'vitest';
import {
  CALLS_PER_COPY,
  factFigures,
  health,
  insertCopy,
  type JobEnv,
  jobEnv,
  poolOf,
  postgresFigures,
  processesOf,
  type RunningJob,
  startJob,
  waitUntil,
} from './support/main-job.ts';

/**
 * kill -9 of the main job three times while calls arrive: each restart takes the orphaned embedded
 * PostgreSQL over, resumes from the watermark, and in the end expected calls = cards = call_facts
 * FINAL, nothing duplicated, the watermark at the last row, and after SIGTERM nothing of ours runs.
 */

let env: JobEnv;
afterAll(() => {
  if (env) rmSync(env.dataDir, { recursive: true, force: true });
});

const COPIES = 8;

it('kill -9 three times during ingest: nothing lost, nothing duplicated', async () => {
  env = await jobEnv();
  let job: RunningJob = startJob(env);
  await job.waitFor(/archive: /, 240_000);
  const pool = poolOf(env);
  const recoveries: number[] = [];
  try {
    for (let k = 0; k < COPIES; k++) {
      await insertCopy(pool, k);
      if (k % 2 === 1 && recoveries.length < 3) {
        job.child.kill('SIGKILL');
        await job.exited;
        const restarted = Date.now();
        job = startJob(env);
        await job.waitFor(/archive: /, 240_000);
        expect(job.output()).toMatch(/took over the server left running/);
        recoveries.push(Date.now() - restarted);
      }
    }
    await waitUntil(
      async () => {
        const h = await health(env);
        return h !== null && h.outbox === 0 && h.watermark_lag === 0;
      },
      120_000,
      'outbox empty and watermark at the last row',
    );
    const figures = await postgresFigures(pool);
    await pool.end();
    job.child.kill('SIGTERM');
    await job.exited;
    await new Promise((r) => setTimeout(r, 300));
    expect(processesOf(env.dataDir)).toEqual([]);
    const facts = await factFigures(env);
    const expected = COPIES * CALLS_PER_COPY;
    console.log(
      `chaos: kill -9 ×3 during ingest of ${expected} calls: cards ${figures.calls}, facts ${facts.facts}, lost ${expected - figures.calls}, duplicated ${figures.duplicated + facts.duplicated}; restart to caught up ${recoveries.join(', ')} ms`,
    );
    expect(figures).toMatchObject({ calls: expected, duplicated: 0, outbox: 0 });
    expect(figures.watermark).toBe(figures.last);
    expect(facts).toEqual({ facts: expected, duplicated: 0 });
  } finally {
    await pool.end().catch(() => {});
    if (job.child.exitCode === null && job.child.signalCode === null) job.child.kill('SIGTERM');
  }
});
