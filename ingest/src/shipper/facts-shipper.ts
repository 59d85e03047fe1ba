import type { Database } from '@callcenter/platform/database';
import type { ClickHouseClient } from '@clickhouse/client';
import { type Kysely, sql } from 'kysely';
import {
  attemptFact,
  attemptTombstone,
  callFact,
  callTombstone,
  type FactKey,
  type ShippableAttempt,
  type ShippableCall,
  type ShippableSegment,
  segmentFact,
  segmentTombstone,
} from './fact-rows.ts';

/**
 * Ships the outbox to ClickHouse: each queued call's current row, attempts and talk segments go to
 * call_facts / attempt_facts / segment_facts with the call's version, then its outbox entries are
 * deleted. At-least-once: a crash between the ClickHouse insert and the delete re-ships the same
 * version, which ReplacingMergeTree collapses (shipping the same version twice changes nothing).
 * Rows that no longer exist go out as tombstones (is_deleted = 1): attempts/segments beyond a new
 * count, every row under a previous day when a re-derivation moved started_at (the day is part of
 * the sorting key), and all rows of a call deleted by a merge.
 */

export interface ShipResult {
  calls: number;
  attempts: number;
  segments: number;
  tombstones: number;
}

const INSERT_SETTINGS = { date_time_input_format: 'best_effort' } as const;

interface MergeTombstone {
  server_id: string;
  linkedid: string;
  started_at: string;
  shipped_attempts: number;
  shipped_segments?: number;
}

const utcDay = (iso: string) => iso.slice(0, 10);

function byCall<T extends { call_id: number }>(rows: readonly T[]): Map<number, T[]> {
  const map = new Map<number, T[]>();
  for (const row of rows) {
    const list = map.get(row.call_id);
    if (list) list.push(row);
    else map.set(row.call_id, [row]);
  }
  return map;
}

/** Facts to ship for the given outbox entries. */
async function loadShippable(db: Kysely<Database>, callIds: readonly number[]) {
  if (callIds.length === 0) return { calls: [], attempts: new Map(), segments: new Map() };
  const calls = (
    await sql<ShippableCall>`
      SELECT c.id, c.server_id, c.linkedid, c.direction, c.status, c.started_at, c.answered_at, c.ended_at,
        c.duration_sec, c.wait_sec, c.queue_wait_sec, c.talk_sec, c.hold_sec, c.src_number, c.dst_number, c.did,
        c.queue, c.operator_endpoint, c.hung_up_by, c.recording_path, c.closed_by, c.reconciler_version, c.version,
        c.shipped_attempts, c.shipped_segments, c.shipped_started_at, c.needs_callback, c.resolved_first_call,
        c.card_completed_at, p.name AS purpose, k.name AS category, s.name AS subcategory,
        (SELECT count(*)::int FROM app.call_transfers t WHERE t.call_id = c.id) AS transfers
      FROM app.calls c
      LEFT JOIN app.call_purposes p ON p.id = c.purpose_id
      LEFT JOIN app.call_categories k ON k.id = c.category_id
      LEFT JOIN app.call_subcategories s ON s.id = c.subcategory_id
      WHERE c.id = ANY(${callIds}::bigint[])
        -- Provisional live cards (sql/postgres/007) never become facts; their outbox entries (a
        -- card edit while ringing) are dropped, and the CEL-derived version is queued anyway.
        AND c.reconciler_version <> 'provisional'`.execute(db)
  ).rows;
  const attempts = await db
    .selectFrom('app.call_attempts')
    .select(['call_id', 'seq', 'operator_endpoint', 'queue', 'rang_at', 'ring_sec', 'outcome'])
    .where('call_id', 'in', callIds)
    .orderBy('call_id')
    .orderBy('seq')
    .execute();
  const segments = await db
    .selectFrom('app.call_segments')
    .select(['call_id', 'seq', 'operator_endpoint', 'started_at', 'talk_sec', 'hold_sec'])
    .where('call_id', 'in', callIds)
    .orderBy('call_id')
    .orderBy('seq')
    .execute();
  return {
    calls,
    attempts: byCall(attempts as ShippableAttempt[]),
    segments: byCall(segments as ShippableSegment[]),
  };
}

