import { deriveAndWrite } from '@callcenter/ingest/derive-and-write';
import { loadOperators, type Operators } from '@callcenter/ingest/operators';
import { RECONCILER_VERSION } from '@callcenter/ingest/reconcile';
import { readCallRows } from '@callcenter/ingest/table-reader';
import { readWatermark } from '@callcenter/ingest/watermarks';
import type { AsteriskServerConfig } from '@callcenter/platform/config';
import type { Database } from '@callcenter/platform/database';
import { CALL_COLUMNS, type CallColumnName } from '@callcenter/sql/schema';
import type { z } from '@hono/zod-openapi';
import { type Kysely, sql } from 'kysely';
import type pg from 'pg';
import type { RederiveResultSchema } from './quality-schemas.ts';

/**
 * Re-derives stored calls from their CEL/CDR rows with the collector's own code: read the rows of
 * the calls' linkedids (up to the watermarks: rows the collector has accounted for), then
 * @callcenter/ingest/derive-and-write — the collector's own reconcile → write cards → outbox — in
 * one transaction per chunk. The writer only writes derived columns, so what people typed on the
 * card is never touched; it bumps `version` and queues the call for ClickHouse when something
 * changed.
 *
 * The writer skips a call whose stored `derived_hash` equals the new one. A row changed behind the
 * writer's back (a manual UPDATE, a restore gone wrong) still has the old hash, so derive-and-write
 * runs with `recheckStored`: the stored derived columns are compared with the new derivation in
 * SQL first and differing calls get their hash invalidated: they are rewritten and counted as
 * updated.
 *
 * Stored calls are final, so every group is closed as if its idle timeout had long passed (a
 * call the collector closed by idle timeout stays closed that way).
 */

/**
 * The columns compared before and after (`changed`, `changedFields`): what the reconciler writes
 * (owner `derived` in sql/schema/call-columns.ts), but the version stamp itself, which every
 * re-derivation under new rules changes.
 */
const COMPARED_COLUMNS = (Object.keys(CALL_COLUMNS) as CallColumnName[]).filter(
  (c) => CALL_COLUMNS[c].owner === 'derived' && c !== 'reconciler_version',
);

/** The compared columns of stored calls, each as JSON text, by call id. */
async function derivedSnapshot(
  client: pg.PoolClient,
  ids: readonly number[],
): Promise<Map<number, string[]>> {
  const { rows } = await client.query<{ id: string; cols: string[] }>(
    `SELECT id, ARRAY[${COMPARED_COLUMNS.map((c) => `to_jsonb(${c})::text`).join(', ')}] AS cols
       FROM app.calls WHERE id = ANY($1::bigint[])`,
    [ids],
  );
  return new Map(rows.map((r) => [Number(r.id), r.cols]));
}

/** Calls re-derived per transaction. */
export const REDERIVE_CHUNK = 200;

/** Which stored calls to re-derive. */
export interface RederiveRequest {
  /** These calls; when absent, every call whose reconciler_version is not the current one. */
  callIds?: number[];
}

/**
 * What a re-derivation did, in calls (the shape of quality-schemas.ts): selected, unchanged,
 * updated, inserted (rows that yielded a call not stored: should be 0), merged into others, not
 * derived (no rows up to the watermark, or still open), and the groups the reconciler failed on
 * (nothing of theirs was written).
 */
export type RederiveResult = z.output<typeof RederiveResultSchema>;

interface Target {
  id: number;
  server_id: string;
  linkedids: string[];
}

/**
 * Re-derives stored calls from their CEL/CDR rows up to the watermark through derive-and-write
 * (ingest), {@link REDERIVE_CHUNK} calls per transaction, and reports what changed (see the module
 * comment).
 */
