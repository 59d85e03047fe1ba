import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/database.ts';
import type { Call } from '../reconcile/types.ts';
import { callRecord, childRecords } from './call-rows.ts';

/**
 * Upserts reconciled calls of one server into app.calls and its child tables, inside the caller's
 * transaction (the collector advances its watermark in the same one). Rules:
 * - a call is found by any of its linkedids (app.call_linkedids), so a re-derivation after late
 *   rows or a merge of linkedids updates the same card;
 * - an unchanged derivation (same hash) writes nothing and ships nothing;
 * - only derived columns are written: what an operator typed into the card is never touched;
 * - every insert or change bumps `version` and queues the call in the outbox for ClickHouse;
 * - calls absorbed by a merge are deleted, their card carried to the surviving call if it has none.
 */

export interface WriteCallsResult {
  inserted: number;
  updated: number;
  unchanged: number;
  merged: number;
  /** app.calls ids written (inserted or updated), with their call. */
  written: { id: number; call: Call }[];
}

type Db = Kysely<Database>;

const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;

const DERIVED_COLUMNS = [
  'server_id',
  'linkedid',
  'uniqueid',
  'linkedids',
  'direction',
  'status',
  'started_at',
  'answered_at',
  'ended_at',
  'duration_sec',
  'wait_sec',
  'queue_wait_sec',
  'talk_sec',
  'hold_sec',
  'src_number',
  'dst_number',
  'did',
  'queue',
  'queues',
  'operator_endpoint',
  'hung_up_by',
  'recording_path',
  'recordings',
  'closed_by',
  'flags',
  'reconciler_version',
  'derived_hash',
] as const;
const columnList = sql.raw(DERIVED_COLUMNS.join(', '));
const selectList = sql.raw(DERIVED_COLUMNS.map((c) => `x.${c}`).join(', '));
const setList = sql.raw(DERIVED_COLUMNS.map((c) => `${c} = x.${c}`).join(', '));

async function findExisting(trx: Db, serverId: string, calls: readonly Call[]) {
  const linkedIds = calls.flatMap((c) => c.linkedids);
  const found = await sql<{ linkedid: string; call_id: number; derived_hash: string }>`
    SELECT l.linkedid, l.call_id, c.derived_hash
    FROM app.call_linkedids l JOIN app.calls c ON c.id = l.call_id
    WHERE l.server_id = ${serverId} AND l.linkedid = ANY(${linkedIds}::text[])`.execute(trx);
  return new Map(found.rows.map((r) => [r.linkedid, r]));
}

async function replaceChildren(trx: Db, written: readonly { id: number; call: Call }[]): Promise<void> {
  if (written.length === 0) return;
  const ids = written.map((w) => w.id);
  const children = written.map((w) => childRecords(w.id, w.call));
  for (const table of [
    'call_attempts',
    'call_transfers',
    'call_segments',
    'call_holds',
    'call_linkedids',
  ] as const) {
    await sql`DELETE FROM ${sql.raw(`app.${table}`)} WHERE call_id = ANY(${ids}::bigint[])`.execute(trx);
  }
  const operatorId = sql.raw(
    '(SELECT o.id FROM app.operators o JOIN app.calls c ON c.id = x.call_id WHERE o.server_id = c.server_id AND o.endpoint = x.operator_endpoint)',
  );
  await sql`INSERT INTO app.call_attempts (call_id, seq, operator_endpoint, operator_id, queue, rang_at, ring_sec, outcome, uniqueid, hangup_cause)
    SELECT x.call_id, x.seq, x.operator_endpoint, ${operatorId}, x.queue, x.rang_at, x.ring_sec, x.outcome, x.uniqueid, x.hangup_cause
    FROM jsonb_populate_recordset(NULL::app.call_attempts, ${json(children.flatMap((c) => c.attempts))}) x`.execute(
    trx,
  );
  await sql`INSERT INTO app.call_transfers SELECT * FROM jsonb_populate_recordset(NULL::app.call_transfers, ${json(children.flatMap((c) => c.transfers))})`.execute(
    trx,
  );
  await sql`INSERT INTO app.call_segments (call_id, seq, operator_endpoint, operator_id, party, started_at, ended_at, talk_sec, hold_sec)
    SELECT x.call_id, x.seq, x.operator_endpoint, ${operatorId}, x.party, x.started_at, x.ended_at, x.talk_sec, x.hold_sec
    FROM jsonb_populate_recordset(NULL::app.call_segments, ${json(children.flatMap((c) => c.segments))}) x`.execute(
    trx,
  );
  await sql`INSERT INTO app.call_holds SELECT * FROM jsonb_populate_recordset(NULL::app.call_holds, ${json(children.flatMap((c) => c.holds))})`.execute(
    trx,
  );
  await sql`INSERT INTO app.call_linkedids SELECT * FROM jsonb_populate_recordset(NULL::app.call_linkedids, ${json(children.flatMap((c) => c.linkedids))})
    ON CONFLICT (server_id, linkedid) DO UPDATE SET call_id = EXCLUDED.call_id`.execute(trx);
  await sql`INSERT INTO app.outbox (call_id, version) SELECT id, version FROM app.calls WHERE id = ANY(${ids}::bigint[])`.execute(
    trx,
  );
}

