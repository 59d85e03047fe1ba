import { SERVICE_LEVEL_DEFAULT_SEC, SHORT_ABANDON_SEC } from '@callcenter/analytics/aggregate';
import { throttledProgress } from '@callcenter/ingest/backfill-progress';
import { listCaptures, readCapture } from '@callcenter/ingest/captures';
import { Collector } from '@callcenter/ingest/collector';
import { runCollector } from '@callcenter/ingest/collector-runner';
import { freshCapture } from '@callcenter/ingest/fresh-capture';
import { registerOperators } from '@callcenter/ingest/operators';
import { replayCapture } from '@callcenter/ingest/replay';
import { startLiveServices } from '@callcenter/live/services';
import { type AsteriskServerConfig, loadConfig } from '@callcenter/platform/config';
import { openStores, type Stores } from '@callcenter/platform/stores';
import { sql } from 'kysely';
import { formatCallsTable, formatQueueTotals } from '../report/calls-table.ts';
import { countCalls, queueCalls, recentCalls } from '../report/collected-calls.ts';

/**
 * The main job's work (`npm start`; the command's definition is start-command.ts, which loads
 * this module only when the job runs): migrate, replay every bundled capture (on the embedded defaults),
 * collect until caught up, print the calls and per-queue totals, then keep collecting until
 * Ctrl-C. `--once` exits after catching up; its last line is `collected N calls (M facts in
 * ClickHouse)` (README.md's first lines: a contract).
 */

/** The operators' phones of the lab that recorded the bundled captures (fixtures/asterisk/README.md). */
const CAPTURE_LAB_OPERATORS = ['101', '102', '103'];
const TABLE_ROWS = 40;

/**
 * `--once`: stop after catching up; `replay: false` (`--no-replay`): no bundled captures;
 * `demoLive` (`--demo-live`): the captures replayed live, over and over (runDemoLive).
 */
export interface StartOptions {
  once: boolean;
  replay?: boolean;
  demoLive?: boolean;
}

/** Pause between two captures of the live demo, ms. */
const DEMO_GAP_MS = 4000;

/**
 * The live demo (`npm start -- --demo-live`, README.md "Live calls"): every bundled capture,
 * one after another and again until the job stops, inserted row by row at its original pace
 * (`replayCapture` timing `original`) with its times and ids moved to now (`freshCapture`), so
 * each is a new call the collector sees ringing in CEL and pops — without ARI, as on an
 * installation without it. Errors are logged and the demo goes on with the next capture.
 */
async function runDemoLive(
  stores: Stores,
  server: AsteriskServerConfig,
  signal: AbortSignal,
  log: (line: string) => void,
): Promise<void> {
  const dirs = listCaptures();
  log(
    `demo-live: replaying ${dirs.length} captures with their original timing, moved to now, until Ctrl-C; log in as operator101 (or 102, 103), choose your own password, set yourself available, and the calls pop`,
  );
  for (let round = 1; !signal.aborted; round++) {
    for (const dir of dirs) {
      if (signal.aborted) return;
      try {
        const capture = freshCapture(readCapture(dir), Date.now(), server.timeZone);
        log(`demo-live: round ${round}: ${capture.name}`);
        await replayCapture(stores.postgres.pool, server, capture, { timing: 'original', signal });
      } catch (error) {
        log(`demo-live: ${dir}: ${error instanceof Error ? error.message : String(error)}`);
      }
      await new Promise<void>((done) => {
        const timer = setTimeout(done, DEMO_GAP_MS);
        signal.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            done();
          },
          { once: true },
        );
      });
    }
  }
}

/**
 * Services the composition root runs next to the collector (the HTTP API): started after the first
 * catch-up, stopped on Ctrl-C. Injected so ingest/ never imports api/ (the dependency arrow).
 */
export type StartServices = (
  stores: Stores,
  log: (line: string) => void,
) => Promise<{ stop(): Promise<void> }>;

