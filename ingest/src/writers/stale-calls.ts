import type pg from 'pg';
import type { Call } from '../reconcile/types.ts';
import { callRecord } from './call-rows.ts';
import { DERIVED_COLUMNS } from './calls-writer.ts';

/**
 * Derived columns compared with the stored row: the writer's own list, less the keys and the hash
 * (the hash is what is in question).
 */
const COMPARED = DERIVED_COLUMNS.filter((c) => c !== 'server_id' && c !== 'linkedid' && c !== 'derived_hash');

/**
 * The calls writer skips a call whose stored `derived_hash` equals the new one. A row changed
 * behind the writer's back (a manual UPDATE, a restore gone wrong) still has the old hash, so
 * before a re-derivation writes, the stored derived columns are compared with `calls` in SQL and
 * differing rows get their hash invalidated (`stale:` + the old hash): the writer then rewrites
 * them and counts them as updated. Run in the writer's transaction, on its connection.
 */
export async function invalidateChangedCalls(client: pg.ClientBase, calls: readonly Call[]): Promise<void> {
  if (calls.length === 0) return;
  const records = calls.map((call) => callRecord(call));
  const differs = COMPARED.map((col) => `c.${col}`).join(', ');
  const fresh = COMPARED.map((col) => `n.${col}`).join(', ');
  await client.query(
    `UPDATE app.calls SET derived_hash = 'stale:' || derived_hash
     WHERE id IN (
       SELECT c.id FROM jsonb_populate_recordset(NULL::app.calls, $1::jsonb) n
       JOIN app.call_linkedids l ON l.server_id = n.server_id AND l.linkedid = n.linkedid
       JOIN app.calls c ON c.id = l.call_id
       WHERE (${differs}) IS DISTINCT FROM (${fresh}))`,
    [JSON.stringify(records)],
  );
}
