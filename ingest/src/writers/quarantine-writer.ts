import type pg from 'pg';
import type { CelRow } from '../reconcile/types.ts';
import type { MalformedRow } from '../sources/asterisk-table-reader.ts';

/**
 * The quarantine: rows the collector could not use and call groups the reconciler could not
 * derive, each with its reason and the raw data, so nothing is lost and the pipeline goes on.
 * Re-reading the same rows after a restart adds nothing (unique on source, server, id, reason).
 */

export interface QuarantineItem {
  source: 'cel' | 'cdr' | 'call';
  serverId: string;
  sourceId: number | null;
  linkedIds?: string[];
  reason: string;
  raw: unknown;
}

/**
 * Quarantine items for rows the sources could not use (source `cel` or `cdr`, with their id and
 * raw record).
 */
export const malformedItems = (
  source: 'cel' | 'cdr',
  serverId: string,
  rows: readonly MalformedRow[],
): QuarantineItem[] => rows.map((r) => ({ source, serverId, sourceId: r.id, reason: r.reason, raw: r.raw }));

/**
 * The quarantine item of a call group the reconciler failed on (source `call`): its linkedids, the
 * reason and its rows.
 */
export const failedGroupItem = (
  serverId: string,
  failure: { linkedids: string[]; reason: string; rows: CelRow[] },
): QuarantineItem => ({
  source: 'call',
  serverId,
  sourceId: failure.rows[0]?.id ?? null,
  linkedIds: failure.linkedids,
  reason: failure.reason,
  raw: { cel_ids: failure.rows.map((r) => r.id) },
});

/** Writes the items on `client` (inside the collector's transaction). */
export async function quarantine(client: pg.PoolClient, items: readonly QuarantineItem[]): Promise<void> {
  if (items.length === 0) return;
  const records = items.map((i) => ({
    source: i.source,
    server_id: i.serverId,
    source_id: i.sourceId,
    linkedids: i.linkedIds ?? [],
    reason: i.reason,
    raw: i.raw,
  }));
  await client.query(
    `INSERT INTO app.quarantine (source, server_id, source_id, linkedids, reason, raw)
     SELECT x.source, x.server_id, x.source_id, x.linkedids, x.reason, x.raw
     FROM jsonb_populate_recordset(NULL::app.quarantine, $1::jsonb) x
     ON CONFLICT (source, server_id, source_id, reason) DO NOTHING`,
    [JSON.stringify(records)],
  );
}
