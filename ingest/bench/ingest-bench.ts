import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { loadConfig } from '@callcenter/platform/config';
import { freePort } from '@callcenter/platform/embedded-postgres';
import { openPostgresStore, openStores, type PostgresStore } from '@callcenter/platform/stores';
import type { ClickHouseClient } from '@clickhouse/client';
import { Command } from 'commander';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { throttledProgress } from '../src/collector/backfill-progress.ts';
import { Collector } from '../src/collector/collector.ts';
import { runCollector } from '../src/collector/collector-runner.ts';
import { registerOperators } from '../src/collector/operator-directory.ts';
import {
  celCopySql,
  generateCelVolume,
  toCopyChunks,
  toCopyText,
  type VolumeItem,
} from './volume/cel-volume.ts';

/**
 * `npm run bench:ingest` — the collector's throughput and latency on a record day.
 *
 * 1. Load: `--calls` clones of the real captured calls (default 150,000 over 24 h) into asterisk.cel.
 * 2. Ceiling: a bare `COPY asterisk.cel TO STDOUT` of the same rows.
 * 3. Throughput: a collector reads, reconciles and writes every call to Postgres and ships the facts
 *    to chDB, end to end.
 * 4. Latency: with the collector running (LISTEN/NOTIFY), `--stream-calls` more calls are inserted
 *    in real time at `--stream-rate` calls/s; for each, the time from the commit of its LINKEDID_END
 *    row to the card's appearance in Postgres (the calls table's NOTIFY) is measured.
 * The last line of output is one JSON object with the figures.
 */

interface Options {
  calls: string;
  streamCalls: string;
  streamRate: string;
  batchRows: string;
  keep: boolean;
  clickhouse: boolean;
}

const log = (line: string) => console.log(line);
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const percentile = (sorted: readonly number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const round = (n: number, digits = 0) => Number(n.toFixed(digits));

let peakRss = 0;
/** Peak RSS of the phase in progress (load, collect, latency), reset at each phase's start. */
let phasePeak = 0;
const sampler = setInterval(() => {
  const rss = process.memoryUsage().rss;
  peakRss = Math.max(peakRss, rss);
  phasePeak = Math.max(phasePeak, rss);
}, 100);
const startPhase = () => {
  phasePeak = process.memoryUsage().rss;
};

async function loadVolume(
  stores: PostgresStore,
  calls: number,
  startAt: number,
  seed: number,
): Promise<number> {
  const client = await stores.postgres.pool.connect();
  let rows = 0;
  try {
    const items = generateCelVolume({ calls, startAt, seed });
    const counted = (function* () {
      for (const item of items) {
        rows++;
        yield item;
      }
    })();
    await pipeline(
      Readable.from(toCopyChunks(counted, 5000)),
      client.query(copyFrom(celCopySql('asterisk'))),
    );
    await client.query(
      `SELECT setval(pg_get_serial_sequence('asterisk.cel', 'id'), (SELECT max(id) FROM asterisk.cel))`,
    );
    await client.query('ANALYZE asterisk.cel');
  } finally {
    client.release();
  }
  return rows;
}

async function copyCeiling(stores: PostgresStore): Promise<{ rows: number; seconds: number }> {
  const client = await stores.postgres.pool.connect();
  try {
    let rows = 0;
    const t0 = performance.now();
    await pipeline(
      client.query(copyTo('COPY asterisk.cel TO STDOUT')),
      new Writable({
        write(chunk: Buffer, _enc, done) {
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) rows++;
          done();
        },
      }),
    );
    return { rows, seconds: (performance.now() - t0) / 1000 };
  } finally {
    client.release();
  }
}