/**
 * Ships up to `limit` outbox entries (oldest first): inserts the current rows of their calls into
 * call_facts, attempt_facts and segment_facts, tombstones for rows a call no longer has (and for
 * calls absorbed by a merge or moved to another day), then deletes the entries. At-least-once: a
 * crash before the delete ships them again and ReplacingMergeTree keeps one. `afterInsert` is a
 * test hook. Returns the counts and how many entries were read.
 */
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
  const result = { calls: 0, attempts: 0, segments: 0, tombstones: 0, outboxIds: entries.length };
  if (entries.length === 0) return result;

  const liveIds = [...new Set(entries.filter((e) => !e.tombstone).map((e) => e.call_id))];
  const { calls, attempts, segments } = await loadShippable(db, liveIds);
  const rows = {
    call_facts: [] as unknown[],
    attempt_facts: [] as unknown[],
    segment_facts: [] as unknown[],
  };
  const bury = (
    key: FactKey,
    version: number,
    call: boolean,
    attemptSeqs: [number, number],
    segmentSeqs: [number, number],
  ) => {
    if (call) rows.call_facts.push(callTombstone(key, version));
    for (let seq = attemptSeqs[0]; seq < attemptSeqs[1]; seq++)
      rows.attempt_facts.push(attemptTombstone(key, seq, version));
    for (let seq = segmentSeqs[0]; seq < segmentSeqs[1]; seq++)
      rows.segment_facts.push(segmentTombstone(key, seq, version));
    result.tombstones +=
      (call ? 1 : 0) +
      Math.max(0, attemptSeqs[1] - attemptSeqs[0]) +
      Math.max(0, segmentSeqs[1] - segmentSeqs[0]);
  };

  for (const call of calls) {
    const own = attempts.get(call.id) ?? [];
    const talk = segments.get(call.id) ?? [];
    rows.call_facts.push(callFact(call, own));
    for (const a of own) rows.attempt_facts.push(attemptFact(call, a));
    for (const s of talk) rows.segment_facts.push(segmentFact(call, s));
    result.attempts += own.length;
    result.segments += talk.length;
    const startedAt = call.started_at.toISOString();
    const previous = call.shipped_started_at?.toISOString();
    if (previous && utcDay(previous) !== utcDay(startedAt)) {
      bury(
        { ...call, started_at: previous, call_id: call.id },
        call.version,
        true,
        [0, call.shipped_attempts],
        [0, call.shipped_segments],
      );
    } else {
      const key = { ...call, started_at: startedAt, call_id: call.id };
      bury(
        key,
        call.version,
        false,
        [own.length, call.shipped_attempts],
        [talk.length, call.shipped_segments],
      );
    }
  }
  for (const entry of entries) {
    const t = entry.tombstone as MergeTombstone | null;
    if (!t) continue;
    const key = { ...t, started_at: new Date(t.started_at).toISOString(), call_id: entry.call_id };
    bury(key, entry.version, true, [0, t.shipped_attempts], [0, t.shipped_segments ?? 0]);
  }

  for (const [table, values] of Object.entries(rows)) {
    if (values.length)
      await clickhouse.insert({ table, values, format: 'JSONEachRow', clickhouse_settings: INSERT_SETTINGS });
  }
  afterInsert?.();

  await db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom('app.outbox')
      .where(
        'id',
        'in',
        entries.map((e) => e.id),
      )
      .execute();
    if (calls.length === 0) return;
    await sql`UPDATE app.calls c SET shipped_attempts = x.a, shipped_segments = x.s, shipped_started_at = c.started_at
      FROM unnest(${calls.map((c) => c.id)}::bigint[], ${calls.map((c) => attempts.get(c.id)?.length ?? 0)}::int[],
                  ${calls.map((c) => segments.get(c.id)?.length ?? 0)}::int[]) AS x(id, a, s)
      WHERE c.id = x.id`.execute(trx);
  });
  result.calls = calls.length;
  return result;
}

/** Ships until the outbox is empty. Returns the totals. `afterInsert` is a test seam (crash point). */
export async function drainOutbox(
  db: Kysely<Database>,
  clickhouse: ClickHouseClient,
  limit = 5000,
  afterInsert?: () => void,
): Promise<ShipResult> {
  const total: ShipResult = { calls: 0, attempts: 0, segments: 0, tombstones: 0 };
  for (;;) {
    const batch = await shipOutboxBatch(db, clickhouse, limit, afterInsert);
    total.calls += batch.calls;
    total.attempts += batch.attempts;
    total.segments += batch.segments;
    total.tombstones += batch.tombstones;
    if (batch.outboxIds < limit) return total;
  }
}
