import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createClickHouse } from '@callcenter/analytics/clickhouse';
import { listCaptures, readCapture } from '@callcenter/ingest/captures';
import { replayCapture } from '@callcenter/ingest/replay';
import { loadConfig } from '@callcenter/platform/config';
import { freePort } from '@callcenter/platform/embedded-postgres';
import pg from 'pg';

/**
 * The main job as an operator runs it (`node bin/callcenter.mjs start` or `npm start`), on the
 * embedded defaults under a fresh DATA_DIR, for the chaos tests (`npm run test:chaos`): start, wait
 * for a line, signal, kill -9, read /health, and look for processes of ours left running.
 */

export const REPO = resolve(import.meta.dirname, '../../../..');

/** Calls the bundled captures make once (each capture's calls, as `npm start` reports them). */
export const CALLS_PER_COPY = 31;

export interface JobEnv {
  dataDir: string;
  pgPort: number;
  apiPort: number;
  env: Record<string, string>;
}

export async function jobEnv(extra: Record<string, string> = {}): Promise<JobEnv> {
  const dataDir = mkdtempSync(join(tmpdir(), 'callcenter-chaos-'));
  chmodSync(dataDir, 0o755);
  const pgPort = await freePort();
  const apiPort = await freePort();
  return {
    dataDir,
    pgPort,
    apiPort,
    env: {
      DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(pgPort),
      PORT: String(apiPort),
      POLL_INTERVAL_MS: '500',
      JWT_SECRET: 'chaos-test-secret-chaos-test-secret-0123',
      ...extra,
    },
  };
}

export interface RunningJob {
  child: ChildProcess;
  output(): string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the job: `node bin/callcenter.mjs start ARGS` or, with `npm`, `npm start -- ARGS`; in its own process group. */
export function startJob(env: JobEnv, args: string[] = ['--no-replay'], npm = false): RunningJob {
  const child = npm
    ? spawn('npm', ['start', '--', ...args], {
        cwd: REPO,
        env: { ...process.env, ...env.env },
        detached: true,
      })
    : spawn(process.execPath, ['bin/callcenter.mjs', 'start', ...args], {
        cwd: REPO,
        env: { ...process.env, ...env.env },
        detached: true,
      });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('exit', (code, signal) => done({ code, signal })),
  );
  return {
    child,
    output: () => text,
    exited,
    async waitFor(pattern, timeoutMs = 180_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(text)) {
        if (child.exitCode !== null || child.signalCode !== null)
          throw new Error(`the job ended before ${pattern}:\n${text}`);
        if (Date.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms:\n${text}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

/** The exit status as a shell reports it (128 + signal number when killed by a signal). */
export function shellStatus(exit: { code: number | null; signal: NodeJS.Signals | null }): number {
  if (exit.signal === 'SIGINT') return 130;
  if (exit.signal === 'SIGTERM') return 143;
  if (exit.signal === 'SIGKILL') return 137;
  return exit.code ?? -1;
}

/** Processes whose command line names `dataDir` or that have `pid` as an ancestor's group: ours still running. */
export function processesOf(dataDir: string, groupId?: number): string[] {
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const state = fields[0];
      const pgid = Number(fields[2]);
      if (state === 'Z') continue;
      if (cmdline.includes(dataDir) || (groupId !== undefined && pgid === groupId))
        found.push(`${entry} ${cmdline}`);
    } catch {}
  }
  return found;
}

export async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface Health {
  status: 'ok' | 'degraded';
  postgres: { ok: boolean; since: string };
  clickhouse: { ok: boolean; since: string };
  outbox: number | null;
  watermark_lag: number | null;
}

export async function health(env: JobEnv): Promise<Health | null> {
  try {
    const response = await fetch(`http://127.0.0.1:${env.apiPort}/health`);
    return (await response.json()) as Health;
  } catch {
    return null;
  }
}

export const pgUrl = (env: JobEnv) => `postgres://postgres:postgres@127.0.0.1:${env.pgPort}/callcenter`;

/**
 * Inserts copy `k` of every bundled capture into asterisk.cel/cdr: uniqueids and linkedids moved
 * by k × 1,000,000 s — also those CEL `extra` names (a transfer's `transferee_channel_uniqueid`,
 * `channel2_uniqueid`…), which the reconciler joins calls by — and times by k hours, so each copy
 * is CALLS_PER_COPY new calls whichever copies the collector reads in one batch.
 */
export async function insertCopy(pool: pg.Pool, k: number): Promise<void> {
  const server = loadConfig({}).servers[0]!;
  const rekey = (id: string | undefined) => {
    if (!id) return id ?? '';
    const [epoch, seq] = id.split('.');
    return `${Number(epoch) + k * 1_000_000}.${seq}`;
  };
  const shift = (time: string | undefined) => {
    if (!time) return time ?? '';
    const at = new Date(`${time.replace(' ', 'T')}Z`);
    if (Number.isNaN(at.getTime())) return time;
    const moved = new Date(at.getTime() + k * 3_600_000).toISOString().replace('T', ' ').replace('Z', '');
    return `${moved}${time.slice(23)}`;
  };
  for (const dir of listCaptures()) {
    const capture = readCapture(dir);
    const move = (row: Record<string, string>, times: string[]) => {
      const { id: _id, ...rest } = row;
      const out: Record<string, string> = {
        ...rest,
        uniqueid: rekey(row.uniqueid),
        linkedid: rekey(row.linkedid),
      };
      if (row.extra)
        out.extra = row.extra.replace(
          /"(\w*(?:uniqueid|linkedid))":"([^"]*)"/g,
          (_all, key: string, id: string) => `"${key}":"${rekey(id)}"`,
        );
      for (const t of times) if (t in row) out[t] = shift(row[t]);
      return out;
    };
    await replayCapture(
      pool,
      server,
      {
        name: `${capture.name}-copy-${k}`,
        cel: capture.cel.map((r) => move(r, ['eventtime'])),
        cdr: capture.cdr.map((r) => move(r, ['start', 'answer', 'end'])),
      },
      { timing: 'fast' },
    );
  }
}

