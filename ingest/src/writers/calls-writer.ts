import type pg from 'pg';
import type { Call } from '../reconcile/types.ts';
import { callRecord, childRecords, DERIVED_COLUMNS, type DerivedColumn } from './call-rows.ts';
import { type CopyValue, copyInto } from './copy-into.ts';

/**
 * Upserts reconciled calls of one server into app.calls and its child tables, inside the caller's
 * transaction on `client` (the collector advances its watermark in the same one). Rules:
 * - a call is found by any of its linkedids (app.call_linkedids), so a re-derivation after late
 *   rows or a merge of linkedids updates the same card;
 * - an unchanged derivation (same hash) writes nothing and ships nothing;
 * - only derived columns are written: what an operator typed into the card is never touched;
 * - every insert or change bumps `version` and queues the call in the outbox for ClickHouse;
 * - calls absorbed by a merge are deleted (facts tombstoned), their card folded into the surviving
 *   call's (its empty fields filled, both notes kept, tags joined: nobody's typing is lost).
 * New calls and all child rows go in by COPY with ids taken from the sequence up front: this is the
 * collector's hot path (a raw pg client, not kysely, because kysely has no COPY). Columns follow
 * sql/postgres/001_core.sql and the `Database` type in db/database.ts.
 */

export interface WriteCallsResult {
  inserted: number;
  updated: number;
  unchanged: number;
  merged: number;
  /** app.calls ids written (inserted or updated), with their call. */
  written: { id: number; call: Call }[];
}

/** Operator id by endpoint, for one server (app.operators). */
export type OperatorIds = ReadonlyMap<string, number>;

export { DERIVED_COLUMNS, type DerivedColumn };

const CHILD_TABLES = [
  'call_attempts',
  'call_transfers',
  'call_segments',
  'call_holds',
  'call_linkedids',
] as const;

interface Existing {
  linkedid: string;
  call_id: number;
  derived_hash: string;
}

async function findExisting(client: pg.PoolClient, serverId: string, calls: readonly Call[]) {
  const found = await client.query<Existing>(
    `SELECT l.linkedid, l.call_id::int AS call_id, c.derived_hash
     FROM app.call_linkedids l JOIN app.calls c ON c.id = l.call_id
     WHERE l.server_id = $1 AND l.linkedid = ANY($2::text[])`,
    [serverId, calls.flatMap((c) => c.linkedids)],
  );
  return new Map(found.rows.map((r) => [r.linkedid, r]));
}

async function insertChildren(
  client: pg.PoolClient,
  written: readonly { id: number; call: Call }[],
  operators: OperatorIds,
) {
  const op = (endpoint: string | null) => (endpoint === null ? null : (operators.get(endpoint) ?? null));
  const children = written.map((w) => childRecords(w.id, w.call));
  await copyInto(
    client,
    'app.call_attempts',
    [
      'call_id',
      'seq',
      'operator_endpoint',
      'operator_id',
      'queue',
      'rang_at',
      'ring_sec',
      'outcome',
      'uniqueid',
      'hangup_cause',
    ],
    children.flatMap((c) =>
      c.attempts.map((a) => [
        a.call_id,
        a.seq,
        a.operator_endpoint,
        op(a.operator_endpoint),
        a.queue,
        a.rang_at,
        a.ring_sec,
        a.outcome,
        a.uniqueid,
        a.hangup_cause,
      ]),
    ),
  );
  await copyInto(
    client,
    'app.call_transfers',
    ['call_id', 'seq', 'kind', 'from_operator', 'to_target', 'at'],
    children.flatMap((c) =>
      c.transfers.map((t) => [t.call_id, t.seq, t.kind, t.from_operator, t.to_target, t.at]),
    ),
  );
  await copyInto(
    client,
    'app.call_segments',
    [
      'call_id',
      'seq',
      'operator_endpoint',
      'operator_id',
      'party',
      'started_at',
      'ended_at',
      'talk_sec',
      'hold_sec',
    ],
    children.flatMap((c) =>
      c.segments.map((s) => [
        s.call_id,
        s.seq,
        s.operator_endpoint,
        op(s.operator_endpoint),
        s.party,
        s.started_at,
        s.ended_at,
        s.talk_sec,
        s.hold_sec,
      ]),
    ),
  );
  await copyInto(
    client,
    'app.call_holds',
    ['call_id', 'seq', 'operator_endpoint', 'started_at', 'ended_at'],
    children.flatMap((c) =>
      c.holds.map((h) => [h.call_id, h.seq, h.operator_endpoint, h.started_at, h.ended_at]),
    ),
  );
  await copyInto(
    client,
    'app.call_linkedids',
    ['server_id', 'linkedid', 'call_id'],
    children.flatMap((c) => c.linkedids.map((l) => [l.server_id, l.linkedid, l.call_id])),
  );
}

