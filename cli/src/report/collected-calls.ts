import type { Database } from '@callcenter/platform/database';
import { type Kysely, sql } from 'kysely';

/** A call as the main job's summary shows it (one row per call, children summarised). */
export interface CollectedCall {
  server_id: string;
  linkedid: string;
  started_at: Date;
  direction: string;
  status: string;
  queue: string | null;
  operator_endpoint: string | null;
  src_number: string | null;
  dst_number: string | null;
  wait_sec: number;
  queue_wait_sec: number | null;
  talk_sec: number;
  hold_sec: number;
  attempts: number;
  missed_attempts: number;
  transfers: string[];
  recording_path: string | null;
  closed_by: string | null;
}

/** The most recent `limit` calls (oldest first), with attempt counts and transfer summaries. */
export async function recentCalls(db: Kysely<Database>, limit: number): Promise<CollectedCall[]> {
  const result = await sql<CollectedCall>`
    SELECT * FROM (
      SELECT c.server_id, c.linkedid, c.started_at, c.direction, c.status, c.queue, c.operator_endpoint,
        c.src_number, c.dst_number, c.wait_sec, c.queue_wait_sec, c.talk_sec, c.hold_sec, c.recording_path, c.closed_by,
        (SELECT count(*)::int FROM app.call_attempts a WHERE a.call_id = c.id) AS attempts,
        (SELECT count(*)::int FROM app.call_attempts a WHERE a.call_id = c.id
           AND a.outcome IN ('no_answer', 'busy', 'declined')) AS missed_attempts,
        COALESCE((SELECT array_agg(t.kind || '→' || COALESCE(t.to_target, '?') ORDER BY t.seq)
           FROM app.call_transfers t WHERE t.call_id = c.id), '{}') AS transfers
      FROM app.calls c WHERE c.reconciler_version <> 'provisional'
      ORDER BY c.started_at DESC, c.id DESC LIMIT ${limit}
    ) recent ORDER BY started_at, linkedid`.execute(db);
  return result.rows;
}

/**
 * Every inbound call that entered a queue: the input of per-queue totals. Here and in the counts,
 * provisional live cards (calls still ringing, sql/postgres/007) are not collected calls.
 */
export async function queueCalls(db: Kysely<Database>) {
  return db
    .selectFrom('app.calls')
    .select(['queue', 'status', 'queue_wait_sec', 'talk_sec', 'hold_sec'])
    .where('reconciler_version', '<>', 'provisional')
    .where('direction', '=', 'inbound')
    .where('queue', 'is not', null)
    .execute();
}

/** How many calls the collector has written (provisional live cards not counted). */
export async function countCalls(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('app.calls')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('reconciler_version', '<>', 'provisional')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
