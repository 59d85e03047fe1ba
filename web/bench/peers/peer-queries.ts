/**
 * The group-bys `npm run bench:web -- --peers` runs through every engine (our worker, DuckDB-WASM,
 * Arquero, and ClickHouse server-side), and the one shape their results are compared in.
 *
 * Days and hours are local to the report's zone, taken as a fixed UTC offset over the period (the
 * bench checks the zone keeps one offset, e.g. Europe/Moscow): DuckDB-WASM cannot load its ICU
 * extension offline and Arquero has no zone support, so all of them shift by the same offset.
 * Service level follows docs/metrics.md: inbound calls with a queue; answered with
 * `queue_wait_sec ≤ 20` over offered minus short abandons (`queue_wait_sec < 5`).
 * Browser-safe (no Node APIs).
 */

/** The queries by name (the keys of the bench's JSON `queries`). */
export const PEER_QUERIES = ['operator_status_day', 'queue_hour', 'sl_queue_day'] as const;
export type PeerQuery = (typeof PEER_QUERIES)[number];

/** Service-level threshold and short-abandon limit, seconds (docs/metrics.md defaults). */
export const SL_SEC = 20;
export const SHORT_ABANDON_SEC = 5;
export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

/** The call_facts columns the three queries read. */
export const PEER_COLUMNS = {
  text: ['operator', 'status', 'queue', 'direction'],
  numbers: ['started_at', 'queue_wait_sec'],
} as const;

/**
 * One result row, canonical: the group key joined with '|' (local day as `YYYY-MM-DD`, hour 0–23)
 * and the figures. operator_status_day: [calls]; queue_hour: [calls]; sl_queue_day: [within, base].
 */
export type PeerRow = [key: string, ...figures: number[]];

/** The local day `YYYY-MM-DD` of a local epoch day number. */
export function dayText(localDay: number): string {
  return new Date(localDay * DAY_MS).toISOString().slice(0, 10);
}

/** Rows sorted by key, as one string per row (for comparing engines). */
export function canonical(rows: readonly PeerRow[]): string[] {
  return rows.map((r) => r.join('|')).sort();
}

/** SQL of each query over a table `facts` with the columns above; `$OFFSET` = the offset in ms. */
export function peerSql(name: PeerQuery, msExpr: string, offsetMs: number): string {
  const local = `(${msExpr} + ${offsetMs})`;
  const day = `floor(${local} / ${DAY_MS})`;
  switch (name) {
    case 'operator_status_day':
      return `SELECT operator, status, ${day} AS d, count(*) AS n FROM facts GROUP BY operator, status, d`;
    case 'queue_hour':
      return `SELECT queue, floor(${local} / ${HOUR_MS}) % 24 AS h, count(*) AS n FROM facts GROUP BY queue, h`;
    case 'sl_queue_day':
      return `SELECT queue, ${day} AS d,
        sum(CASE WHEN status = 'answered' AND queue_wait_sec <= ${SL_SEC} THEN 1 ELSE 0 END) AS within,
        count(*) - sum(CASE WHEN status = 'abandoned' AND queue_wait_sec < ${SHORT_ABANDON_SEC} THEN 1 ELSE 0 END) AS base
        FROM facts WHERE direction = 'inbound' AND queue <> '' GROUP BY queue, d`;
  }
}