/**
 * One absorbed card into the survivor's, field by field: what the survivor's card already says
 * stays (it is the call's own card), its empty fields take the absorbed card's values (category and
 * sub-category as a pair), differing notes are kept both (the survivor's first, a blank line
 * between), a callback needed on either is needed, and the card counts as changed at the later of
 * the two edits. Both cards may have been typed into while the call went on — e.g. 101's card of the
 * queue call and 102's of the consultation call an attended transfer merges into it — and neither
 * person's typing is lost.
 */
const FOLD_CARD = `
  UPDATE app.calls s SET
    purpose_id = COALESCE(s.purpose_id, a.purpose_id),
    category_id = COALESCE(s.category_id, a.category_id),
    subcategory_id = CASE WHEN s.category_id IS NULL THEN a.subcategory_id
      WHEN s.category_id = a.category_id THEN COALESCE(s.subcategory_id, a.subcategory_id)
      ELSE s.subcategory_id END,
    notes = CASE
      WHEN COALESCE(a.notes, '') = '' OR strpos(COALESCE(s.notes, ''), a.notes) > 0 THEN s.notes
      WHEN COALESCE(s.notes, '') = '' THEN a.notes
      ELSE s.notes || E'\n\n' || a.notes END,
    needs_callback = s.needs_callback OR a.needs_callback,
    resolved_first_call = COALESCE(s.resolved_first_call, a.resolved_first_call),
    card_completed_at = COALESCE(s.card_completed_at, a.card_completed_at),
    card_updated_by = CASE WHEN s.card_updated_at >= a.card_updated_at THEN s.card_updated_by
      ELSE a.card_updated_by END,
    card_updated_at = GREATEST(s.card_updated_at, a.card_updated_at)
  FROM app.calls a
  WHERE s.id = $1 AND a.id = $2`;

/**
 * Carries the cards of absorbed calls into the survivor's ({@link FOLD_CARD}, the latest edit
 * first) and their tags, then deletes them (facts tombstoned).
 */
async function absorb(client: pg.PoolClient, survivor: number, absorbed: readonly number[]): Promise<void> {
  const typed = await client.query<{ id: string }>(
    `SELECT id FROM app.calls WHERE id = ANY($1::bigint[]) AND card_updated_at IS NOT NULL
     ORDER BY card_updated_at DESC`,
    [absorbed],
  );
  for (const row of typed.rows) await client.query(FOLD_CARD, [survivor, row.id]);
  await client.query(
    `INSERT INTO app.call_tag_links (call_id, tag_id)
     SELECT $1, tag_id FROM app.call_tag_links WHERE call_id = ANY($2::bigint[]) ON CONFLICT DO NOTHING`,
    [survivor, absorbed],
  );
  await client.query(
    `INSERT INTO app.outbox (call_id, version, tombstone)
     SELECT id, version + 1, jsonb_build_object('server_id', server_id, 'linkedid', linkedid,
       'started_at', COALESCE(shipped_started_at, started_at), 'shipped_attempts', shipped_attempts,
       'shipped_segments', shipped_segments)
     FROM app.calls WHERE id = ANY($1::bigint[])`,
    [absorbed],
  );
  await client.query('DELETE FROM app.calls WHERE id = ANY($1::bigint[])', [absorbed]);
}

