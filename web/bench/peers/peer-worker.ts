/// <reference lib="dom" />
import {
  dictColumn,
  type FactFrame,
  LocalCalendar,
  numberColumn,
  statusDayCounts,
} from '@callcenter/analytics/aggregate';
import * as aq from 'arquero';
import { frameFromIPC } from '../../src/reports/worker/decode-arrow.ts';
import {
  DAY_MS,
  dayText,
  HOUR_MS,
  PEER_COLUMNS,
  type PeerQuery,
  type PeerRow,
  SHORT_ABANDON_SEC,
  SL_SEC,
} from './peer-queries.ts';

/**
 * The Web Worker of `npm run bench:web -- --peers` for our aggregation and for Arquero (DuckDB-WASM
 * brings its own worker): `load` takes the Arrow bytes (transferred) and builds the engine's
 * table, `query` runs one group-by and answers its rows in the canonical shape (peer-queries.ts)
 * with the time inside the worker. Ours: the reports' lazy Arrow load (frameFromIPC: only the
 * columns the queries need) and typed-array loops over dictionary codes, the operator × status ×
 * day one being the library's statusDayCounts. Arquero: `aq.fromArrow` of the same columns.
 */

type Message =
  | {
      kind: 'load';
      engine: 'ours' | 'arquero';
      bytes: ArrayBuffer;
      fromMs: number;
      toMs: number;
      zone: string;
      offsetMs: number;
    }
  | { kind: 'query'; name: PeerQuery };

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<Message>) => void) | null;
  postMessage(message: unknown): void;
};

let engine: 'ours' | 'arquero' = 'ours';
let frame: FactFrame | null = null;
let table: aq.ColumnTable | null = null;
let period = { fromMs: 0, toMs: 0, zone: 'UTC' };
/** The report's calendar, built per query as a report is (local days of the period, luxon). */
let calendar: LocalCalendar | null = null;
let offsetMs = 0;

function oursQuery(name: PeerQuery): PeerRow[] {
  const f = frame!;
  calendar = new LocalCalendar(period.fromMs, period.toMs, period.zone);
  const started = numberColumn(f, 'started_at').values;
  const queue = dictColumn(f, 'queue');
  const rows: PeerRow[] = [];
  if (name === 'operator_status_day') {
    const cube = statusDayCounts(f, null, calendar!);
    const nDays = cube.days.length;
    const nStatus = cube.statuses.length;
    cube.counts.forEach((n, cell) => {
      if (n === 0) return;
      const d = cell % nDays;
      const rest = (cell - d) / nDays;
      rows.push([
        `${cube.operators[Math.floor(rest / nStatus)]}|${cube.statuses[rest % nStatus]}|${cube.days[d]}`,
        n,
      ]);
    });
    return rows;
  }
  const q = queue.codes;
  if (name === 'queue_hour') {
    const counts = new Uint32Array(queue.dictionary.length * 24);
    for (let i = 0; i < f.rows; i++) {
      const h = Math.floor((started[i]! + offsetMs) / HOUR_MS) % 24;
      counts[q[i]! * 24 + h]! += 1;
    }
    counts.forEach((n, cell) => {
      if (n > 0) rows.push([`${queue.dictionary[Math.floor(cell / 24)]}|${cell % 24}`, n]);
    });
    return rows;
  }
  // sl_queue_day: inbound calls with a queue, per queue × local day (docs/metrics.md).
  const status = dictColumn(f, 'status');
  const direction = dictColumn(f, 'direction');
  const wait = numberColumn(f, 'queue_wait_sec').values;
  const inbound = Uint8Array.from(direction.dictionary, (d) => (d === 'inbound' ? 1 : 0));
  const answered = Uint8Array.from(status.dictionary, (s) => (s === 'answered' ? 1 : 0));
  const abandoned = Uint8Array.from(status.dictionary, (s) => (s === 'abandoned' ? 1 : 0));
  const none = queue.dictionary.indexOf('');
  const nDays = calendar!.days.length;
  const days = new Int32Array(f.rows);
  calendar!.dayIndexes(started, null, days);
  const within = new Uint32Array(queue.dictionary.length * nDays);
  const base = new Int32Array(queue.dictionary.length * nDays);
  const seen = new Uint8Array(queue.dictionary.length * nDays);
  const st = status.codes;
  const dir = direction.codes;
  for (let i = 0; i < f.rows; i++) {
    const d = days[i]!;
    if (inbound[dir[i]!] === 0 || q[i] === none || d < 0) continue;
    const cell = q[i]! * nDays + d;
    const w = wait[i]!;
    seen[cell] = 1;
    base[cell]! += 1;
    if (answered[st[i]!] === 1 && w <= SL_SEC) within[cell]! += 1;
    else if (abandoned[st[i]!] === 1 && w < SHORT_ABANDON_SEC) base[cell]! -= 1;
  }
  seen.forEach((s, cell) => {
    if (s === 1)
      rows.push([
        `${queue.dictionary[Math.floor(cell / nDays)]}|${calendar!.days[cell % nDays]}`,
        within[cell]!,
        base[cell]!,
      ]);
  });
  return rows;
}

