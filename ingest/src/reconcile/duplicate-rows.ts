import type { CdrRow, CelRow } from './types.ts';

/**
 * Drops rows that repeat another row in everything but `id` (a capture replayed twice, a backend
 * that retried an insert that had in fact succeeded). Asterisk never writes two identical CEL rows
 * for one channel: its timestamps have microseconds. Keeps the lowest id.
 *
 * Hot path: rows are bucketed by (uniqueid, event time, event type) and compared field by field
 * only within a bucket, so the common case allocates no long keys.
 */

const sameCel = (a: CelRow, b: CelRow): boolean =>
  a.serverId === b.serverId &&
  a.linkedId === b.linkedId &&
  a.appName === b.appName &&
  a.appData === b.appData &&
  a.exten === b.exten &&
  a.context === b.context &&
  a.extra === b.extra &&
  a.userDefType === b.userDefType &&
  a.peer === b.peer &&
  a.chanName === b.chanName &&
  a.cidNum === b.cidNum;

/**
 * CEL rows without exact repeats (same fields but `id`), in id order, the lowest id kept. See the
 * module comment above.
 */
export function withoutDuplicateCel(rows: readonly CelRow[]): CelRow[] {
  const sorted = isSortedById(rows) ? rows : [...rows].sort((a, b) => a.id - b.id);
  // A bucket is a single row (the common case: no allocation) or, on a shared timestamp, a list.
  const buckets = new Map<number, CelRow | CelRow[]>();
  const out: CelRow[] = [];
  let duplicates = 0;
  const same = (seen: CelRow, row: CelRow) =>
    seen.uniqueId === row.uniqueId && seen.eventType === row.eventType && sameCel(seen, row);
  for (const row of sorted) {
    const bucket = buckets.get(row.eventTime);
    if (bucket === undefined) buckets.set(row.eventTime, row);
    else if (Array.isArray(bucket) ? bucket.some((seen) => same(seen, row)) : same(bucket, row)) {
      duplicates++;
      continue;
    } else if (Array.isArray(bucket)) bucket.push(row);
    else buckets.set(row.eventTime, [bucket, row]);
    out.push(row);
  }
  return duplicates === 0 && sorted === rows ? (rows as CelRow[]) : out;
}

/** CDR rows without exact repeats (same fields but `id`), in id order, the lowest id kept. */
export function withoutDuplicateCdr(rows: readonly CdrRow[]): CdrRow[] {
  const seen = new Set<string>();
  return [...rows]
    .sort((a, b) => a.id - b.id)
    .filter((row) => {
      const { id: _id, ...content } = row;
      const key = JSON.stringify(content);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

function isSortedById(rows: readonly { id: number }[]): boolean {
  for (let i = 1; i < rows.length; i++) if (rows[i - 1]!.id > rows[i]!.id) return false;
  return true;
}
