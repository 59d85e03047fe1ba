import type { ClickHouseClient } from '@clickhouse/client';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/database.ts';
import {
  attemptFact,
  attemptTombstone,
  callFact,
  callTombstone,
  type ShippableAttempt,
  type ShippableCall,
} from './fact-rows.ts';

/**
 * Ships the outbox to ClickHouse: each queued call's current row (and its attempts) goes to
 * call_facts / attempt_facts with the call's version, then its outbox entries are deleted.
 * At-least-once: a crash between the ClickHouse insert and the delete re-ships the same version,
 * which ReplacingMergeTree collapses (shipping the same version twice changes nothing).
 * Attempts beyond a call's new count, and calls deleted by a merge, are shipped as tombstones.
 */

export interface ShipResult {
  calls: number;
  attempts: number;
  tombstones: number;
}

const INSERT_SETTINGS = { date_time_input_format: 'best_effort' } as const;

interface Tombstone {
  server_id: string;
  linkedid: string;
  started_at: string;
  shipped_attempts: number;
}

export async function shipOutboxBatch(
  db: Kysely<Database>,
  clickhouse: ClickHouseClient,
  limit = 5000,
  afterInsert?: () => void,
): Promise<ShipResult & { outboxIds: number }> {
  const entries = await db
    .selectFrom('app.outbox')
    .select(['id', 'call_id', 'version', 'tombstone'])
    .orderBy('id')
    .limit(limit)
    .execute();
  const result = { calls: 0, attempts: 0, tombstones: 0, outboxIds: entries.length };
  if (entries.length === 0) return result;

  const liveIds = [...new Set(entries.filter((e) => !e.tombstone).map((e) => e.call_id))];
  const calls = liveIds.length
    ? (
        await sql<ShippableCall>`
          SELECT c.id, c.server_id, c.linkedid, c.direction, c.status, c.started_at, c.answered_at, c.ended_at,
            c.duration_sec, c.wait_sec, c.queue_wait_sec, c.talk_sec, c.hold_sec, c.src_number, c.dst_number, c.did,
            c.queue, c.operator_endpoint, c.hung_up_by, c.recording_path, c.closed_by, c.reconciler_version, c.version,
            c.shipped_attempts, c.needs_callback, c.resolved_first_call, c.card_completed_at,
            p.name AS purpose, k.name AS category, s.name AS subcategory,
            (SELECT count(*)::int FROM app.call_transfers t WHERE t.call_id = c.id) AS transfers
          FROM app.calls c
          LEFT JOIN app.call_purposes p ON p.id = c.purpose_id
          LEFT JOIN app.call_categories k ON k.id = c.category_id
          LEFT JOIN app.call_subcategories s ON s.id = c.subcategory_id
          WHERE c.id = ANY(${liveIds}::bigint[])`.execute(db)
      ).rows
    : [];
  const attempts = liveIds.length
    ? await db
        .selectFrom('app.call_attempts')
        .select(['call_id', 'seq', 'operator_endpoint', 'queue', 'rang_at', 'ring_sec', 'outcome'])
        .where('call_id', 'in', liveIds)
        .orderBy('call_id')
        .orderBy('seq')
        .execute()
    : [];
  const attemptsByCall = new Map<number, ShippableAttempt[]>();
  for (const a of attempts as ShippableAttempt[]) {
    const list = attemptsByCall.get(a.call_id);
    if (list) list.push(a);
    else attemptsByCall.set(a.call_id, [a]);
  }

  const callRows: unknown[] = [];
  const attemptRows: unknown[] = [];
  for (const call of calls) {
    const own = attemptsByCall.get(call.id) ?? [];
    callRows.push(callFact(call, own));
    for (const a of own) attemptRows.push(attemptFact(call, a));
    const key = { ...call, started_at: call.started_at.toISOString(), call_id: call.id };
    for (let seq = own.length; seq < call.shipped_attempts; seq++) {
      attemptRows.push(attemptTombstone(key, seq, call.version));
      result.tombstones++;
    }
  }
  for (const entry of entries) {
    const t = entry.tombstone as Tombstone | null;
    if (!t) continue;
    const key = { ...t, started_at: new Date(t.started_at).toISOString(), call_id: entry.call_id };
    callRows.push(callTombstone(key, entry.version));
    for (let seq = 0; seq < t.shipped_attempts; seq++)
      attemptRows.push(attemptTombstone(key, seq, entry.version));
    result.tombstones += 1 + t.shipped_attempts;
  }

  if (callRows.length) {
    await clickhouse.insert({
      table: 'call_facts',
      values: callRows,
      format: 'JSONEachRow',
      clickhouse_settings: INSERT_SETTINGS,
    });
  }
  if (attemptRows.length) {
    await clickhouse.insert({
      table: 'attempt_facts',
      values: attemptRows,
      format: 'JSONEachRow',
      clickhouse_settings: INSERT_SETTINGS,
    });
  }

  afterInsert?.();
  const recount = calls.filter((c) => (attemptsByCall.get(c.id)?.length ?? 0) !== c.shipped_attempts);
  await db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom('app.outbox')
      .where(
        'id',
        'in',
        entries.map((e) => e.id),
      )
      .execute();
    if (recount.length === 0) return;
    const ids = recount.map((c) => c.id);
    const counts = recount.map((c) => attemptsByCall.get(c.id)?.length ?? 0);
    await sql`UPDATE app.calls c SET shipped_attempts = x.n
      FROM unnest(${ids}::bigint[], ${counts}::int[]) AS x(id, n) WHERE c.id = x.id`.execute(trx);
  });
  result.calls = calls.length;
  result.attempts = attempts.length;
  return result;
}

/** Ships until the outbox is empty. Returns the totals. `afterInsert` is a test seam (crash point). */
export async function drainOutbox(
  db: Kysely<Database>,
  clickhouse: ClickHouseClient,
  limit = 5000,
  afterInsert?: () => void,
): Promise<ShipResult> {
  const total: ShipResult = { calls: 0, attempts: 0, tombstones: 0 };
  for (;;) {
    const batch = await shipOutboxBatch(db, clickhouse, limit, afterInsert);
    total.calls += batch.calls;
    total.attempts += batch.attempts;
    total.tombstones += batch.tombstones;
    if (batch.outboxIds < limit) return total;
  }
}