export async function rederiveCalls(
  db: Kysely<Database>,
  pool: pg.Pool,
  request: RederiveRequest,
): Promise<RederiveResult> {
  let query = db
    .selectFrom('app.calls as c')
    .select([
      'c.id',
      'c.server_id',
      sql<
        string[]
      >`coalesce((SELECT array_agg(l.linkedid) FROM app.call_linkedids l WHERE l.call_id = c.id), '{}') || c.linkedids`.as(
        'linkedids',
      ),
    ])
    .orderBy('c.id');
  query =
    request.callIds === undefined
      ? // Provisional live cards (sql/postgres/007) have no final CEL yet: the collector writes them.
        query.where('c.reconciler_version', 'not in', [RECONCILER_VERSION, 'provisional'])
      : query.where('c.id', 'in', request.callIds.length > 0 ? request.callIds : [-1]);
  const targets: Target[] = await query.execute();

  const result: RederiveResult = {
    reconcilerVersion: RECONCILER_VERSION,
    selected: targets.length,
    unchanged: 0,
    updated: 0,
    inserted: 0,
    merged: 0,
    notDerived: 0,
    changed: 0,
    changedFields: [],
    failures: [],
  };
  if (targets.length === 0) return result;
  const servers = new Map(
    (await db.selectFrom('app.asterisk_servers').select(['id', 'cel_schema', 'time_zone']).execute()).map(
      (s): [string, AsteriskServerConfig] => [
        s.id,
        { id: s.id, schema: s.cel_schema, timeZone: s.time_zone },
      ],
    ),
  );
  const operators = await loadOperators(db);
  const byServer = new Map<string, Target[]>();
  for (const t of targets) byServer.set(t.server_id, [...(byServer.get(t.server_id) ?? []), t]);
  for (const [serverId, ofServer] of byServer) {
    const server = servers.get(serverId);
    if (!server) {
      result.notDerived += ofServer.length;
      continue;
    }
    const upTo = {
      cel: await readWatermark(db, 'cel', serverId),
      cdr: await readWatermark(db, 'cdr', serverId),
    };
    for (let i = 0; i < ofServer.length; i += REDERIVE_CHUNK) {
      await rederiveChunk(pool, server, upTo, operators, ofServer.slice(i, i + REDERIVE_CHUNK), result);
    }
  }
  result.changedFields.sort((a, b) => b.calls - a.calls || a.field.localeCompare(b.field));
  return result;
}

async function rederiveChunk(
  pool: pg.Pool,
  server: AsteriskServerConfig,
  upTo: { cel: number; cdr: number },
  operators: Operators,
  targets: readonly Target[],
  result: RederiveResult,
): Promise<void> {
  const linkedIds = [...new Set(targets.flatMap((t) => t.linkedids))];
  const client = await pool.connect();
  try {
    const ids = targets.map((t) => t.id);
    const before = await derivedSnapshot(client, ids);
    const rows = await readCallRows(client, server, linkedIds, upTo);
    const { reconciled, written } = await deriveAndWrite(client, {
      serverId: server.id,
      cel: rows.cel,
      cdr: rows.cdr,
      operators,
      now: Number.MAX_SAFE_INTEGER,
      recheckStored: true,
    });
    for (const f of reconciled.failures) result.failures.push({ linkedids: f.linkedids, reason: f.reason });
    const covered = new Set(reconciled.calls.flatMap((c) => c.linkedids));
    result.notDerived += targets.filter((t) => !t.linkedids.some((l) => covered.has(l))).length;
    result.unchanged += written.unchanged;
    result.updated += written.updated;
    result.inserted += written.inserted;
    result.merged += written.merged;
    countChanges(before, await derivedSnapshot(client, ids), result);
  } finally {
    client.release();
  }
}

/** Adds to `changed`/`changedFields` the calls whose compared columns differ (a merged-away call: all). */
function countChanges(
  before: ReadonlyMap<number, string[]>,
  after: ReadonlyMap<number, string[]>,
  result: RederiveResult,
): void {
  for (const [id, old] of before) {
    const now = after.get(id);
    const fields = COMPARED_COLUMNS.filter((_, i) => now === undefined || now[i] !== old[i]);
    if (fields.length === 0) continue;
    result.changed += 1;
    for (const field of fields) {
      const entry = result.changedFields.find((f) => f.field === field);
      if (entry) entry.calls += 1;
      else result.changedFields.push({ field, calls: 1 });
    }
  }
}
