import { SERVICE_LEVEL_DEFAULT_SEC, SHORT_ABANDON_SEC } from '@callcenter/analytics/aggregate';
import { listCaptures, readCapture } from '@callcenter/ingest/captures';
import { Collector } from '@callcenter/ingest/collector';
import { runCollector } from '@callcenter/ingest/collector-runner';
import { registerOperators } from '@callcenter/ingest/operators';
import { replayCapture } from '@callcenter/ingest/replay';
import { startLiveServices } from '@callcenter/live/services';
import { loadConfig } from '@callcenter/platform/config';
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

/** `--once`: stop after catching up; `replay: false` (`--no-replay`): no bundled captures. */
export interface StartOptions {
  once: boolean;
  replay?: boolean;
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

/** Runs the main job until Ctrl-C (or once caught up with `--once`). */
export async function runStartJob(opts: StartOptions, services?: StartServices): Promise<void> {
  const log = (line: string) => console.log(`callcenter: ${line}`);
  const config = loadConfig();
  const stores = await openStores(config, log);
  try {
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

    // Live provisional ringing (CEL side; ARI when ARI_URL is set) and the provisional-card sweeper.
    const live = await startLiveServices(config, stores.postgres.pool, log);
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
      log,
    });
    const caughtUp = await collector.catchUp();
    const quarantined = await sql<{ n: number }>`SELECT count(*)::int AS n FROM app.quarantine`.execute(
      stores.postgres.db,
    );
    log(
      `caught up: read ${caughtUp.celRows} relevant CEL rows and ${caughtUp.cdrRows} CDR rows; ${caughtUp.inserted} calls new, ${caughtUp.updated} updated; ${quarantined.rows[0]?.n ?? 0} rows in quarantine`,
    );
    await printSummary(stores);
    const summary = async () =>
      `collected ${await countCalls(stores.postgres.db)} calls (${await countFacts(stores)} facts in ClickHouse)`;
    if (opts.once) {
      await live.stop();
      console.log(`\n${await summary()}`);
      return;
    }
    console.log(`\n${await summary()}`);
    log(
      `collecting until Ctrl-C (NOTIFY wake-ups, polling every ${config.pollIntervalMs} ms, idle finalisation every minute)`,
    );
    const extra = services ? await services(stores, log) : null;
    const running = await runCollector({
      collector,
      databaseUrl: stores.postgres.url,
      pollIntervalMs: config.pollIntervalMs,
      log,
      onCycle: (r) => {
        if (r.inserted || r.updated || r.malformed) {
          log(
            `+${r.inserted} calls, ${r.updated} updated, ${r.malformed} rows quarantined (open: ${JSON.stringify(collector.pendingCalls())})`,
          );
        }
      },
    });
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
    await archive.start();
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    log('stopping…');
    await archive.stop().catch(() => {});
    await extra?.stop().catch(() => {});
    await live.stop().catch(() => {});
    await running.stop();
    // Ctrl-C reaches the embedded PostgreSQL too (same process group): it may be gone already.
    console.log(await summary().catch(() => 'stopped'));
  } finally {
    await stores.close();
  }
}