/** Streams calls in real time and measures LINKEDID_END commit → card in Postgres. */
async function measureLatency(
  stores: PostgresStore,
  collector: Collector,
  calls: number,
  rate: number,
  startAt: number,
) {
  const spanMs = (calls / rate) * 1000;
  const items: VolumeItem[] = [...generateCelVolume({ calls, startAt, seed: 7, spanMs })];
  const maxId = await stores.postgres.pool.query(
    'SELECT coalesce(max(id), 0)::bigint AS n FROM asterisk.cel',
  );
  const idOffset = Number(maxId.rows[0].n);
  const committedAt = new Map<string, number>();
  const cardAt = new Map<number, number>();
  const listener = new pg.Client({ connectionString: stores.postgres.url });
  await listener.connect();
  listener.on('notification', (n) => {
    const now = performance.now();
    for (const pair of (n.payload ?? '').split(',')) {
      const id = Number(pair.split(':')[0]);
      if (!cardAt.has(id)) cardAt.set(id, now);
    }
  });
  await listener.query('LISTEN call_changed');
  const running = await runCollector({
    collector,
    databaseUrl: stores.postgres.url,
    pollIntervalMs: 1000,
    log: (line) => log(`  collector: ${line}`),
  });

  const writer = await stores.postgres.pool.connect();
  const t0 = performance.now();
  const firstEvent = items[0]?.row.eventTime ?? 0;
  let next = 0;
  while (next < items.length) {
    const elapsed = performance.now() - t0;
    const due: VolumeItem[] = [];
    while (next < items.length && items[next]!.row.eventTime - firstEvent <= elapsed)
      due.push(items[next++]!);
    if (due.length > 0) {
      const text = due.map((i) => toCopyText({ ...i.row, id: i.row.id + idOffset })).join('');
      await pipeline(Readable.from([text]), writer.query(copyFrom(celCopySql('asterisk'))));
      const now = performance.now();
      for (const item of due) if (item.endsCall) committedAt.set(item.endsCall.linkedid, now);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  writer.release();
  // Wait for the last cards.
  const deadline = performance.now() + 30_000;
  while (cardAt.size < committedAt.size && performance.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
  await running.stop();
  await listener.end();

  const ids = await stores.postgres.pool.query(
    'SELECT id, linkedid FROM app.calls WHERE linkedid = ANY($1)',
    [[...committedAt.keys()]],
  );
  const latencies: number[] = [];
  for (const row of ids.rows as { id: number; linkedid: string }[]) {
    const card = cardAt.get(Number(row.id));
    const commit = committedAt.get(row.linkedid);
    if (card !== undefined && commit !== undefined) latencies.push(Math.max(0, card - commit));
  }
  latencies.sort((a, b) => a - b);
  return {
    calls: committedAt.size,
    measured: latencies.length,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
  };
}

async function main(options: Options): Promise<void> {
  const calls = Number(options.calls);
  const streamCalls = Number(options.streamCalls);
  const streamRate = Number(options.streamRate);
  const dir = mkdtempSync(join(tmpdir(), 'callcenter-bench-'));
  chmodSync(dir, 0o755);
  const config = loadConfig({ ...process.env, DATA_DIR: dir, EMBEDDED_PG_PORT: String(await freePort()) });
  log(
    `bench:ingest — ${calls} calls (clones of the real captures) on ${config.databaseUrl ? 'DATABASE_URL' : 'embedded PostgreSQL'} + ${config.clickhouseUrl ? 'CLICKHOUSE_URL' : 'chDB'}; data in ${dir}`,
  );
  // --no-clickhouse: PostgreSQL only, chDB never loaded — the difference in RSS is the engine's.
  const stores: PostgresStore & { clickhouse: ClickHouseClient | null } = options.clickhouse
    ? await openStores(config)
    : { ...(await openPostgresStore(config)), clickhouse: null };
  try {
    await registerOperators(stores.postgres.db, 'pbx1', ['101', '102', '103']);
    const startAt = Date.UTC(2027, 0, 11);

    const baseRss = process.memoryUsage().rss;
    log(
      `RSS after opening the stores: ${mb(baseRss)} MB (node, pg pool${config.clickhouseUrl || !options.clickhouse ? '' : ', the chDB engine loaded'})`,
    );
    let t = performance.now();
    startPhase();
    const rows = await loadVolume(stores, calls, startAt, 1);
    log(
      `load: ${rows} CEL rows of ${calls} calls into asterisk.cel in ${((performance.now() - t) / 1000).toFixed(1)} s (generator peak RSS ${mb(phasePeak)} MB)`,
    );

    const ceiling = await copyCeiling(stores);
    const ceilingRate = ceiling.rows / ceiling.seconds;
    log(
      `ceiling: bare COPY asterisk.cel TO STDOUT: ${ceiling.rows} rows in ${ceiling.seconds.toFixed(2)} s = ${Math.round(ceilingRate)} rows/s`,
    );

    const collector = new Collector({
      db: stores.postgres.db,
      pool: stores.postgres.pool,
      clickhouse: stores.clickhouse,
      servers: config.servers,
      batchRows: Number(options.batchRows),
      idleTimeoutSec: config.idleTimeoutSec,
    });
    global.gc?.();
    startPhase();
    t = performance.now();
    const progress = throttledProgress((line) => log(`  ${line}, RSS ${mb(process.memoryUsage().rss)} MB`));
    const result = await collector.catchUp(undefined, progress);
    const seconds = (performance.now() - t) / 1000;
    const collectPeak = phasePeak;
    const written = await stores.postgres.pool.query('SELECT count(*)::int AS n FROM app.calls');
    let factCount = 0;
    if (stores.clickhouse) {
      const facts = await stores.clickhouse.query({
        query: 'SELECT count() AS n FROM call_facts FINAL',
        format: 'JSONEachRow',
      });
      factCount = Number((await facts.json<{ n: string }>())[0]?.n ?? 0);
    }
    // Every row of the table is consumed (the watermark passes it), though only the rows the
    // reconciler needs leave the database: the rate counts all of them, like the COPY ceiling.
    const celRate = rows / seconds;
    const callRate = written.rows[0].n / seconds;
    log(
      `collect: ${rows} CEL rows (${result.celRows} relevant to calls) → ${written.rows[0].n} calls in Postgres, ${factCount} facts in ClickHouse${options.clickhouse ? '' : ' (shipping off: --no-clickhouse)'}, in ${seconds.toFixed(1)} s; peak RSS ${mb(collectPeak)} MB`,
    );
    log(
      `         ${Math.round(celRate)} CEL rows/s, ${Math.round(callRate)} calls/s, ${(celRate / ceilingRate).toFixed(2)} of the COPY ceiling`,
    );

    startPhase();
    const latency = await measureLatency(
      stores,
      collector,
      streamCalls,
      streamRate,
      startAt + 2 * 86_400_000,
    );
    log(
      `latency: ${latency.measured}/${latency.calls} streamed calls at ${streamRate} calls/s: hangup → card p50 ${latency.p50.toFixed(0)} ms, p95 ${latency.p95.toFixed(0)} ms`,
    );
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    log(
      `peak RSS: ${mb(peakRss)} MB (this process: collector, generator${options.clickhouse && !config.clickhouseUrl ? ' and the in-process chDB engine' : ''}); collect ${mb(collectPeak)} MB, latency phase ${mb(phasePeak)} MB`,
    );
    console.log(
      JSON.stringify({
        cel_rows_per_sec: Math.round(celRate),
        calls_per_sec: Math.round(callRate),
        copy_ceiling_rows_per_sec: Math.round(ceilingRate),
        ratio_to_copy: round(celRate / ceilingRate, 3),
        latency_p50_ms: round(latency.p50, 1),
        latency_p95_ms: round(latency.p95, 1),
        peak_rss_mb: mb(peakRss),
        collect_peak_rss_mb: mb(collectPeak),
        clickhouse: options.clickhouse,
      }),
    );
  } finally {
    clearInterval(sampler);
    await stores.close();
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  }
}

const program = new Command('bench:ingest')
  .option('--calls <n>', 'calls to load and collect', '150000')
  .option('--stream-calls <n>', 'calls streamed in real time for the latency figures', '2000')
  .option('--stream-rate <n>', 'calls per second while streaming', '50')
  .option('--batch-rows <n>', 'collector batch size (CEL rows)', '50000')
  .option('--keep', 'keep the data directory', false)
  .option(
    '--no-clickhouse',
    'collect into Postgres only (no shipping): the RSS without the chDB engine at work',
  )
  .action(async (options: Options) => main(options));
await program.parseAsync(process.argv);
