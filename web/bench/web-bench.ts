import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CALL_REPORT_COLUMNS } from '@callcenter/analytics/aggregate';
import { factsQuery, type ReportScope } from '@callcenter/analytics/clickhouse';
import { openClickHouseFromConfig } from '@callcenter/analytics/open-clickhouse';
import { callFactRow, expectedCalls } from '@callcenter/analytics/testing/fixture-facts';
import type { ClickHouseClient } from '@clickhouse/client';
import { Command } from 'commander';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../test/e2e/support/debian-chromium.ts';
import { runPeers } from './peers/run-peers.ts';

/**
 * `npm run bench:web` — client-side report aggregation in headless Chromium (Debian's
 * /usr/bin/chromium through playwright-core; never a downloaded browser):
 *
 * 1. Facts: `--rows` call_facts rows (default 1,000,000) cloned in chDB from the facts of every
 *    real capture (fixtures/asterisk, via their hand-written expectations), spread over 30 days
 *    with new linkedids, 30 operators and random numbers.
 * 2. Bytes: the reports page's own query (`/reports/facts` SQL: factsQuery, the page's columns)
 *    as ClickHouse `FORMAT ArrowStream` (dictionary-encoded LowCardinality, exactly what the API
 *    streams) and as JSONEachRow (`?format=json`).
 * 3. Browser: a local HTTP server serves a page and a worker bundled with esbuild from the
 *    aggregation library; the page times Arrow → worker (apache-arrow decode + operator × status ×
 *    day grouping) → result, median of `--runs`, while a PerformanceObserver records the main
 *    thread's long tasks; then the same rows as JSON parsed and grouped on the page (best of 2).
 *
 * Prints figures; the last line is one JSON object `{rows, arrow_ms, json_ms, ratio, longest_task_ms}`.
 *
 * With `--peers`, instead of 3.: the same stream and three group-bys through our worker,
 * DuckDB-WASM and Arquero side by side, and ClickHouse server-side (peers/run-peers.ts).
 */

const ZONE = 'Europe/Moscow';
const FROM_MS = Date.parse('2027-01-01T00:00:00+03:00');
const DAYS = 30;
const TO_MS = FROM_MS + DAYS * 86_400_000;
const ADMIN: ReportScope = { role: 'admin', serverId: 'pbx1', endpoint: null, queues: [] };

const log = (line: string) => console.log(line);
const round = (n: number, digits = 1) => Number(n.toFixed(digits));
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** `rows` facts cloned from the captured calls' facts, spread over the period. */
async function cloneFacts(client: ClickHouseClient, rows: number): Promise<void> {
  const calls = await expectedCalls();
  await client.command({ query: 'CREATE TABLE tpl AS call_facts ENGINE = MergeTree ORDER BY tuple()' });
  await client.insert({
    table: 'tpl',
    values: calls.map((c, i) => callFactRow(c, i + 1)),
    format: 'JSONEachRow',
    clickhouse_settings: { date_time_input_format: 'best_effort' },
  });
  const span = TO_MS - FROM_MS;
  const shift = (column: string) =>
    `${column} + toIntervalMillisecond(toInt64(n.start_ms) - toInt64(toUnixTimestamp64Milli(t.started_at)))`;
  await client.command({
    query: `
INSERT INTO call_facts
SELECT
  t.server_id, concat('bench-', toString(n.number)), n.number + 1, t.direction, t.status,
  fromUnixTimestamp64Milli(toInt64(n.start_ms), 'UTC'),
  if(isNull(t.answered_at), NULL, ${shift('t.answered_at')}),
  ${shift('t.ended_at')},
  t.duration_sec, t.wait_sec, t.queue_wait_sec, t.talk_sec, t.hold_sec,
  concat('79', leftPad(toString(cityHash64(n.number, 2) % 1000000000), 9, '0')), t.dst_number, t.did, t.queue,
  if(t.operator = '', '', toString(101 + cityHash64(n.number, 3) % 30)),
  t.hung_up_by, t.attempts, t.missed_attempts, t.transfers, t.has_recording, t.closed_by,
  t.purpose, t.category, t.subcategory, t.needs_callback, t.resolved_first_call, t.card_completed,
  'bench', 1, 0
FROM (
  SELECT number, number % ${calls.length} AS k,
    ${FROM_MS} + intDiv(number * ${span - 60_000}, ${rows}) + cityHash64(number, 1) % 60000 AS start_ms
  FROM numbers(${rows})
) AS n
INNER JOIN (SELECT *, toUInt64(rowNumberInAllBlocks()) AS k FROM tpl) AS t USING (k)`,
    clickhouse_settings: { max_insert_block_size: '1048576' },
  });
  await client.command({ query: 'OPTIMIZE TABLE call_facts FINAL' });
}

