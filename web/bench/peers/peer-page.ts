/// <reference lib="dom" />
import * as duckdb from '@duckdb/duckdb-wasm';
import { dayText, HOUR_MS, PEER_QUERIES, type PeerQuery, type PeerRow, peerSql } from './peer-queries.ts';

/**
 * The page of `npm run bench:web -- --peers`, one engine per browser (`?engine=ours|arquero|duckdb`):
 * fetches the facts' Arrow stream (not timed), then times, from this page, (1) the load: the bytes
 * handed to the engine until it can query them, median of `loads`; (2) each group-by of
 * peer-queries.ts, median of `runs`, keeping the last run's rows for the comparison. Ours and
 * Arquero run in peer-worker.ts; DuckDB-WASM in its own worker (duckdb-browser-eh), reading the
 * same stream with `insertArrowFromIPCStream`. Publishes `window.peerResult`.
 */

interface Engine {
  load(bytes: ArrayBuffer): Promise<number>;
  query(name: PeerQuery): Promise<PeerRow[]>;
}

const params = new URLSearchParams(location.search);
const engineName = params.get('engine') ?? 'ours';
const fromMs = Number(params.get('from'));
const toMs = Number(params.get('to'));
const zone = params.get('zone') ?? 'UTC';
const offsetMs = Number(params.get('offset') ?? 0);
const runs = Number(params.get('runs') ?? 5);
const loads = Number(params.get('loads') ?? 3);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function workerEngine(engine: 'ours' | 'arquero'): Engine {
  const worker = new Worker('/peer-worker.js', { type: 'module' });
  const ask = <T>(message: unknown, transfer: Transferable[] = []) =>
    new Promise<T>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<T & { error?: string }>) =>
        event.data.error ? reject(new Error(event.data.error)) : resolve(event.data);
      worker.postMessage(message, transfer);
    });
  return {
    async load(bytes) {
      return (
        await ask<{ rows: number }>({ kind: 'load', engine, bytes, fromMs, toMs, zone, offsetMs }, [bytes])
      ).rows;
    },
    async query(name) {
      return (await ask<{ rows: PeerRow[] }>({ kind: 'query', name })).rows;
    },
  };
}

async function duckdbEngine(): Promise<Engine> {
  const worker = new Worker('/duckdb/duckdb-browser-eh.worker.js');
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate('/duckdb/duckdb-eh.wasm');
  const conn = await db.connect();
  const num = (v: unknown) => Number(v);
  return {
    async load(bytes) {
      await conn.query('DROP TABLE IF EXISTS facts');
      await conn.insertArrowFromIPCStream(new Uint8Array(bytes), { name: 'facts', create: true });
      const count = await conn.query('SELECT count(*) AS n FROM facts');
      return num(count.toArray()[0]!.n);
    },
    async query(name) {
      const result = await conn.query(peerSql(name, 'epoch_ms(started_at)', offsetMs));
      return result.toArray().map((row) => {
        const r = row.toJSON() as Record<string, unknown>;
        if (name === 'operator_status_day')
          return [`${r.operator}|${r.status}|${dayText(num(r.d))}`, num(r.n)];
        if (name === 'queue_hour') return [`${r.queue}|${num(r.h)}`, num(r.n)];
        return [`${r.queue}|${dayText(num(r.d))}`, num(r.within), num(r.base)];
      });
    },
  };
}

async function main() {
  const bytes = await fetch('/facts.arrow').then((r) => r.arrayBuffer());
  const engine =
    engineName === 'duckdb' ? await duckdbEngine() : workerEngine(engineName as 'ours' | 'arquero');
  const loadTimes: number[] = [];
  let rows = 0;
  for (let i = 0; i < loads; i++) {
    const copy = bytes.slice(0);
    const started = performance.now();
    rows = await engine.load(copy);
    loadTimes.push(performance.now() - started);
  }
  const queries: Record<string, { ms: number; runs: number[]; rows: PeerRow[] }> = {};
  for (const name of PEER_QUERIES) {
    const times: number[] = [];
    let result: PeerRow[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      result = await engine.query(name);
      times.push(performance.now() - started);
    }
    queries[name] = { ms: median(times), runs: times, rows: result };
  }
  (window as unknown as { peerResult: unknown }).peerResult = {
    engine: engineName,
    rows,
    loadMs: median(loadTimes),
    loadRuns: loadTimes,
    queries,
    hourMs: HOUR_MS,
  };
}

main().catch((error: unknown) => {
  (window as unknown as { peerError: string }).peerError = String((error as Error)?.stack ?? error);
});
