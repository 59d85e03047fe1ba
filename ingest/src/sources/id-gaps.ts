import type pg from 'pg';

/**
 * Ids of an Asterisk `cel`/`cdr` table that may still be in flight. The tables' ids come from a
 * sequence when a row is inserted, but rows become visible when their transaction commits:
 * cel_pgsql/cdr_pgsql (and res_odbc's pooled connections) insert in separate transactions, so a
 * row with a lower id can commit after a row with a higher id was read. A read position moved past
 * such an id would skip the row for good (a lost call). So the reader reads only up to the first
 * gap in the ids that is not yet settled (docs/reconciliation.md#read-position).
 *
 * A gap is settled — its ids were rolled back, deleted or never used, and cannot appear any more —
 * once every transaction that was in progress when the gap was first seen has ended: the first
 * sighting records the snapshot's xmax, and the gap is settled when a later snapshot's xmin has
 * reached it (PostgreSQL's `pg_current_snapshot()`; the inserting transaction holds an xid from
 * its first row on). A gap seen while no transaction at all is in progress is settled at once.
 */
export class IdGaps {
  /** First missing id → xmax of the snapshot that first saw it missing. */
  private readonly seen = new Map<number, bigint>();

  /**
   * The highest id up to which `(afterId, …]` can be read now: `end` when no unsettled gap lies in
   * between, else the id below the lowest unsettled gap (`held`). `heldBefore` is true when that
   * gap was already unsettled at an earlier read (the reader then waits for a NOTIFY or the poll
   * rather than reading again at once). `gaps`: missing id ranges, ascending; `snapshot`: the
   * xmin/xmax of the snapshot that saw them (xids, as bigint).
   */
  settle(
    afterId: number,
    end: number,
    gaps: readonly (readonly [number, number])[],
    snapshot: { xmin: bigint; xmax: bigint },
  ): { readableTo: number; held: boolean; heldBefore: boolean } {
    for (const first of this.seen.keys()) if (first <= afterId) this.seen.delete(first);
    for (const [from] of gaps) {
      if (from > end) break;
      const recorded = this.seen.get(from);
      if (recorded === undefined) {
        if (snapshot.xmin >= snapshot.xmax) continue; // nothing in progress: settled at once
        this.seen.set(from, snapshot.xmax);
        return { readableTo: from - 1, held: true, heldBefore: false };
      }
      if (snapshot.xmin >= recorded) {
        this.seen.delete(from);
        continue;
      }
      return { readableTo: from - 1, held: true, heldBefore: true };
    }
    return { readableTo: end, held: false, heldBefore: false };
  }
}

/** What {@link idWindow} found: the window's end, the missing id ranges in it and the snapshot. */
export interface IdWindow {
  /** The table's highest committed id (0 when empty). */
  tableEnd: number;
  /** The window's last id: the window's upper bound, or the last of `rows` ids. */
  end: number;
  /** Missing id ranges `[from, to]` within `(afterId, end]`, ascending. */
  gaps: [number, number][];
  xmin: bigint;
  xmax: bigint;
}

/**
 * One statement (one snapshot): the ids of `table` after `afterId` — up to `afterId + window`
 * (capped at the table's end), or the next `rows` ids — their gaps, and the snapshot's xmin/xmax.
 * `table` is a quoted identifier built by the caller; the numbers go in as parameters.
 */
export async function idWindow(
  client: pg.PoolClient,
  table: string,
  afterId: number,
  bound: { window: number } | { rows: number },
): Promise<IdWindow> {
  const ids =
    'window' in bound
      ? `SELECT id FROM ${table} WHERE id > $1 AND id <= LEAST($1 + $2, (SELECT max(id) FROM ${table}))`
      : `SELECT id FROM ${table} WHERE id > $1 ORDER BY id LIMIT $2`;
  const upper =
    'window' in bound
      ? `LEAST($1 + $2, GREATEST($1, (SELECT max(id) FROM ${table})))`
      : `COALESCE((SELECT max(id) FROM w), $1)`;
  const result = await client.query<{
    table_end: string | null;
    end: string;
    gaps: [string, string][];
    xmin: string;
    xmax: string;
  }>(
    `WITH w AS (SELECT id, lag(id, 1, $1::bigint) OVER (ORDER BY id) AS prev FROM (${ids}) ids),
       e AS (SELECT ${upper}::bigint AS end_id)
     SELECT (SELECT max(id) FROM ${table})::text AS table_end, (SELECT end_id FROM e)::text AS end,
       COALESCE((SELECT jsonb_agg(jsonb_build_array((prev + 1)::text, (id - 1)::text) ORDER BY id)
                 FROM w WHERE id > prev + 1), '[]'::jsonb)
       || CASE WHEN COALESCE((SELECT max(id) FROM w), $1) < (SELECT end_id FROM e)
            THEN jsonb_build_array(jsonb_build_array((COALESCE((SELECT max(id) FROM w), $1) + 1)::text,
                                                   (SELECT end_id FROM e)::text))
            ELSE '[]'::jsonb END AS gaps,
       pg_snapshot_xmin(pg_current_snapshot())::text AS xmin,
       pg_snapshot_xmax(pg_current_snapshot())::text AS xmax`,
    [afterId, 'window' in bound ? bound.window : bound.rows],
  );
  const row = result.rows[0]!;
  return {
    tableEnd: Number(row.table_end ?? 0),
    end: Number(row.end),
    gaps: row.gaps.map(([from, to]) => [Number(from), Number(to)]),
    xmin: BigInt(row.xmin),
    xmax: BigInt(row.xmax),
  };
}
