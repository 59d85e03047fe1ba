import { CEL_COLUMNS } from '../../src/sources/asterisk-columns.ts';
import type { VolumeCelRow } from './call-clone.ts';

/**
 * Postgres COPY text format for `asterisk.cel` (sql/asterisk/cel-cdr.sql): one line per row, columns
 * tab-separated in {@link CEL_COPY_COLUMNS} order, `\\`, tab, newline and carriage return
 * backslash-escaped; never `\N` (every column is NOT NULL). `eventtime` is written as
 * `YYYY-MM-DD HH:MM:SS.ffffff` in UTC (the column is `timestamp without time zone`, UTC servers).
 */

/** Columns of the COPY, in line order: every column of `cel`. */
export const CEL_COPY_COLUMNS = CEL_COLUMNS;

/** `COPY <schema>.cel (…) FROM STDIN` (text format). The schema name is quoted. */
export const celCopySql = (schema = 'asterisk'): string =>
  `COPY "${schema.replace(/"/g, '""')}".cel (${CEL_COPY_COLUMNS.join(', ')}) FROM STDIN`;

const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const escapeCopy = (value: string): string =>
  value.length > 0 && SPECIAL.test(value) ? value.replace(SPECIAL_ALL, (c) => ESCAPES[c]!) : value;

let cachedSecond = Number.NaN;
let cachedPrefix = '';

/** UTC epoch ms (µs fraction) → `YYYY-MM-DD HH:MM:SS.ffffff`. */
export function formatCelTime(epochMs: number): string {
  const us = Math.round(epochMs * 1000);
  const second = Math.floor(us / 1_000_000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    const iso = new Date(second * 1000).toISOString();
    cachedPrefix = `${iso.slice(0, 10)} ${iso.slice(11, 19)}.`;
  }
  return cachedPrefix + String(us - second * 1_000_000).padStart(6, '0');
}

/** One COPY text line for the row, terminated by `\n`. */
export function toCopyText(row: VolumeCelRow): string {
  return (
    `${row.id}\t${escapeCopy(row.eventType)}\t${formatCelTime(row.eventTime)}\t${escapeCopy(row.userDefType)}\t` +
    `${escapeCopy(row.cidName)}\t${escapeCopy(row.cidNum)}\t${escapeCopy(row.cidAni)}\t${escapeCopy(row.cidRdnis)}\t` +
    `${escapeCopy(row.cidDnid)}\t${escapeCopy(row.exten)}\t${escapeCopy(row.context)}\t${escapeCopy(row.chanName)}\t` +
    `${escapeCopy(row.appName)}\t${escapeCopy(row.appData)}\t${row.amaFlags}\t${escapeCopy(row.accountCode)}\t` +
    `${escapeCopy(row.peerAccount)}\t${escapeCopy(row.uniqueId)}\t${escapeCopy(row.linkedId)}\t` +
    `${escapeCopy(row.userField)}\t${escapeCopy(row.peer)}\t${escapeCopy(row.extra)}\n`
  );
}

/**
 * Batches rows into COPY text chunks of `linesPerChunk` lines (for `Readable.from(…)` into
 * pg-copy-streams), so the stream is not one write per row.
 */
export function* toCopyChunks(
  rows: Iterable<VolumeCelRow | { row: VolumeCelRow }>,
  linesPerChunk = 2000,
): Generator<string, void, undefined> {
  let chunk = '';
  let lines = 0;
  for (const item of rows) {
    chunk += toCopyText('row' in item ? item.row : item);
    if (++lines >= linesPerChunk) {
      yield chunk;
      chunk = '';
      lines = 0;
    }
  }
  if (lines > 0) yield chunk;
}