/** Calls, duplicated (server, linkedid), and the CEL watermark vs. the table's last id. */
export async function postgresFigures(pool: pg.Pool) {
  const r = await pool.query<{
    calls: number;
    duplicated: number;
    watermark: number;
    last: number;
    outbox: number;
  }>(`
    SELECT (SELECT count(*)::int FROM app.calls WHERE reconciler_version <> 'provisional') AS calls,
      (SELECT count(*)::int FROM (SELECT server_id, linkedid FROM app.calls GROUP BY 1, 2 HAVING count(*) > 1) d) AS duplicated,
      (SELECT last_id::int FROM app.watermarks WHERE source = 'cel') AS watermark,
      (SELECT max(id)::int FROM asterisk.cel) AS last,
      (SELECT count(*)::int FROM app.outbox) AS outbox`);
  return r.rows[0]!;
}

/** `call_facts FINAL` rows and duplicated linkedids, read from the job's chDB after it stopped. */
export async function factFigures(env: JobEnv): Promise<{ facts: number; duplicated: number }> {
  const clickhouse = createClickHouse({ chdbPath: join(env.dataDir, 'clickhouse') });
  try {
    const result = await clickhouse.query({
      query: `SELECT count() AS facts, count() - uniqExact(server_id, linkedid) AS duplicated FROM call_facts FINAL`,
      format: 'JSONEachRow',
    });
    const [row] = await result.json<{ facts: string; duplicated: string }>();
    return { facts: Number(row!.facts), duplicated: Number(row!.duplicated) };
  } finally {
    await clickhouse.close();
  }
}

/** A pool on the job's embedded PostgreSQL (tests connect beside the job, as Asterisk does). */
export function poolOf(env: JobEnv): pg.Pool {
  const pool = new pg.Pool({ connectionString: pgUrl(env), max: 2 });
  pool.on('error', () => {});
  return pool;
}
