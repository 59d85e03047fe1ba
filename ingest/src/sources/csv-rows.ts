import { parse } from 'csv-parse/sync';
import type { CdrRow, CelRow } from '../reconcile/types.ts';
import { type Normalised, normaliseCdrRecord, normaliseCelRecord, type RawRecord } from './cel-record.ts';

/**
 * CEL / CDR exports as CSV with a header row of the table's column names (psql `\copy … csv
 * header`, the captures' format). Unreadable records are reported with their line numbers and
 * skipped; the rest flows.
 */

export interface RowError {
  /** 1-based line number in the file where the record starts. */
  line: number;
  reason: string;
}

/** Rows read from a CSV export and the records that could not be used (line number and reason). */
export interface CsvRows<T> {
  rows: T[];
  errors: RowError[];
}

/** The server the export came from and the IANA zone of times written without an offset. */
export interface CsvOptions {
  serverId: string;
  /** IANA zone of timestamps written without an offset. */
  zone: string;
}

function readCsv<T>(
  text: string,
  options: CsvOptions,
  normalise: (record: RawRecord, serverId: string, fallbackId: number, zone: string) => Normalised<T>,
): CsvRows<T> {
  const errors: RowError[] = [];
  const records = parse(text.replace(/^\uFEFF/, ''), {
    columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
    info: true,
    bom: true,
    skip_empty_lines: true,
    relax_column_count: false,
    skip_records_with_error: true,
    on_skip: (error: { lines?: number; message: string } | undefined) => {
      if (error) errors.push({ line: error.lines ?? 0, reason: error.message });
    },
  }) as { record: RawRecord; info: { lines: number } }[];
  const rows: T[] = [];
  for (const { record, info } of records) {
    const result = normalise(record, options.serverId, info.lines, options.zone);
    if (result.ok) rows.push(result.row);
    else errors.push({ line: info.lines, reason: result.reason });
  }
  errors.sort((a, b) => a.line - b.line);
  return { rows, errors };
}

/** Throws only when the text is not CSV at all (e.g. no header); bad records go to `errors`. */
export function readCelCsv(text: string, options: CsvOptions): CsvRows<CelRow> {
  return readCsv(text, options, normaliseCelRecord);
}

/**
 * A CDR export (`\copy cdr … csv header`) as rows. Throws only when the text is not CSV at all;
 * bad records go to `errors`.
 */
export function readCdrCsv(text: string, options: CsvOptions): CsvRows<CdrRow> {
  return readCsv(text, options, normaliseCdrRecord);
}
