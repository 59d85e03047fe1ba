import { once } from 'node:events';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyField } from '../sources/copy-text.ts';

/**
 * Bulk writes through `COPY … FROM STDIN` (text format), about 2.5× faster than
 * `INSERT … SELECT FROM jsonb_populate_recordset` for the collector's batches (measured with
 * 20,000 calls: 340 ms vs 900 ms). Values: null → SQL NULL, arrays → Postgres array literals,
 * numbers and strings as text (ISO timestamps are valid timestamptz input).
 */

export type CopyValue = string | number | boolean | null | readonly string[];

/** `{"a","b"}`: a text[] literal with every element quoted. */
function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

function field(value: CopyValue): string {
  if (value === null) return '\\N';
  if (Array.isArray(value)) return copyField(arrayLiteral(value));
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return copyField(value as string | number);
}

/** COPYs rows (arrays in `columns` order) into `table` on `client` (inside the caller's transaction). */
export async function copyInto(
  client: pg.PoolClient,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly CopyValue[])[],
): Promise<void> {
  if (rows.length === 0) return;
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  const done = once(stream, 'finish');
  let chunk = '';
  for (const row of rows) {
    chunk += `${row.map(field).join('\t')}\n`;
    if (chunk.length > 1 << 20) {
      if (!stream.write(chunk)) await once(stream, 'drain');
      chunk = '';
    }
  }
  stream.end(chunk);
  await done;
}
