import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '@callcenter/platform/config';
import type { Database } from '@callcenter/platform/database';
import { freePort } from '@callcenter/platform/embedded-postgres';
import { API_STATEMENT_TIMEOUT_MS, connectPostgres } from '@callcenter/platform/postgres';
import { openPostgresStore, type PostgresStore } from '@callcenter/platform/stores';
import { Command } from 'commander';
import { Kysely, PostgresDialect } from 'kysely';
import { signAccessToken } from '../src/auth/access-token.ts';
import type { AuthUser, Role } from '../src/auth/auth-user.ts';
import { upsertUser } from '../src/auth/users-repository.ts';
import type { ApiConfig } from '../src/config/api-config.ts';
import { startApiServer } from '../src/server/api-server.ts';
import {
  BENCH_OPERATORS,
  BENCH_QUEUES,
  benchCustomerNumber,
  benchCustomerPool,
  generateCalls,
} from './call-generator.ts';

/**
 * `npm run bench:calls` — the call journal (`GET /calls`) and the callback work list
 * (`GET /callbacks`) at contact-centre volume, over a real HTTP server on loopback with the API's
 * own pool (8 connections, the API's statement timeout) and an embedded PostgreSQL.
 *
 * The database of `--calls` calls (default 1,000,000; `-- --calls 10000000` for the larger size)
 * is generated once by call-generator.ts and kept under `.bench/calls-<n>/` (keyed by size and
 * generator version); later runs reuse it. Each page shape then runs `--seconds` (30) with
 * `--clients` (50) concurrent clients, one shape after another:
 *
 * - `operator_own`: an operator's own calls, newest first (200 operators, one per client);
 * - `supervisor_queue_status`: a supervisor's three queues with a status filter;
 * - `admin_newest`: an admin's unfiltered newest page;
 * - `number_search`: a customer's number (`?number=`);
 * - `notes_search`: a word of the notes (`?q=`);
 * - `category`: a category filter (`?category_id=`);
 * - `keyset_page_50`: the 50th page of the newest-first journal (cursor of page 49);
 * - `callbacks`: an operator's callback work list (`GET /callbacks?limit=10`).
 *
 * Prints per shape p50/p95/p99 (ms, request to last byte), req/s and errors (non-200 or network),
 * the build time and size of the database, and last one JSON object:
 * `{ "calls", "clients", "shapes": { "<name>": { "p50_ms", "p95_ms", "p99_ms", "rps", "errors" } },
 *   "p95_ms_max", "p99_ms_max" }`.
 */

interface Options {
  calls: string;
  clients: string;
  seconds: string;
  rebuild: boolean;
  explain: boolean;
}

/** Bumped when the generator's output changes: a database of another version is rebuilt. */
const GENERATOR_VERSION = 1;

const log = (line: string) => console.log(line);
const round = (n: number, digits = 1) => Number(n.toFixed(digits));
const percentile = (sorted: readonly number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/** Deterministic small PRNG per client (mulberry32), so runs ask comparable questions. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Built {
  store: PostgresStore;
  buildSec: number | null;
  reused: boolean;
}

/** Opens (or generates) the database of `n` calls under `.bench/calls-<n>`. */
async function openDatabase(n: number, rebuild: boolean): Promise<Built> {
  const dir = join(process.cwd(), '.bench', `calls-${n}`);
  const config = () =>
    loadConfig({
      ...process.env,
      DATABASE_URL: '',
      CLICKHOUSE_URL: '',
      DATA_DIR: dir,
      EMBEDDED_PG_PORT: String(port),
    });
  let port = await freePort();
  if (existsSync(dir) && !rebuild) {
    const store = await openPostgresStore(config());
    const meta = await store.postgres.pool
      .query<{ calls: string; version: number; build_sec: number }>(
        'SELECT calls, version, build_sec FROM public.bench_calls_meta',
      )
      .catch(() => ({ rows: [] }));
    const row = meta.rows[0];
    if (row && Number(row.calls) === n && row.version === GENERATOR_VERSION)
      return { store, buildSec: row.build_sec, reused: true };
    await store.close();
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  port = await freePort();
  const store = await openPostgresStore(config());
  const t0 = performance.now();
  log(`generating ${n} calls in ${dir} …`);
  await generateCalls(store.postgres.pool, n);
  const buildSec = (performance.now() - t0) / 1000;
  await store.postgres.pool.query(
    'CREATE TABLE public.bench_calls_meta (calls bigint, version int, build_sec double precision, built_at timestamptz DEFAULT now())',
  );
  await store.postgres.pool.query(
    'INSERT INTO public.bench_calls_meta (calls, version, build_sec) VALUES ($1, $2, $3)',
    [n, GENERATOR_VERSION, buildSec],
  );
  return { store, buildSec, reused: false };
}

async function token(
  store: PostgresStore,
  config: ApiConfig,
  login: string,
  role: Role,
  endpoint: string | null,
  queues: string[],
): Promise<string> {
  const { id } = await upsertUser(store.postgres.db, {
    login,
    passwordHash: 'not-a-login-user',
    role,
    displayName: login,
    serverId: 'pbx1',
    endpoint,
    queues,
  });
  const user: AuthUser = { id, login, role, endpoint, serverId: 'pbx1', queues };
  return signAccessToken(user, config.jwtSecret, 3600);
}

/** A shape: the request client `c` sends next (path and query, token). */
type Shape = (client: number, random: () => number) => { path: string; token: string };

interface ShapeResult {
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  rps: number;
  errors: number;
}

async function runShape(
  base: string,
  shape: Shape,
  clients: number,
  seconds: number,
  name: string,
): Promise<ShapeResult> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  const deadline = performance.now() + seconds * 1000;
  const client = async (c: number) => {
    const random = prng(c * 7919 + name.length);
    while (performance.now() < deadline) {
      const { path, token } = shape(c, random);
      const t0 = performance.now();
      try {
        const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
        const body = await response.text();
        if (response.status !== 200) {
          errors++;
          firstError ??= `${path} → ${response.status} ${body.slice(0, 200)}`;
          continue;
        }
        latencies.push(performance.now() - t0);
      } catch (error) {
        errors++;
        firstError ??= `${path} → ${String(error)}`;
      }
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: clients }, (_, c) => client(c)));
  const elapsed = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  if (firstError) log(`  ${name}: first error: ${firstError}`);
  return {
    p50_ms: round(percentile(latencies, 50)),
    p95_ms: round(percentile(latencies, 95)),
    p99_ms: round(percentile(latencies, 99)),
    rps: round(latencies.length / elapsed),
    errors,
  };
}

