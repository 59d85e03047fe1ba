import type { Stores } from '@callcenter/platform/stores';
import { sql } from 'kysely';

/** Stored calls as comparable plain objects (ids and timestamps of writing left out). */
export async function storedCalls(stores: Stores) {
  const rows = await sql<Record<string, unknown>>`
    SELECT c.server_id, c.linkedid, c.linkedids, c.direction, c.status, c.started_at, c.answered_at, c.ended_at,
      c.duration_sec, c.wait_sec, c.queue_wait_sec, c.talk_sec, c.hold_sec, c.src_number, c.dst_number, c.did,
      c.queue, c.operator_endpoint, c.recording_path, c.closed_by, c.flags, c.version,
      COALESCE((SELECT json_agg(json_build_object('operator', a.operator_endpoint, 'queue', a.queue,
        'outcome', a.outcome, 'ring_sec', a.ring_sec) ORDER BY a.seq) FROM app.call_attempts a WHERE a.call_id = c.id), '[]') AS attempts,
      COALESCE((SELECT json_agg(json_build_object('kind', t.kind, 'from', t.from_operator, 'to', t.to_target) ORDER BY t.seq)
        FROM app.call_transfers t WHERE t.call_id = c.id), '[]') AS transfers,
      COALESCE((SELECT json_agg(json_build_object('operator', s.operator_endpoint, 'talk', s.talk_sec, 'hold', s.hold_sec) ORDER BY s.seq)
        FROM app.call_segments s WHERE s.call_id = c.id), '[]') AS segments
    FROM app.calls c ORDER BY c.started_at, c.linkedid`.execute(stores.postgres.db);
  return rows.rows;
}

export interface FactRow {
  linkedid: string;
  status: string;
  direction: string;
  queue: string;
  operator: string;
  talk_sec: number;
  hold_sec: number;
  attempts: number;
  missed_attempts: number;
  version: string;
}

export async function callFacts(stores: Stores): Promise<FactRow[]> {
  const result = await stores.clickhouse.query({
    query: `SELECT linkedid, status, direction, queue, operator, talk_sec, hold_sec, attempts, missed_attempts, toString(version) AS version
            FROM call_facts FINAL ORDER BY started_at, linkedid`,
    format: 'JSONEachRow',
  });
  return result.json<FactRow>();
}

export async function attemptFactCount(stores: Stores): Promise<number> {
  const result = await stores.clickhouse.query({
    query: 'SELECT count() AS n FROM attempt_facts FINAL',
    format: 'JSONEachRow',
  });
  return Number((await result.json<{ n: string }>())[0]!.n);
}
