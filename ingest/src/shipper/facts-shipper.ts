import type { Database } from '@callcenter/platform/database';
import type { ClickHouseClient } from '@clickhouse/client';
import { type Kysely, sql, type Transaction } from 'kysely';
import {
  attemptFact,
  attemptTombstone,
  callFact,
  callTombstone,
  type FactKey,
  SHIPPED_CALL_COLUMNS,
  type ShippableAttempt,
  type ShippableCall,
  type ShippableSegment,
  segmentFact,
  segmentTombstone,
} from './fact-rows.ts';

/**
 * Ships the outbox to ClickHouse: each queued call's current row, attempts and talk segments go to
 * call_facts / attempt_facts / segment_facts with the call's version, then its outbox entries are
 * deleted, in the transaction that claimed them. At-least-once: a crash between the ClickHouse
 * insert and the commit re-ships the same version, which ReplacingMergeTree collapses (shipping the same version twice changes nothing).
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
async function loadShippable(db: Kysely<Database> | Transaction<Database>, callIds: readonly number[]) {
  if (callIds.length === 0) return { calls: [], attempts: new Map(), segments: new Map() };
  const calls = (
    await sql<ShippableCall>`
      SELECT ${sql.join(SHIPPED_CALL_COLUMNS.map((column) => sql.ref(`c.${column}`)))}, p.name AS purpose, k.name AS category, s.name AS subcategory,
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
 * Ships up to `limit` outbox entries in one Postgres transaction that claims them
 * (`FOR UPDATE SKIP LOCKED`: a concurrent shipper skips them, and a crash before the commit
 * leaves them queued). `servers` limits it to entries of those servers' calls (a merge tombstone
 * carries its server_id); unset = the whole outbox. `outboxIds` = entries claimed.
 */
export async function shipOutboxBatch(
  db: Kysely<Database>,
  clickhouse: ClickHouseClient,
  limit = 5000,
  afterInsert?: () => void,
  servers?: readonly string[],
): Promise<ShipResult & { outboxIds: number }> {
  return db.transaction().execute((trx) => shipClaimed(trx, clickhouse, limit, afterInsert, servers));
}

async function shipClaimed(
  db: Transaction<Database>,
  clickhouse: ClickHouseClient,
  limit: number,
  afterInsert: (() => void) | undefined,
  servers: readonly string[] | undefined,
): Promise<ShipResult & { outboxIds: number }> {
  const serverFilter = servers
    ? sql`AND (o.tombstone->>'server_id' = ANY(${servers}::text[])
        OR EXISTS (SELECT 1 FROM app.calls c WHERE c.id = o.call_id AND c.server_id = ANY(${servers}::text[])))`
    : sql``;
  const entries = (
    await sql<{ id: number; call_id: number; version: number; tombstone: unknown }>`
      SELECT o.id, o.call_id, o.version, o.tombstone FROM app.outbox o
      WHERE true ${serverFilter}
      ORDER BY o.id LIMIT ${limit}
      FOR UPDATE OF o SKIP LOCKED`.execute(db)
  ).rows;
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

  await db
    .deleteFrom('app.outbox')
    .where(
      'id',
      'in',
      entries.map((e) => e.id),
    )
    .execute();
  if (calls.length > 0)
    await sql`UPDATE app.calls c SET shipped_attempts = x.a, shipped_segments = x.s, shipped_started_at = c.started_at
      FROM unnest(${calls.map((c) => c.id)}::bigint[], ${calls.map((c) => attempts.get(c.id)?.length ?? 0)}::int[],
                  ${calls.map((c) => segments.get(c.id)?.length ?? 0)}::int[]) AS x(id, a, s)
      WHERE c.id = x.id`.execute(db);
  result.calls = calls.length;
  return result;
}

/**
 * Ships until no unclaimed entry (of `servers`' calls, when given) is left. Returns the totals.
 * `afterInsert` is a test seam (crash point).
 */
export async function drainOutbox(
  db: Kysely<Database>,
  clickhouse: ClickHouseClient,
  limit = 5000,
  afterInsert?: () => void,
  servers?: readonly string[],
): Promise<ShipResult> {
  const total: ShipResult = { calls: 0, attempts: 0, segments: 0, tombstones: 0 };
  for (;;) {
    const batch = await shipOutboxBatch(db, clickhouse, limit, afterInsert, servers);
    total.calls += batch.calls;
    total.attempts += batch.attempts;
    total.segments += batch.segments;
    total.tombstones += batch.tombstones;
    if (batch.outboxIds < limit) return total;
  }
}
