import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { factsQuery, type ReportScope } from '@callcenter/analytics/clickhouse';
import type { ClickHouseClient } from '@clickhouse/client';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../test/e2e/support/debian-chromium.ts';
import {
  canonical,
  dayText,
  PEER_COLUMNS,
  PEER_QUERIES,
  type PeerQuery,
  type PeerRow,
  peerSql,
} from './peer-queries.ts';

/**
 * `npm run bench:web -- --peers`: the same facts Arrow stream and the same group-bys
 * (peer-queries.ts) through our worker, DuckDB-WASM and Arquero, each in a fresh headless Debian
 * Chromium (so each one's peak memory is its own: the summed RSS of that browser's processes,
 * sampled every 100 ms), plus ClickHouse (chDB) running the same SQL server-side over call_facts.
 * Checks that every engine gives the same rows, then prints the figures and, last, one JSON line
 * `{ rows, ours_ms, duckdb_ms, arquero_ms, load: {…}, queries: { name: {…} } }` (times in ms; the
 * top-level figures are load + all group-bys; memory and ClickHouse on the lines before it).
 */

export const ENGINES = ['ours', 'duckdb', 'arquero'] as const;
type Engine = (typeof ENGINES)[number];

interface EngineResult {
  rows: number;
  loadMs: number;
  loadRuns: number[];
  queries: Record<PeerQuery, { ms: number; runs: number[]; rows: PeerRow[] }>;
  peakRssMb: number;
  idleRssMb: number;
}

export interface PeersInput {
  client: ClickHouseClient;
  arrow: Buffer;
  rows: number;
  fromMs: number;
  toMs: number;
  zone: string;
  scope: ReportScope;
  runs: number;
  bundle: (entry: string) => Promise<string>;
  log: (line: string) => void;
}

const round = (n: number, digits = 1) => Number(n.toFixed(digits));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The zone's UTC offset in ms, checked constant over [from, to) (hourly); throws otherwise. */
export function fixedOffset(zone: string, fromMs: number, toMs: number): number {
  const offsetAt = (ms: number) => {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }).formatToParts(new Date(ms));
    const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
    return (
      Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - ms
    );
  };
  const first = offsetAt(fromMs);
  for (let ms = fromMs; ms < toMs; ms += 3_600_000)
    if (offsetAt(ms) !== first)
      throw new Error(`${zone} changes its UTC offset in the period: pick a fixed-offset zone`);
  return first;
}

/** Summed RSS (MB) of the processes whose command line names `marker` (one browser's processes). */
function browserRssMb(marker: string): number {
  let kb = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker)) continue;
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) kb += Number(m[1]);
    } catch {
      // the process ended meanwhile
    }
  }
  return kb / 1024;
}

