import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestStores } from '@callcenter/ingest/testing/stores';
import { sql } from 'kysely';
import { type ArchiveRunInput, runArchive } from '../src/archive-run.ts';

/** Helpers of the archive tests: a NAS folder, recordings, a run, the CLI as a child process. */

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A fresh directory standing for the NAS mount. */
export const tempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), `callcenter-${prefix}-`));

/** Recordings as MixMonitor leaves them, `mtime` well in the past (so none is "still being written"). */
export function writeRecordings(dir: string, files: Record<string, number>, mtime: Date): void {
  for (const [rel, size] of Object.entries(files)) {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    const bytes = Buffer.alloc(size);
    for (let i = 0; i < size; i++) bytes[i] = (i * 31 + rel.length * 7) & 0xff;
    writeFileSync(path, bytes);
    utimesSync(path, mtime, mtime);
  }
}

/** Runs an archive of `stores` into `target` (UTC dates) with the test's clock. */
export function archiveRun(
  stores: TestStores,
  target: string,
  now: Date,
  extra: Partial<ArchiveRunInput> = {},
): ReturnType<typeof runArchive> {
  return runArchive({
    db: stores.postgres.db,
    pool: stores.postgres.pool,
    databaseUrl: stores.postgres.url,
    clickhouse: stores.clickhouse,
    target,
    timeZone: 'UTC',
    keepDaily: 7,
    keepMonthly: 12,
    recordingsDir: join(stores.config.dataDir, 'recordings'),
    recordingsKeepDays: 0,
    trigger: 'manual',
    requestedBy: 'test',
    now,
    progressIntervalMs: 0,
    ...extra,
  });
}

/** Calls, attempts and their sums in Postgres: what a restore must reproduce. */
export async function postgresFigures(db: TestStores['postgres']['db']) {
  const result = await sql<Record<string, number>>`
    SELECT (SELECT count(*)::int FROM app.calls) AS calls,
           (SELECT round(sum(talk_sec)::numeric, 3)::float8 FROM app.calls) AS talk_sec,
           (SELECT round(sum(hold_sec)::numeric, 3)::float8 FROM app.calls) AS hold_sec,
           (SELECT count(*)::int FROM app.call_attempts) AS attempts,
           (SELECT round(sum(ring_sec)::numeric, 3)::float8 FROM app.call_attempts) AS ring_sec,
           (SELECT count(*)::int FROM app.call_segments) AS segments,
           (SELECT count(*)::int FROM asterisk.cel) AS cel_rows`.execute(db);
  return result.rows[0]!;
}

/** Counts and sums of the three facts tables (FINAL), as one SQL statement for chDB or the CLI. */
export const FACT_FIGURES_SQL = `SELECT
  (SELECT count() FROM call_facts FINAL) AS call_facts,
  (SELECT round(sum(talk_sec), 3) FROM call_facts FINAL) AS call_talk_sec,
  (SELECT sum(attempts) FROM call_facts FINAL) AS call_attempts,
  (SELECT count() FROM attempt_facts FINAL) AS attempt_facts,
  (SELECT round(sum(ring_sec), 3) FROM attempt_facts FINAL) AS attempt_ring_sec,
  (SELECT count() FROM segment_facts FINAL) AS segment_facts,
  (SELECT round(sum(talk_sec), 3) FROM segment_facts FINAL) AS segment_talk_sec`;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npx callcenter …` as a child process (the contract as users run it), with `env` added. */
export function runCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  const base = { ...process.env };
  for (const name of ['DATABASE_URL', 'CLICKHOUSE_URL', 'ARCHIVE_DIR', 'RECORDINGS_DIR']) delete base[name];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'bin/callcenter.mjs'), ...args],
      { cwd: ROOT, env: { ...base, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
