import { stringify } from 'csv-stringify/sync';

/**
 * Text renderings of a query result for the `sql` command. Values arrive as ClickHouse writes them
 * in JSON with 64-bit integers, decimals and nan/inf quoted (so every digit survives):
 * string | number | boolean | null | array | object.
 */

/** Column names and ClickHouse types, e.g. `{ names: ['calls'], types: ['UInt64'] }`. */
export interface ResultHeader {
  names: string[];
  types: string[];
}

/** One cell as text: NULL → `nullText`, arrays/maps/tuples → JSON, everything else → String(v). */
export function cellText(value: unknown, nullText: string): string {
  if (value === null || value === undefined) return nullText;
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** True for (Nullable/LowCardinality of) integers, floats and decimals: right-aligned in a table. */
export function isNumericType(type: string): boolean {
  const inner = type.replace(/^(?:LowCardinality\(|Nullable\()+/, '');
  return /^(?:U?Int\d+|Float\d+|Decimal|BFloat16)/.test(inner);
}

const WIDE =
  /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{1F300}-\u{1FAFF}\u{20000}-\u{3FFFD}]/u;

/** Terminal columns taken by `text`: combining marks take none, East Asian wide characters two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    if (/\p{M}/u.test(ch)) continue;
    width += WIDE.test(ch) ? 2 : 1;
  }
  return width;
}

function pad(text: string, width: number, right: boolean): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return right ? fill + text : text + fill;
}

/** Control characters would break the grid: show them escaped. */
function tableCell(value: unknown): string {
  return cellText(value, 'NULL').replace(/[\n\r\t]/g, (c) =>
    c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t',
  );
}

/**
 * psql-style aligned table: a header, a rule, one line per row (numbers right-aligned) and a
 * `(N rows)` footer. Returns the whole text, ending with a newline.
 *
 * ```
 *  operator | answered
 * ----------+---------
 *  101      |        2
 * (1 row)
 * ```
 */
export function formatTable(header: ResultHeader, rows: readonly unknown[][]): string {
  const right = header.types.map(isNumericType);
  const cells = rows.map((row) => header.names.map((_, c) => tableCell(row[c])));
  const widths = header.names.map((name, c) =>
    Math.max(displayWidth(name), ...cells.map((row) => displayWidth(row[c]!))),
  );
  const line = (values: string[], alignRight: boolean[]) =>
    ` ${values.map((v, c) => pad(v, widths[c]!, alignRight[c]!)).join(' | ')}`.trimEnd();
  const out = [
    line(header.names, right),
    widths.map((w) => '-'.repeat(w + 2)).join('+'),
    ...cells.map((row) => line(row, right)),
    `(${rows.length} ${rows.length === 1 ? 'row' : 'rows'})`,
  ];
  return `${out.join('\n')}\n`;
}

/** RFC 4180 CSV lines for `rows` (NULL → empty field), optionally preceded by the header line. */
export function formatCsv(rows: readonly unknown[][], names?: readonly string[]): string {
  const records = rows.map((row) => row.map((v) => cellText(v, '')));
  return stringify(names ? [[...names], ...records] : records);
}