async function runEngine(
  engine: Engine,
  port: number,
  input: PeersInput,
  offsetMs: number,
): Promise<EngineResult> {
  const userDataDir = mkdtempSync(join(tmpdir(), `bench-peers-${engine}-`));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, browserRssMb(userDataDir));
  }, 100);
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`http://127.0.0.1:${port}/blank`);
    const idle = browserRssMb(userDataDir);
    peak = idle;
    const q = new URLSearchParams({
      engine,
      from: String(input.fromMs),
      to: String(input.toMs),
      zone: input.zone,
      offset: String(offsetMs),
      runs: String(input.runs),
      loads: '3',
    });
    await page.goto(`http://127.0.0.1:${port}/?${q}`);
    await page.waitForFunction(() => 'peerResult' in window || 'peerError' in window, undefined, {
      timeout: 900_000,
      polling: 250,
    });
    const error = await page.evaluate(() => (window as unknown as { peerError?: string }).peerError);
    if (error) throw new Error(`${engine} failed in the page: ${error}`);
    const result = (await page.evaluate(
      () => (window as unknown as { peerResult: unknown }).peerResult,
    )) as Omit<EngineResult, 'peakRssMb' | 'idleRssMb'>;
    peak = Math.max(peak, browserRssMb(userDataDir));
    return { ...result, peakRssMb: peak, idleRssMb: idle };
  } finally {
    clearInterval(sampler);
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

/** The same group-bys in ClickHouse over the facts query's rows: median time and the rows. */
async function clickhouseQuery(input: PeersInput, name: PeerQuery, offsetMs: number) {
  const built = factsQuery(
    input.scope,
    { from: new Date(input.fromMs), to: new Date(input.toMs) },
    [...PEER_COLUMNS.text, ...PEER_COLUMNS.numbers],
    'json',
  );
  const facts = built.query.slice(0, built.query.indexOf('\nORDER BY'));
  const query = `WITH facts AS (${facts}) ${peerSql(name, 'toUnixTimestamp64Milli(started_at)', offsetMs)}`;
  const times: number[] = [];
  let rows: Record<string, string | number>[] = [];
  for (let i = 0; i < input.runs; i++) {
    const started = performance.now();
    const result = await input.client.query({
      query,
      query_params: built.query_params,
      format: 'JSONEachRow',
    });
    rows = await result.json<Record<string, string | number>>();
    times.push(performance.now() - started);
  }
  const n = (v: unknown) => Number(v);
  const out: PeerRow[] = rows.map((r) =>
    name === 'operator_status_day'
      ? [`${r.operator}|${r.status}|${dayText(n(r.d))}`, n(r.n)]
      : name === 'queue_hour'
        ? [`${r.queue}|${n(r.h)}`, n(r.n)]
        : [`${r.queue}|${dayText(n(r.d))}`, n(r.within), n(r.base)],
  );
  return { ms: median(times), rows: out };
}

/** Runs the comparison described above and prints its figures; the last line is the JSON. */
export async function runPeers(input: PeersInput): Promise<void> {
  const { log } = input;
  const offsetMs = fixedOffset(input.zone, input.fromMs, input.toMs);
  const [pageJs, workerJs] = await Promise.all([
    input.bundle('./peers/peer-page.ts'),
    input.bundle('./peers/peer-worker.ts'),
  ]);
  const duckdbDist = new URL('../../../node_modules/@duckdb/duckdb-wasm/dist/', import.meta.url).pathname;
  const files: Record<string, { type: string; body: string | Buffer }> = {
    '/': {
      type: 'text/html',
      body: '<!doctype html><meta charset="utf-8"><title>bench:web peers</title><script type="module" src="/page.js"></script>',
    },
    '/blank': { type: 'text/html', body: '<!doctype html><title>idle</title>' },
    '/page.js': { type: 'text/javascript', body: pageJs },
    '/peer-worker.js': { type: 'text/javascript', body: workerJs },
    '/facts.arrow': { type: 'application/vnd.apache.arrow.stream', body: input.arrow },
    '/duckdb/duckdb-browser-eh.worker.js': {
      type: 'text/javascript',
      body: readFileSync(join(duckdbDist, 'duckdb-browser-eh.worker.js')),
    },
    '/duckdb/duckdb-eh.wasm': {
      type: 'application/wasm',
      body: readFileSync(join(duckdbDist, 'duckdb-eh.wasm')),
    },
  };
  const server = createServer((req, res) => {
    const file = files[(req.url ?? '/').split('?')[0]!];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const results = {} as Record<Engine, EngineResult>;
  try {
    for (const engine of ENGINES) {
      log(`peers: running ${engine} …`);
      results[engine] = await runEngine(engine, port, input, offsetMs);
    }
  } finally {
    server.close();
  }
  const clickhouse = {} as Record<PeerQuery, { ms: number; rows: PeerRow[] }>;
  for (const name of PEER_QUERIES) clickhouse[name] = await clickhouseQuery(input, name, offsetMs);

  // Same numbers everywhere, or no figures at all.
  for (const engine of ENGINES)
    if (results[engine].rows !== input.rows)
      throw new Error(`${engine} loaded ${results[engine].rows} rows, not ${input.rows}`);
  for (const name of PEER_QUERIES) {
    const expected = canonical(results.ours.queries[name].rows);
    const others: [string, PeerRow[]][] = [
      ['duckdb', results.duckdb.queries[name].rows],
      ['arquero', results.arquero.queries[name].rows],
      ['clickhouse', clickhouse[name].rows],
    ];
    for (const [engine, rows] of others) {
      const got = canonical(rows);
      const differ = got.length !== expected.length || got.some((line, i) => line !== expected[i]);
      if (differ) {
        const missing = expected.filter((l) => !got.includes(l)).slice(0, 3);
        const extra = got.filter((l) => !expected.includes(l)).slice(0, 3);
        throw new Error(
          `${name}: ${engine} differs from ours (${got.length} vs ${expected.length} rows; ours only ${missing.join(', ')}; ${engine} only ${extra.join(', ')})`,
        );
      }
    }
    log(`check: ${name}: ${expected.length} groups, identical in ours, DuckDB-WASM, Arquero and ClickHouse`);
  }

  const ratio = (x: number, ours: number) => `${round(x / ours, 2)}×`;
  const line = (label: string, f: (e: Engine) => number, ch?: number) =>
    log(
      `${label.padEnd(22)} ours ${round(f('ours')).toString().padStart(8)} ms | DuckDB-WASM ${round(f('duckdb')).toString().padStart(8)} ms (${ratio(f('duckdb'), f('ours'))}) | Arquero ${round(f('arquero')).toString().padStart(8)} ms (${ratio(f('arquero'), f('ours'))})${ch === undefined ? '' : ` | ClickHouse (chDB, server-side) ${round(ch)} ms`}`,
    );
  log(
    `peers: ${input.rows} facts, ${(input.arrow.byteLength / 1024 / 1024).toFixed(1)} MB Arrow stream; median of 3 loads and ${input.runs} runs per group-by; ratio = theirs / ours`,
  );
  line('load', (e) => results[e].loadMs);
  for (const name of PEER_QUERIES) line(name, (e) => results[e].queries[name].ms, clickhouse[name].ms);
  log(
    `first runs (ours includes decoding the columns it reads, lazily): ${PEER_QUERIES.map((q) => `${q} ${ENGINES.map((e) => `${e} ${round(results[e].queries[q].runs[0]!)}`).join(' / ')} ms`).join('; ')}`,
  );
  log(
    `peak memory (browser processes' RSS, idle → peak): ${ENGINES.map((e) => `${e} ${Math.round(results[e].idleRssMb)} → ${Math.round(results[e].peakRssMb)} MB`).join(', ')}`,
  );
  const total = (e: Engine) =>
    results[e].loadMs + PEER_QUERIES.reduce((sum, q) => sum + results[e].queries[q].ms, 0);
  const figures = {
    rows: input.rows,
    ours_ms: round(total('ours')),
    duckdb_ms: round(total('duckdb')),
    arquero_ms: round(total('arquero')),
    load: {
      ours_ms: round(results.ours.loadMs),
      duckdb_ms: round(results.duckdb.loadMs),
      arquero_ms: round(results.arquero.loadMs),
    },
    queries: Object.fromEntries(
      PEER_QUERIES.map((q) => [
        q,
        {
          ours_ms: round(results.ours.queries[q].ms),
          duckdb_ms: round(results.duckdb.queries[q].ms),
          arquero_ms: round(results.arquero.queries[q].ms),
        },
      ]),
    ),
  };
  log(JSON.stringify(figures));
}
