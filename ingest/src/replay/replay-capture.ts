import { once } from 'node:events';
import type { AsteriskServerConfig } from '@callcenter/platform/config';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { CDR_COLUMNS, CEL_COLUMNS } from '../sources/asterisk-columns.ts';
import { parseAsteriskTime } from '../sources/asterisk-time.ts';
import { copyField } from '../sources/copy-text.ts';
import type { CaptureRecords } from './capture-files.ts';

/**
 * Replays a real capture into a server's asterisk.cel / asterisk.cdr — the same tables, ids and
 * NOTIFY trigger a live Asterisk feeds — so the collector consumes it through the production path.
 * `fast` loads everything at once (COPY); `original` inserts each row at its original moment
 * (scaled by `speed`), CDR rows when their call ended, as cdr_pgsql would. Asterisk's text is
 * written unchanged; new ids come from the tables' sequences, as with a real backend.
 */

export interface ReplayOptions {
  timing: 'fast' | 'original';
  /** Time compression for `original` timing (2 = twice as fast). */
  speed?: number;
  /** Skip a capture whose first CEL row is already in the table (idempotent demo start). */
  skipIfPresent?: boolean;
  signal?: AbortSignal;
}

/**
 * What a replay wrote for one capture: CEL and CDR rows inserted, or `skipped` when its first CEL
 * row was already there.
 */
export interface ReplayResult {
  capture: string;
  cel: number;
  cdr: number;
  skipped: boolean;
}

const CEL_INSERT = CEL_COLUMNS.filter((c) => c !== 'id');
const CDR_INSERT = CDR_COLUMNS.filter((c) => c !== 'id');
const NULLABLE_IF_EMPTY = new Set(['start', 'answer', 'end', 'duration', 'billsec', 'sequence']);

const tableName = (server: AsteriskServerConfig, table: 'cel' | 'cdr') => `"${server.schema}"."${table}"`;
const quoted = (columns: readonly string[]) => columns.map((c) => `"${c}"`).join(', ');

/** A column's value for the table: SQL NULL for empty optional CDR columns, 0 for empty amaflags. */
function columnValue(record: Record<string, string>, column: string): string | null {
  const value = record[column] ?? '';
  if (!value && NULLABLE_IF_EMPTY.has(column)) return null;
  if (!value && column === 'amaflags') return '0';
  return value;
}

function copyLine(record: Record<string, string>, columns: readonly string[]): string {
  return `${columns.map((c) => copyField(columnValue(record, c))).join('\t')}\n`;
}

async function copyInto(
  client: pg.PoolClient,
  target: string,
  columns: readonly string[],
  records: readonly Record<string, string>[],
): Promise<void> {
  if (records.length === 0) return;
  const stream = client.query(copyFrom(`COPY ${target} (${quoted(columns)}) FROM STDIN`));
  for (const record of records) {
    if (!stream.write(copyLine(record, columns))) await once(stream, 'drain');
  }
  stream.end();
  await once(stream, 'finish');
}

async function alreadyPresent(client: pg.PoolClient, server: AsteriskServerConfig, capture: CaptureRecords) {
  const first = capture.cel[0];
  if (!first) return false;
  const found = await client.query(
    `SELECT 1 FROM ${tableName(server, 'cel')} WHERE uniqueid = $1 AND eventtype = $2 AND eventtime = $3::timestamp LIMIT 1`,
    [first.uniqueid, first.eventtype, first.eventtime],
  );
  return (found.rowCount ?? 0) > 0;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

/** Loads one capture into the server's cel/cdr tables, fast (COPY) or at its original pace. */
export async function replayCapture(
  pool: pg.Pool,
  server: AsteriskServerConfig,
  capture: CaptureRecords,
  options: ReplayOptions,
): Promise<ReplayResult> {
  const client = await pool.connect();
  try {
    if (options.skipIfPresent && (await alreadyPresent(client, server, capture))) {
      return { capture: capture.name, cel: 0, cdr: 0, skipped: true };
    }
    const cel = [...capture.cel].sort((a, b) => Number(a.id) - Number(b.id));
    const cdr = [...capture.cdr].sort((a, b) => Number(a.id) - Number(b.id));
    if (options.timing === 'fast') {
      await client.query('BEGIN');
      await copyInto(client, tableName(server, 'cel'), CEL_INSERT, cel);
      await copyInto(client, tableName(server, 'cdr'), CDR_INSERT, cdr);
      await client.query('COMMIT');
    } else {
      await replayWithTiming(client, server, cel, cdr, options);
    }
    return { capture: capture.name, cel: cel.length, cdr: cdr.length, skipped: false };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

async function replayWithTiming(
  client: pg.PoolClient,
  server: AsteriskServerConfig,
  cel: Record<string, string>[],
  cdr: Record<string, string>[],
  options: ReplayOptions,
): Promise<void> {
  const at = (text: string | undefined) => (text ? (parseAsteriskTime(text) ?? 0) : 0);
  const lastCelOf = new Map<string, number>();
  for (const r of cel)
    lastCelOf.set(r.linkedid ?? '', Math.max(lastCelOf.get(r.linkedid ?? '') ?? 0, at(r.eventtime)));
  const events = [
    ...cel.map((record, order) => ({ at: at(record.eventtime), order, table: 'cel' as const, record })),
    ...cdr.map((record, order) => ({
      at: Math.max(at(record.end), lastCelOf.get(record.linkedid ?? '') ?? 0),
      order: cel.length + order,
      table: 'cdr' as const,
      record,
    })),
  ].sort((a, b) => a.at - b.at || a.order - b.order);
  const speed = options.speed && options.speed > 0 ? options.speed : 1;
  const t0 = events[0]?.at ?? 0;
  const wall0 = Date.now();
  for (const event of events) {
    if (options.signal?.aborted) return;
    await sleep((event.at - t0) / speed - (Date.now() - wall0), options.signal);
    const columns = event.table === 'cel' ? CEL_INSERT : CDR_INSERT;
    const values = columns.map((c) => columnValue(event.record, c));
    const placeholders = columns.map((_, i) => `$${i + 1}`).join(', ');
    await client.query(
      `INSERT INTO ${tableName(server, event.table)} (${quoted(columns)}) VALUES (${placeholders})`,
      values,
    );
  }
}