async function bytesOf(client: ClickHouseClient, format: 'arrow' | 'json'): Promise<Buffer> {
  const built = factsQuery(
    ADMIN,
    { from: new Date(FROM_MS), to: new Date(TO_MS) },
    [...CALL_REPORT_COLUMNS.text, ...CALL_REPORT_COLUMNS.numbers],
    format,
  );
  const result = await client.exec({ query: built.query, query_params: built.query_params });
  const chunks: Buffer[] = [];
  for await (const chunk of result.stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function bundle(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [new URL(entry, import.meta.url).pathname],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

interface PageResult {
  rows: number;
  arrowBytes: number;
  jsonBytes: number;
  arrowMs: number;
  arrowRuns: number[];
  workerMs: number;
  jsonMs: number;
  jsonRows: number;
  cellsArrow: number;
  cellsJson: number;
  longestTaskMs: number;
}

async function main(options: { rows: string; runs: string; peers: boolean }): Promise<void> {
  const rows = Number(options.rows);
  const runs = Number(options.runs);
  if (!Number.isInteger(rows) || rows < 1000) throw new Error('--rows must be an integer ≥ 1000');
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer');
  const dir = mkdtempSync(join(tmpdir(), 'bench-web-'));
  const opened = await openClickHouseFromConfig({ chdbPath: join(dir, 'clickhouse') });
  try {
    let started = performance.now();
    await cloneFacts(opened.client, rows);
    log(
      `facts: ${rows} call_facts rows cloned from the captured calls in ${round((performance.now() - started) / 1000)} s`,
    );
    started = performance.now();
    const arrow = await bytesOf(opened.client, 'arrow');
    const json = await bytesOf(opened.client, 'json');
    log(
      `bytes: Arrow ${mb(arrow.byteLength)}, JSON Lines ${mb(json.byteLength)} (${CALL_REPORT_COLUMNS.text.length + CALL_REPORT_COLUMNS.numbers.length} columns, ${round((performance.now() - started) / 1000)} s)`,
    );
    if (options.peers) {
      await runPeers({
        client: opened.client,
        arrow,
        rows,
        fromMs: FROM_MS,
        toMs: TO_MS,
        zone: ZONE,
        scope: ADMIN,
        runs: Math.min(runs, 5),
        bundle,
        log,
      });
      return;
    }
    const [pageJs, workerJs] = await Promise.all([bundle('./bench-page.ts'), bundle('./bench-worker.ts')]);
    const files: Record<string, { type: string; body: string | Buffer }> = {
      '/': {
        type: 'text/html',
        body: '<!doctype html><meta charset="utf-8"><title>bench:web</title><script type="module" src="/page.js"></script>',
      },
      '/page.js': { type: 'text/javascript', body: pageJs },
      '/worker.js': { type: 'text/javascript', body: workerJs },
      '/facts.arrow': { type: 'application/vnd.apache.arrow.stream', body: arrow },
      '/facts.jsonl': { type: 'application/x-ndjson', body: json },
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
    const userDataDir = mkdtempSync(join(tmpdir(), 'bench-web-chromium-'));
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(`http://127.0.0.1:${port}/?from=${FROM_MS}&to=${TO_MS}&zone=${ZONE}&runs=${runs}`);
      await page.waitForFunction(() => 'benchResult' in window || 'benchError' in window, undefined, {
        timeout: 600_000,
        polling: 500,
      });
      const error = await page.evaluate(() => (window as unknown as { benchError?: string }).benchError);
      if (error) throw new Error(`bench page failed: ${error}`);
      const r = (await page.evaluate(
        () => (window as unknown as { benchResult: unknown }).benchResult,
      )) as PageResult;
      if (r.rows !== rows || r.jsonRows !== rows)
        throw new Error(`rows differ: arrow ${r.rows}, json ${r.jsonRows}, generated ${rows}`);
      if (r.cellsArrow !== r.cellsJson)
        throw new Error(`groups differ: arrow ${r.cellsArrow}, json ${r.cellsJson}`);
      log(`groups: ${r.cellsArrow} operator × status × day cells (same from Arrow and JSON)`);
      log(
        `arrow: ${round(r.arrowMs)} ms median of ${runs} (bytes → worker → result; inside the worker ${round(r.workerMs)} ms); runs ${r.arrowRuns.map((x) => round(x)).join(', ')}`,
      );
      log(`json: ${round(r.jsonMs)} ms (decode + JSON.parse per line + group, on the page, best of 2)`);
      log(`main thread longest task while Arrow ran: ${round(r.longestTaskMs)} ms`);
      const figures = {
        rows,
        arrow_ms: round(r.arrowMs),
        json_ms: round(r.jsonMs),
        ratio: round(r.jsonMs / r.arrowMs),
        longest_task_ms: round(r.longestTaskMs),
      };
      log(JSON.stringify(figures));
    } finally {
      await context.close();
      server.close();
      rmSync(userDataDir, { recursive: true, force: true });
    }
  } finally {
    await opened.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

new Command('bench:web')
  .description('client-side report aggregation in headless Chromium: Arrow in a worker vs JSON')
  .option('--rows <n>', 'fact rows', '1000000')
  .option('--runs <n>', 'timed Arrow runs (median)', '9')
  .option(
    '--peers',
    'the same facts and group-bys through our worker, DuckDB-WASM and Arquero (and chDB)',
    false,
  )
  .action(async (options) => {
    try {
      await main(options);
    } catch (error) {
      console.error(`bench:web failed: ${(error as Error).message}`);
      process.exitCode = 1;
    }
  })
  .parseAsync();