/** Arquero's verbs with string expressions (arquero parses them; `$` are the params). */
function arqueroQuery(name: PeerQuery): PeerRow[] {
  const t = table!.params({
    offset: offsetMs,
    dayMs: DAY_MS,
    hourMs: HOUR_MS,
    sl: SL_SEC,
    short: SHORT_ABANDON_SEC,
  });
  const day = '(d, $) => op.floor((d.started_at + $.offset) / $.dayMs)';
  if (name === 'operator_status_day') {
    const out = t.derive({ d: day }).groupby('operator', 'status', 'd').count();
    return out.objects().map((r: unknown) => {
      const o = r as { operator: string; status: string; d: number; count: number };
      return [`${o.operator}|${o.status}|${dayText(o.d)}`, o.count];
    });
  }
  if (name === 'queue_hour') {
    const out = t
      .derive({ h: '(d, $) => op.floor((d.started_at + $.offset) / $.hourMs) % 24' })
      .groupby('queue', 'h')
      .count();
    return out.objects().map((r: unknown) => {
      const o = r as { queue: string; h: number; count: number };
      return [`${o.queue}|${o.h}`, o.count];
    });
  }
  const out = t
    .filter("d => d.direction === 'inbound' && d.queue !== ''")
    .derive({ d: day })
    .groupby('queue', 'd')
    .rollup({
      within:
        "(d, $) => op.sum(d.status === 'answered' && d.queue_wait_sec != null && d.queue_wait_sec <= $.sl ? 1 : 0)",
      base: "(d, $) => op.count() - op.sum(d.status === 'abandoned' && d.queue_wait_sec != null && d.queue_wait_sec < $.short ? 1 : 0)",
    });
  return out.objects().map((r: unknown) => {
    const o = r as { queue: string; d: number; within: number; base: number };
    return [`${o.queue}|${dayText(o.d)}`, o.within, o.base];
  });
}

scope.onmessage = (event) => {
  const message = event.data;
  try {
    const started = performance.now();
    if (message.kind === 'load') {
      engine = message.engine;
      offsetMs = message.offsetMs;
      const bytes = new Uint8Array(message.bytes);
      if (engine === 'ours') {
        frame = frameFromIPC(bytes, PEER_COLUMNS);
        period = { fromMs: message.fromMs, toMs: message.toMs, zone: message.zone };
      } else {
        table = aq.fromArrow(bytes, {
          columns: [...PEER_COLUMNS.text, ...PEER_COLUMNS.numbers],
          useDate: false,
        }) as aq.ColumnTable;
      }
      scope.postMessage({
        ms: performance.now() - started,
        rows: engine === 'ours' ? frame!.rows : table!.numRows(),
      });
      return;
    }
    const rows = engine === 'ours' ? oursQuery(message.name) : arqueroQuery(message.name);
    scope.postMessage({ ms: performance.now() - started, rows });
  } catch (error) {
    scope.postMessage({ error: String((error as Error)?.stack ?? error) });
  }
};
