import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { parseCopyLine } from './copy-text.ts';

/**
 * Runs `COPY (query) TO STDOUT` and hands each row to `onRow` as it arrives, as an array of column
 * texts (null for SQL NULL): only the chunk in hand is held, never the whole result as text or as
 * arrays, so a batch costs the memory of what `onRow` keeps. The query is built by the caller from
 * validated identifiers and integers only: COPY takes no bind parameters.
 */
export async function copyEach(
  client: pg.PoolClient,
  query: string,
  onRow: (fields: (string | null)[]) => void,
): Promise<void> {
  const stream = client.query(copyTo(`COPY (${query}) TO STDOUT`));
  let rest = '';
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const text = rest + chunk.toString('utf8');
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      onRow(parseCopyLine(text.slice(start, end)));
      start = end + 1;
    }
    rest = text.slice(start);
  }
  if (rest) onRow(parseCopyLine(rest));
}

/** {@link copyEach} collected into an array (small results: re-reads of a few calls, CDR batches). */
export async function copyRows(client: pg.PoolClient, query: string): Promise<(string | null)[][]> {
  const rows: (string | null)[][] = [];
  await copyEach(client, query, (fields) => rows.push(fields));
  return rows;
}
