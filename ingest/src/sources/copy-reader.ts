import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { parseCopyLine } from './copy-text.ts';

/**
 * Runs `COPY (query) TO STDOUT` and hands back each row as an array of column texts (null for SQL
 * NULL). The query is built by the caller from validated identifiers and integers only: COPY
 * takes no bind parameters.
 */
export async function copyRows(client: pg.PoolClient, query: string): Promise<(string | null)[][]> {
  const stream = client.query(copyTo(`COPY (${query}) TO STDOUT`));
  const rows: (string | null)[][] = [];
  let rest = '';
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const text = rest + chunk.toString('utf8');
    const lines = text.split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) rows.push(parseCopyLine(line));
  }
  if (rest) rows.push(parseCopyLine(rest));
  return rows;
}