async function main(options: Options): Promise<void> {
  const n = Number(options.calls);
  const clients = Number(options.clients);
  const seconds = Number(options.seconds);
  if (!Number.isSafeInteger(n) || n < 1000) throw new Error('--calls: a whole number ≥ 1000');
  log(`bench:calls — ${n} calls, ${clients} clients, ${seconds} s per shape`);
  const { store, buildSec, reused } = await openDatabase(n, options.rebuild);
  const apiPostgres = connectPostgres(store.postgres.url, 8, {
    statementTimeoutMs: API_STATEMENT_TIMEOUT_MS,
  });
  let api: Awaited<ReturnType<typeof startApiServer>> | null = null;
  try {
    const size = await store.postgres.pool.query<{
      bytes: string;
      calls: number;
      attempts: number;
      participants: number;
    }>(
      `SELECT pg_database_size(current_database())::text AS bytes,
              (SELECT count(*) FROM app.calls)::int AS calls,
              (SELECT count(*) FROM app.call_attempts)::int AS attempts,
              (SELECT count(*) FROM app.call_participants)::int AS participants`,
    );
    const s = size.rows[0]!;
    log(
      `database: ${s.calls} calls, ${s.attempts} attempts, ${s.participants} participant rows; ${(Number(s.bytes) / 1024 ** 3).toFixed(2)} GB; ${reused ? 'reused, built' : 'built'} in ${buildSec === null ? '?' : buildSec.toFixed(1)} s`,
    );

    const apiConfig: ApiConfig = {
      port: 0,
      jwtSecret: 'bench-secret-that-is-long-enough-for-hs256-0123456789',
      accessTokenTtlSec: 3600,
      refreshTokenTtlSec: 3600,
      recordingsDir: join(process.cwd(), '.bench', 'recordings'),
      bodyLimitBytes: 1024 * 1024,
    };
    const admin = await token(store, apiConfig, 'bench-admin', 'admin', null, []);
    const operators: string[] = [];
    for (const e of BENCH_OPERATORS)
      operators.push(await token(store, apiConfig, `bench-op${e}`, 'operator', e, []));
    const supervisors: string[] = [];
    for (let i = 0; i < 10; i++) {
      const queues = [0, 7, 13].map((o) => BENCH_QUEUES[(i + o) % BENCH_QUEUES.length]!);
      supervisors.push(await token(store, apiConfig, `bench-sup${i}`, 'supervisor', null, queues));
    }
    const categories = (
      await store.postgres.pool.query<{ id: number }>(
        "SELECT id::int AS id FROM app.call_categories WHERE deleted_at IS NULL AND name <> '' ORDER BY id",
      )
    ).rows.map((r) => r.id);

    // The API's kysely, logging each statement while `capture` is set (--explain).
    let capture: { sql: string; parameters: readonly unknown[] }[] | null = null;
    const apiDb = new Kysely<Database>({
      dialect: new PostgresDialect({ pool: apiPostgres.pool }),
      log: (event) => {
        if (capture && event.level === 'query')
          capture.push({ sql: event.query.sql, parameters: event.query.parameters });
      },
    });
    api = await startApiServer(
      { db: apiDb, pool: apiPostgres.pool, clickhouse: null, config: apiConfig, log: () => {} },
      0,
      '127.0.0.1',
    );
    log(`API on ${api.url} (loopback), its pool: 8 connections`);

    // The 50th page: follow the cursor 49 times once (not measured).
    let cursor: string | null = null;
    for (let page = 1; page < 50; page++) {
      const response: Response = await fetch(`${api.url}/calls${cursor ? `?cursor=${cursor}` : ''}`, {
        headers: { authorization: `Bearer ${admin}` },
      });
      cursor = ((await response.json()) as { nextCursor: string | null }).nextCursor;
      if (!cursor) throw new Error(`the journal ended at page ${page}`);
    }
    const deepCursor = cursor!;

    const pool = benchCustomerPool(n);
    const words = ['перезвонить', 'заказа', 'возврат', 'escalate', 'доставке', 'invoice', 'тарифу'];
    const statuses = ['answered', 'abandoned', 'missed'];
    const shapes: Record<string, Shape> = {
      operator_own: (c) => ({ path: '/calls', token: operators[c % operators.length]! }),
      supervisor_queue_status: (c, r) => ({
        path: `/calls?status=${statuses[Math.floor(r() * statuses.length)]}`,
        token: supervisors[c % supervisors.length]!,
      }),
      admin_newest: () => ({ path: '/calls', token: admin }),
      number_search: (_c, r) => ({
        path: `/calls?number=${benchCustomerNumber(Math.floor(pool * r() * r()))}`,
        token: admin,
      }),
      notes_search: (_c, r) => ({
        path: `/calls?q=${encodeURIComponent(words[Math.floor(r() * words.length)]!)}`,
        token: admin,
      }),
      category: (_c, r) => ({
        path: `/calls?category_id=${categories[Math.floor(r() * categories.length)]}`,
        token: admin,
      }),
      keyset_page_50: () => ({ path: `/calls?cursor=${deepCursor}`, token: admin }),
      callbacks: (c) => ({ path: '/callbacks?limit=10', token: operators[c % operators.length]! }),
    };

    if (options.explain) {
      // One request per shape; each statement it ran, EXPLAIN (ANALYZE, BUFFERS) on its own.
      for (const [name, shape] of Object.entries(shapes)) {
        const { path, token: t } = shape(3, prng(3));
        capture = [];
        await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${t}` } }).then((r) => r.text());
        const statements = capture;
        capture = null;
        log(`\n### ${name}: GET ${path}`);
        for (const q of statements) {
          if (/pg_collation|^(begin|commit|rollback)/i.test(q.sql)) continue;
          log(`\n${q.sql}\n-- parameters: ${JSON.stringify(q.parameters).slice(0, 300)}`);
          const plan = await apiPostgres.pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${q.sql}`, [...q.parameters]);
          log(plan.rows.map((r) => r['QUERY PLAN']).join('\n'));
        }
      }
      return;
    }

    const results: Record<string, ShapeResult> = {};
    log(`shape                      p50 ms   p95 ms   p99 ms    req/s  errors`);
    for (const [name, shape] of Object.entries(shapes)) {
      // Warm-up: one request per client, not measured.
      await Promise.all(
        Array.from({ length: Math.min(clients, 8) }, async (_, c) => {
          const { path, token: t } = shape(c, prng(c));
          await fetch(`${api!.url}${path}`, { headers: { authorization: `Bearer ${t}` } }).then((r) =>
            r.text(),
          );
        }),
      );
      const r = await runShape(api.url, shape, clients, seconds, name);
      results[name] = r;
      log(
        `${name.padEnd(25)} ${String(r.p50_ms).padStart(7)}  ${String(r.p95_ms).padStart(7)}  ${String(r.p99_ms).padStart(7)}  ${String(r.rps).padStart(7)}  ${String(r.errors).padStart(6)}`,
      );
    }
    const values = Object.values(results);
    console.log(
      JSON.stringify({
        calls: n,
        clients,
        shapes: results,
        p95_ms_max: Math.max(...values.map((v) => v.p95_ms)),
        p99_ms_max: Math.max(...values.map((v) => v.p99_ms)),
      }),
    );
  } finally {
    await api?.close().catch(() => {});
    await apiPostgres.close().catch(() => {});
    await store.close();
  }
}

const program = new Command('bench:calls')
  .option('--calls <n>', 'calls in the database (generated once per size under .bench/)', '1000000')
  .option('--clients <n>', 'concurrent clients per shape', '50')
  .option('--seconds <n>', 'seconds per shape', '30')
  .option(
    '--explain',
    "print EXPLAIN (ANALYZE, BUFFERS) of each shape's statements instead of timing them",
    false,
  )
  .option('--rebuild', 'generate the database again even when one of this size exists', false)
  .action(async (options: Options) => main(options));
await program.parseAsync(process.argv);
process.exit(0);