/** Carries the card of absorbed calls to the survivor when the survivor's card is empty, then deletes them. */
async function absorb(trx: Db, survivor: number, absorbed: readonly number[]): Promise<void> {
  await sql`UPDATE app.calls s SET purpose_id = a.purpose_id, category_id = a.category_id, subcategory_id = a.subcategory_id,
      notes = a.notes, needs_callback = a.needs_callback, resolved_first_call = a.resolved_first_call,
      card_completed_at = a.card_completed_at, card_updated_at = a.card_updated_at, card_updated_by = a.card_updated_by
    FROM (SELECT * FROM app.calls WHERE id = ANY(${absorbed}::bigint[]) AND card_updated_at IS NOT NULL
          ORDER BY card_updated_at DESC LIMIT 1) a
    WHERE s.id = ${survivor} AND s.card_updated_at IS NULL`.execute(trx);
  await sql`INSERT INTO app.call_tag_links (call_id, tag_id)
    SELECT ${survivor}, tag_id FROM app.call_tag_links WHERE call_id = ANY(${absorbed}::bigint[]) ON CONFLICT DO NOTHING`.execute(
    trx,
  );
  await sql`INSERT INTO app.outbox (call_id, version, tombstone)
    SELECT id, version + 1, jsonb_build_object('server_id', server_id, 'linkedid', linkedid,
      'started_at', started_at, 'shipped_attempts', shipped_attempts)
    FROM app.calls WHERE id = ANY(${absorbed}::bigint[])`.execute(trx);
  await sql`DELETE FROM app.calls WHERE id = ANY(${absorbed}::bigint[])`.execute(trx);
}

export async function writeCalls(
  trx: Db,
  serverId: string,
  calls: readonly Call[],
): Promise<WriteCallsResult> {
  const result: WriteCallsResult = { inserted: 0, updated: 0, unchanged: 0, merged: 0, written: [] };
  if (calls.length === 0) return result;
  const existing = await findExisting(trx, serverId, calls);
  const fresh: { record: Record<string, unknown>; call: Call }[] = [];
  const changed: { id: number; record: Record<string, unknown>; call: Call }[] = [];
  for (const call of calls) {
    const record = callRecord(call);
    const matches = [...new Set(call.linkedids.map((l) => existing.get(l)).filter((m) => m !== undefined))];
    if (matches.length === 0) {
      fresh.push({ record, call });
      continue;
    }
    const own =
      matches.find((m) => m.linkedid === call.linkedid) ?? matches.sort((a, b) => a.call_id - b.call_id)[0]!;
    const others = [...new Set(matches.map((m) => m.call_id))].filter((id) => id !== own.call_id);
    if (others.length > 0) {
      await absorb(trx, own.call_id, others);
      result.merged += others.length;
    }
    if (own.derived_hash === record.derived_hash && others.length === 0) result.unchanged++;
    else changed.push({ id: own.call_id, record: { ...record, id: own.call_id }, call });
  }

  if (fresh.length > 0) {
    const inserted = await sql<{ id: number; linkedid: string }>`
      INSERT INTO app.calls (${columnList}, operator_id)
      SELECT ${selectList}, (SELECT o.id FROM app.operators o WHERE o.server_id = x.server_id AND o.endpoint = x.operator_endpoint)
      FROM jsonb_populate_recordset(NULL::app.calls, ${json(fresh.map((f) => f.record))}) x
      RETURNING id, linkedid`.execute(trx);
    const idByLinkedId = new Map(inserted.rows.map((r) => [r.linkedid, r.id]));
    for (const f of fresh) result.written.push({ id: idByLinkedId.get(f.call.linkedid)!, call: f.call });
    result.inserted = fresh.length;
  }
  if (changed.length > 0) {
    await sql`UPDATE app.calls c SET ${setList},
        operator_id = (SELECT o.id FROM app.operators o WHERE o.server_id = x.server_id AND o.endpoint = x.operator_endpoint),
        version = c.version + 1, updated_at = now()
      FROM jsonb_populate_recordset(NULL::app.calls, ${json(changed.map((c) => c.record))}) x
      WHERE c.id = x.id`.execute(trx);
    for (const c of changed) result.written.push({ id: c.id, call: c.call });
    result.updated = changed.length;
  }
  await replaceChildren(trx, result.written);
  return result;
}