async function insertFresh(client: pg.PoolClient, fresh: readonly Call[], operators: OperatorIds) {
  const ids = await client.query<{ id: number }>(
    "SELECT nextval('app.calls_id_seq')::int AS id FROM generate_series(1, $1)",
    [fresh.length],
  );
  const written = fresh.map((call, i) => ({ id: ids.rows[i]!.id, call }));
  await copyInto(
    client,
    'app.calls',
    ['id', ...DERIVED_COLUMNS, 'operator_id'],
    written.map(({ id, call }) => {
      const record = callRecord(call);
      return [
        id,
        ...DERIVED_COLUMNS.map((c) => record[c] as CopyValue),
        call.operator === null ? null : (operators.get(call.operator) ?? null),
      ];
    }),
  );
  await copyInto(
    client,
    'app.outbox',
    ['call_id', 'version'],
    written.map((w) => [w.id, 1]),
  );
  return written;
}

async function updateChanged(
  client: pg.PoolClient,
  changed: readonly { id: number; call: Call }[],
  operators: OperatorIds,
) {
  const records = changed.map(({ id, call }) => ({
    ...callRecord(call),
    id,
    operator_id: call.operator === null ? null : (operators.get(call.operator) ?? null),
  }));
  const set = [...DERIVED_COLUMNS, 'operator_id'].map((c) => `${c} = x.${c}`).join(', ');
  const ids = changed.map((c) => c.id);
  await client.query(
    `UPDATE app.calls c SET ${set}, version = c.version + 1, updated_at = now()
     FROM jsonb_populate_recordset(NULL::app.calls, $1::jsonb) x WHERE c.id = x.id`,
    [JSON.stringify(records)],
  );
  for (const table of CHILD_TABLES)
    await client.query(`DELETE FROM app.${table} WHERE call_id = ANY($1::bigint[])`, [ids]);
  await client.query(
    'INSERT INTO app.outbox (call_id, version) SELECT id, version FROM app.calls WHERE id = ANY($1::bigint[])',
    [ids],
  );
}

/**
 * Queues first seen in calls get a row in app.queues (display name = Asterisk name, default time
 * zone and service-level threshold) for admins to adjust; existing rows are left alone.
 */
async function registerQueues(client: pg.PoolClient, serverId: string, written: readonly { call: Call }[]) {
  const queues = [...new Set(written.flatMap((w) => w.call.queues))];
  if (queues.length === 0) return;
  await client.query(
    `INSERT INTO app.queues (server_id, name, display_name)
     SELECT $1, q, q FROM unnest($2::text[]) AS q ON CONFLICT (server_id, name) DO NOTHING`,
    [serverId, queues],
  );
}

/**
 * Writes reconciled calls of one server inside the caller's transaction: inserts new calls,
 * updates changed ones (derived columns only, never the card), merges calls a re-derivation joined
 * (the absorbed calls' cards folded into the survivor's), replaces their
 * attempts, transfers, segments and holds, registers new queues and queues every changed call in
 * the outbox. Returns what it did.
 */
export async function writeCalls(
  client: pg.PoolClient,
  serverId: string,
  calls: readonly Call[],
  operators: OperatorIds,
): Promise<WriteCallsResult> {
  const result: WriteCallsResult = { inserted: 0, updated: 0, unchanged: 0, merged: 0, written: [] };
  if (calls.length === 0) return result;
  const existing = await findExisting(client, serverId, calls);
  const fresh: Call[] = [];
  const changed: { id: number; call: Call }[] = [];
  for (const call of calls) {
    const matches = [...new Set(call.linkedids.map((l) => existing.get(l)).filter((m) => m !== undefined))];
    if (matches.length === 0) {
      fresh.push(call);
      continue;
    }
    const own =
      matches.find((m) => m.linkedid === call.linkedid) ?? matches.sort((a, b) => a.call_id - b.call_id)[0]!;
    const others = [...new Set(matches.map((m) => m.call_id))].filter((id) => id !== own.call_id);
    if (others.length > 0) {
      await absorb(client, own.call_id, others);
      result.merged += others.length;
    }
    if (own.derived_hash === callRecord(call).derived_hash && others.length === 0) result.unchanged++;
    else changed.push({ id: own.call_id, call });
  }
  if (fresh.length > 0) result.written.push(...(await insertFresh(client, fresh, operators)));
  if (changed.length > 0) {
    await updateChanged(client, changed, operators);
    result.written.push(...changed);
  }
  result.inserted = fresh.length;
  result.updated = changed.length;
  await insertChildren(client, result.written, operators);
  await registerQueues(client, serverId, result.written);
  return result;
}