async function countFacts(stores: Stores): Promise<number> {
  const result = await stores.clickhouse.query({
    query: 'SELECT count() AS n FROM call_facts FINAL',
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ n: string | number }>();
  return Number(rows[0]?.n ?? 0);
}

async function ensureOperators(
  stores: Stores,
  serverId: string,
  endpoints: readonly string[],
  log: (l: string) => void,
) {
  const existing = await stores.postgres.db
    .selectFrom('app.operators')
    .select('endpoint')
    .where('server_id', '=', serverId)
    .execute();
  if (existing.length > 0) return existing.map((r) => r.endpoint);
  await registerOperators(stores.postgres.db, serverId, endpoints);
  log(`registered operators ${endpoints.join(', ')} for server ${serverId}`);
  return [...endpoints];
}

async function printSummary(stores: Stores): Promise<void> {
  const total = await countCalls(stores.postgres.db);
  const calls = await recentCalls(stores.postgres.db, TABLE_ROWS);
  console.log(total > calls.length ? `\nThe last ${calls.length} of ${total} calls:` : `\nCalls (${total}):`);
  console.log(formatCallsTable(calls));
  console.log(
    `\nPer queue (inbound; SL = answered within ${SERVICE_LEVEL_DEFAULT_SEC} s of queue entry / (offered − short abandons < ${SHORT_ABANDON_SEC} s)):`,
  );
  console.log(formatQueueTotals(await queueCalls(stores.postgres.db)));
}

/**
 * The first SIGINT or SIGTERM, as a flag the job checks between its steps and a promise it waits
 * on; the exit code is the conventional 128 + signal number (130, 143). A second signal ends the
 * process at once with that code.
 */
function shutdownSignal() {
  let signal: NodeJS.Signals | null = null;
  let resolve: () => void = () => {};
  const received = new Promise<void>((r) => {
    resolve = r;
  });
  let at = 0;
  const on = (name: NodeJS.Signals) => {
    // Ctrl-C under npm arrives twice (from the terminal, and forwarded by npm): a repeat within
    // 2 s is the same request; a later one ends the process at once.
    if (signal !== null) {
      if (Date.now() - at > 2000) process.exit(process.exitCode ?? 1);
      return;
    }
    at = Date.now();
    signal = name;
    process.exitCode = name === 'SIGINT' ? 130 : 143;
    resolve();
  };
  const onInt = () => on('SIGINT');
  const onTerm = () => on('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  return {
    received,
    get signal() {
      return signal;
    },
    dispose() {
      process.removeListener('SIGINT', onInt);
      process.removeListener('SIGTERM', onTerm);
    },
  };
}

/**
 * Runs the main job until SIGINT/SIGTERM (or once caught up with `--once`). On a signal it stops
 * taking rows, lets the cycle in flight commit, stops the API, live sources and archive, closes the
 * pools, stops the embedded PostgreSQL and prints one line, `callcenter: stopped (SIGTERM): N calls
 * (M facts in ClickHouse)`; the exit code is 130 (SIGINT) or 143 (SIGTERM). ClickHouse down at start
 * is not fatal: cards flow and facts wait in the outbox (docs/operations.md, "Health").
 */
export async function runStartJob(opts: StartOptions, services?: StartServices): Promise<void> {
  const log = (line: string) => console.log(`callcenter: ${line}`);
  const shutdown = shutdownSignal();
  const stopping = () => shutdown.signal !== null;
  const config = loadConfig();
  let stores: Stores | null = null;
  const stops: (() => Promise<void>)[] = [];
  try {
    stores = await openStores(config, log, { clickhouseMayBeDown: true });
    await runJob(stores, config, opts, services, log, stopping, shutdown.received, stops);
  } finally {
    // Each part gets 5 s: a close that never settles (a connection PostgreSQL already dropped)
    // must not leave the event loop empty and end the process before the pools and the embedded
    // PostgreSQL are stopped.
    for (const stop of stops.reverse()) await withinSeconds(stop(), 5).catch(() => {});
    let summary = 'stopped';
    if (stores && shutdown.signal) summary = await finalSummary(stores).catch(() => summary);
    await withinSeconds(stores?.close() ?? Promise.resolve(), 40).catch(() => {});
    if (shutdown.signal) console.log(`callcenter: stopped (${shutdown.signal}): ${summary}`);
    shutdown.dispose();
    // End by the signal itself, as Unix programs do: the shell reports 130/143, and npm, seeing its
    // script killed by a signal, exits the same way without printing a failure.
    if (shutdown.signal) process.kill(process.pid, shutdown.signal);
  }
}

function withinSeconds(promise: Promise<void>, seconds: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, seconds * 1000);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function finalSummary(stores: Stores): Promise<string> {
  const calls = await countCalls(stores.postgres.db);
  const facts = stores.health.isUp('clickhouse')
    ? `${await countFacts(stores)} facts in ClickHouse`
    : 'ClickHouse unreachable, facts wait in the outbox';
  return `${calls} calls (${facts})`;
}

async function runJob(
  stores: Stores,
  config: ReturnType<typeof loadConfig>,
  opts: StartOptions,
  services: StartServices | undefined,
  log: (line: string) => void,
  stopping: () => boolean,
  received: Promise<void>,
  stops: (() => Promise<void>)[],
): Promise<void> {
  for (const line of stores.describe) log(line);
  const first = config.servers[0]!;
  const endpoints = config.operatorEndpoints.length > 0 ? config.operatorEndpoints : CAPTURE_LAB_OPERATORS;
  const operators = await ensureOperators(stores, first.id, endpoints, log);
  log(`operators of ${first.id}: ${operators.join(', ')}`);

  const replay = opts.replay ?? config.databaseUrl === undefined;
  if (replay) {
    let cel = 0;
    let cdr = 0;
    let skipped = 0;
    const dirs = listCaptures();
    for (const dir of dirs) {
      if (stopping()) return;
      const r = await replayCapture(stores.postgres.pool, first, readCapture(dir), {
        timing: 'fast',
        skipIfPresent: true,
      });
      cel += r.cel;
      cdr += r.cdr;
      if (r.skipped) skipped++;
    }
    log(
      `replayed ${dirs.length - skipped} captures (${cel} CEL rows, ${cdr} CDR rows) into ${first.schema}.cel/${first.schema}.cdr${skipped ? `; ${skipped} already present` : ''}`,
    );
  }
  if (stopping()) return;

  // Live provisional ringing (CEL side; ARI when ARI_URL is set) and the provisional-card sweeper.
  const live = await startLiveServices(config, stores.postgres.pool, log);
  stops.push(() => live.stop());
  const collector = new Collector({
    db: stores.postgres.db,
    pool: stores.postgres.pool,
    clickhouse: stores.clickhouse,
    servers: config.collectorServers
      ? config.servers.filter((s) => config.collectorServers!.includes(s.id))
      : config.servers,
    ...(config.collectorServers ? { shipServers: config.collectorServers } : {}),
    batchRows: config.batchRows,
    idleTimeoutSec: config.idleTimeoutSec,
    celRinging: live.celRinging,
    health: stores.health,
    beforeShip: () => stores.clickhouseReady(),
    log,
  });
  stops.push(() => collector.close());
  // A long backfill prints its progress (done/total CEL ids, rate, ETA) every 5 s.
  const caughtUp = await collector.catchUp(
    stopping,
    throttledProgress((line) => log(line)),
  );
  if (stopping()) return;
  const quarantined = await sql<{ n: number }>`SELECT count(*)::int AS n FROM app.quarantine`.execute(
    stores.postgres.db,
  );
  log(
    `caught up: read ${caughtUp.celRows} relevant CEL rows and ${caughtUp.cdrRows} CDR rows; ${caughtUp.inserted} calls new, ${caughtUp.updated} updated; ${quarantined.rows[0]?.n ?? 0} rows in quarantine`,
  );
  await printSummary(stores);
  const summary = async () => `collected ${await finalSummary(stores)}`;
  if (opts.once) {
    console.log(`\n${await summary()}`);
    return;
  }
  console.log(`\n${await summary()}`);
  log(
    `collecting until Ctrl-C (NOTIFY wake-ups, polling every ${config.pollIntervalMs} ms, idle finalisation every minute)`,
  );
  if (stopping()) return;
  const extra = services ? await services(stores, log) : null;
  if (extra) stops.push(() => extra.stop());
  const running = await runCollector({
    collector,
    databaseUrl: stores.postgres.url,
    pollIntervalMs: config.pollIntervalMs,
    log,
    health: stores.health,
    onCycle: (r) => {
      if (r.inserted || r.updated || r.malformed) {
        log(
          `+${r.inserted} calls, ${r.updated} updated, ${r.malformed} rows quarantined (open: ${JSON.stringify(collector.pendingCalls())})`,
        );
      }
    },
  });
  stops.push(() => running.stop());
  // The nightly archive (ARCHIVE_DIR) and manual `archive --now` runs handed over by the CLI.
  const { ArchiveScheduler } = await import('@callcenter/archive/scheduler');
  const archive = new ArchiveScheduler({
    db: stores.postgres.db,
    pool: stores.postgres.pool,
    databaseUrl: stores.postgres.url,
    clickhouse: stores.clickhouse,
    config,
    log,
  });
  stops.push(() => archive.stop());
  await archive.start();
  if (opts.demoLive) {
    const demo = new AbortController();
    const running = runDemoLive(stores, first, demo.signal, log);
    // Stopped first (stops run in reverse): no rows inserted while the collector winds down.
    stops.push(async () => {
      demo.abort();
      await running;
    });
  }
  await received;
}
