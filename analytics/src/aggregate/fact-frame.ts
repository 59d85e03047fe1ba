/**
 * The columnar shape every client-side report reads: one typed array per column, no per-row
 * objects. A text column (ClickHouse LowCardinality, Arrow Dictionary) is a dictionary of
 * distinct strings plus one Int32 code per row; a number column is a Float64Array where NaN
 * stands for SQL NULL; times are epoch milliseconds (UTC instants) in a number column.
 *
 * Built from Arrow bytes by {@link frameFromArrow} (arrow-frame.ts) or from plain rows by
 * {@link frameFromRows} (tests, JSON). Browser-safe: no Node APIs.
 */

/** A text column: `dictionary[codes[i]]` is row i's value (codes are never negative). */
export interface DictColumn {
  kind: 'dict';
  codes: Int32Array;
  dictionary: readonly string[];
}

/** A number column: seconds, counts, 0/1 flags or epoch ms; NaN = NULL. */
export interface NumberColumn {
  kind: 'number';
  values: Float64Array;
}

/** One decoded column: a dictionary-encoded text column or a numeric one. */
export type FactColumn = DictColumn | NumberColumn;

/** Rows of one fact table as columns, all of length `rows`. */
export interface FactFrame {
  rows: number;
  columns: ReadonlyMap<string, FactColumn>;
}

/** The text column `name`; throws an Error naming it when absent or not text. */
export function dictColumn(frame: FactFrame, name: string): DictColumn {
  const column = frame.columns.get(name);
  if (column?.kind !== 'dict') throw new Error(`the facts have no text column "${name}"`);
  return column;
}

/** The number column `name`; throws an Error naming it when absent or not numeric. */
export function numberColumn(frame: FactFrame, name: string): NumberColumn {
  const column = frame.columns.get(name);
  if (column?.kind !== 'number') throw new Error(`the facts have no number column "${name}"`);
  return column;
}

/** Code of `value` in a text column, or -1 when no row has it. */
export function codeOf(column: DictColumn, value: string): number {
  return column.dictionary.indexOf(value);
}

/** Per code: 1 when the dictionary entry is one of `values` (a lookup table for row loops). */
export function codeMask(column: DictColumn, values: Iterable<string>): Uint8Array {
  const wanted = new Set(values);
  const mask = new Uint8Array(column.dictionary.length);
  column.dictionary.forEach((value, code) => {
    if (wanted.has(value)) mask[code] = 1;
  });
  return mask;
}

/** What a column of {@link frameFromRows} holds: text, a number, or a time (ISO text or ms). */
export type RowColumnKind = 'text' | 'number' | 'time';

/**
 * A frame from plain objects (JSON Lines rows, test data): `schema` names each column and its
 * kind. Missing or null values become '' (text) or NaN (number, time). Times may be ISO 8601
 * strings (UTC when no zone is written, as ClickHouse's JSON output) or epoch milliseconds.
 */
export function frameFromRows(
  rows: readonly Record<string, unknown>[],
  schema: Readonly<Record<string, RowColumnKind>>,
): FactFrame {
  const columns = new Map<string, FactColumn>();
  for (const [name, kind] of Object.entries(schema)) {
    if (kind === 'text') {
      const codes = new Int32Array(rows.length);
      const dictionary: string[] = [];
      const index = new Map<string, number>();
      rows.forEach((row, i) => {
        const value = row[name] == null ? '' : String(row[name]);
        let code = index.get(value);
        if (code === undefined) {
          code = dictionary.length;
          dictionary.push(value);
          index.set(value, code);
        }
        codes[i] = code;
      });
      columns.set(name, { kind: 'dict', codes, dictionary });
    } else {
      const values = new Float64Array(rows.length);
      rows.forEach((row, i) => {
        values[i] = kind === 'time' ? timeValue(row[name]) : numberValue(row[name]);
      });
      columns.set(name, { kind: 'number', values });
    }
  }
  return { rows: rows.length, columns };
}

function numberValue(value: unknown): number {
  if (value == null || value === '') return Number.NaN;
  return Number(value);
}

function timeValue(value: unknown): number {
  if (value == null || value === '') return Number.NaN;
  if (typeof value === 'number') return value;
  const text = String(value);
  // ClickHouse writes `2025-03-03 21:00:00.000` (no zone) for UTC columns: read it as UTC.
  const iso = /[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`;
  return Date.parse(iso);
}
