import { SERVICE_LEVEL_DEFAULT_SEC, SHORT_ABANDON_SEC } from '@callcenter/analytics/aggregate';
import type { Database } from '@callcenter/platform/database';
import { type Kysely, sql } from 'kysely';
import { MEMBERSHIP_HISTORY_DAYS } from '../../presence/queue-membership.ts';

/**
 * What the wallboard reads from PostgreSQL (every queue and operator, unscoped: the wallboard
 * service filters per user in memory, with the rules of scope/call-scope.ts and
 * presence/queue-membership.ts):
 *
 * - queue settings (app.queues: display name, time zone, service-level threshold T);
 * - today's figures per queue, **since midnight in the queue's zone**, with the definitions of
 *   docs/metrics.md: offered = inbound calls whose first queue is the queue; answered / abandoned
 *   by `status`; service level = answered within T / (offered − short abandons); ASA = mean queue
 *   wait of the answered calls that have one. Read from app.calls (the reconciled calls the facts
 *   are shipped from, so the figures do not wait for the outbox); provisional cards are left out
 *   as everywhere in the reports;
 * - operators with their recorded presence (app.operator_presence), the queues each serves
 *   (app.queue_members ∪ the queues that rang them in the last MEMBERSHIP_HISTORY_DAYS days), and
 *   today's calls and talk (app.call_segments since midnight in the zone of their first queue);
 * - the calls still ringing or talking as provisional cards (README.md "Live calls"): the live
 *   state when no AMI session is up, timed by CEL (or ARI) as the collector sees it.
 */

/** A queue's settings (defaults for a queue Asterisk reports but app.queues does not list yet). */
export interface WallboardQueueRow {
  serverId: string;
  queue: string;
  name: string;
  timeZone: string;
  serviceLevelSec: number;
}

/** Today's figures of one queue. */
export interface QueueToday {
  offered: number;
  answered: number;
  abandoned: number;
  /** 0..1, null when offered − short abandons is 0. */
  serviceLevel: number | null;
  /** Seconds, null without an answered call with a queue wait. */
  asaSec: number | null;
}

/** An operator with presence, queues and today's work. */
export interface WallboardOperatorRow {
  operatorId: number;
  serverId: string;
  endpoint: string;
  name: string;
  presence: 'available' | 'paused' | 'offline';
  reason: string | null;
  reasonLabel: string | null;
  /** Epoch ms the recorded presence began. */
  presenceSince: number;
  queues: string[];
  callsToday: number;
  talkTodaySec: number;
}

/** A call on a provisional card: ringing operators, or one talking. */
export interface ProvisionalCallRow {
  serverId: string;
  callId: number;
  queue: string | null;
  callerNumber: string | null;
  /** Epoch ms. */
  startedAt: number;
  answeredAt: number | null;
  /** The answering operator, or null while ringing. */
  operator: string | null;
  /** Endpoints still ringing for it, with the ring's epoch ms. */
  ringing: { endpoint: string; rangAt: number }[];
}

export const DEFAULT_TIME_ZONE = 'Europe/Moscow';

const key = (serverId: string, queue: string) => `${serverId}\u0000${queue}`;

/** Every queue of app.queues, by `server\0queue`. */
export async function readQueues(db: Kysely<Database>): Promise<Map<string, WallboardQueueRow>> {
  const rows = await db
    .selectFrom('app.queues')
    .select(['server_id', 'name', 'display_name', 'time_zone', 'service_level_sec'])
    .execute();
  return new Map(
    rows.map((r) => [
      key(r.server_id, r.name),
      {
        serverId: r.server_id,
        queue: r.name,
        name: r.display_name,
        timeZone: r.time_zone,
        serviceLevelSec: r.service_level_sec ?? SERVICE_LEVEL_DEFAULT_SEC,
      },
    ]),
  );
}

/** Today's figures of every queue of app.queues (docs/metrics.md), by `server\0queue`. */
export async function readQueueToday(db: Kysely<Database>): Promise<Map<string, QueueToday>> {
  const { rows } = await sql<{
    server_id: string;
    queue: string;
    offered: string;
    answered: string;
    abandoned: string;
    short_abandoned: string;
    answered_in_sl: string;
    asa: number | null;
  }>`
    SELECT q.server_id, q.name AS queue,
           count(*) AS offered,
           count(*) FILTER (WHERE c.status = 'answered') AS answered,
           count(*) FILTER (WHERE c.status = 'abandoned') AS abandoned,
           count(*) FILTER (WHERE c.status = 'abandoned' AND c.queue_wait_sec < ${SHORT_ABANDON_SEC})
             AS short_abandoned,
           count(*) FILTER (WHERE c.status = 'answered' AND c.queue_wait_sec <= q.service_level_sec)
             AS answered_in_sl,
           avg(c.queue_wait_sec) FILTER (WHERE c.status = 'answered' AND c.queue_wait_sec IS NOT NULL) AS asa
    FROM app.queues q
    JOIN app.calls c ON c.server_id = q.server_id AND c.queue = q.name
    WHERE c.direction = 'inbound' AND c.reconciler_version <> 'provisional'
      AND c.started_at >= (date_trunc('day', now() AT TIME ZONE q.time_zone) AT TIME ZONE q.time_zone)
    GROUP BY q.server_id, q.name`.execute(db);
  const out = new Map<string, QueueToday>();
  for (const r of rows) {
    const offered = Number(r.offered);
    const base = offered - Number(r.short_abandoned);
    out.set(key(r.server_id, r.queue), {
      offered,
      answered: Number(r.answered),
      abandoned: Number(r.abandoned),
      serviceLevel: base > 0 ? Number(r.answered_in_sl) / base : null,
      asaSec: r.asa === null ? null : Number(r.asa),
    });
  }
  return out;
}

/** Active operators with presence, queues and today's calls and talk (in their first queue's zone). */
export async function readOperators(db: Kysely<Database>): Promise<WallboardOperatorRow[]> {
  const { rows } = await sql<{
    id: string | number;
    server_id: string;
    endpoint: string;
    name: string;
    created_at: Date;
    state: 'available' | 'paused' | 'offline' | null;
    reason_code: string | null;
    label: string | null;
    started_at: Date | null;
    queues: string[] | null;
    calls_today: string | null;
    talk_today: number | null;
  }>`
    WITH ops AS (
      SELECT o.*,
        ARRAY(
          SELECT qm.queue FROM app.queue_members qm
          WHERE qm.server_id = o.server_id AND qm.endpoint = o.endpoint
          UNION
          SELECT a.queue FROM app.call_attempts a JOIN app.calls c ON c.id = a.call_id
          WHERE a.operator_endpoint = o.endpoint AND a.queue IS NOT NULL AND c.server_id = o.server_id
            AND a.rang_at > now() - make_interval(days => ${MEMBERSHIP_HISTORY_DAYS})
          ORDER BY 1) AS queues
      FROM app.operators o WHERE o.active
    ), zoned AS (
      SELECT ops.*, coalesce(
        (SELECT q.time_zone FROM app.queues q
         WHERE q.server_id = ops.server_id AND q.name = ANY(ops.queues) ORDER BY q.name LIMIT 1),
        ${DEFAULT_TIME_ZONE}) AS zone
      FROM ops
    )
    SELECT z.id, z.server_id, z.endpoint, z.name, z.created_at, z.queues,
           p.state, p.reason_code, r.label, p.started_at,
           t.calls_today, t.talk_today
    FROM zoned z
    LEFT JOIN app.operator_presence p ON p.operator_id = z.id AND p.ended_at IS NULL
    LEFT JOIN app.presence_reasons r ON r.code = p.reason_code
    LEFT JOIN LATERAL (
      SELECT count(DISTINCT s.call_id) AS calls_today, sum(s.talk_sec) AS talk_today
      FROM app.call_segments s JOIN app.calls c ON c.id = s.call_id
      WHERE s.operator_endpoint = z.endpoint AND c.server_id = z.server_id AND s.talk_sec > 0
        AND s.started_at >= (date_trunc('day', now() AT TIME ZONE z.zone) AT TIME ZONE z.zone)
    ) t ON true
    ORDER BY z.server_id, z.endpoint`.execute(db);
  return rows.map((r) => ({
    operatorId: Number(r.id),
    serverId: r.server_id,
    endpoint: r.endpoint,
    name: r.name,
    presence: r.state ?? 'offline',
    reason: r.reason_code,
    reasonLabel: r.label,
    presenceSince: (r.started_at ?? r.created_at).getTime(),
    queues: r.queues ?? [],
    callsToday: Number(r.calls_today ?? 0),
    talkTodaySec: Number(r.talk_today ?? 0),
  }));
}

/**
 * Provisional cards of the last hour still ringing (status `ringing`): the calls the collector or
 * ARI saw ring an operator and that CEL has not closed yet. A card whose operator is set was
 * answered (provisional-cards.ts).
 */
export async function readProvisionalCalls(db: Kysely<Database>): Promise<ProvisionalCallRow[]> {
  const { rows } = await sql<{
    id: string | number;
    server_id: string;
    queue: string | null;
    caller_number: string | null;
    started_at: Date;
    answered_at: Date | null;
    operator_endpoint: string | null;
    ringing: { endpoint: string; rang_at: string }[] | null;
  }>`
    SELECT c.id, c.server_id, c.queue, c.src_number AS caller_number, c.started_at, c.answered_at, c.operator_endpoint,
      (SELECT json_agg(json_build_object('endpoint', a.operator_endpoint, 'rang_at', a.rang_at))
       FROM app.call_attempts a WHERE a.call_id = c.id AND a.outcome = 'ringing') AS ringing
    FROM app.calls c
    WHERE c.reconciler_version = 'provisional' AND c.status = 'ringing'
      AND c.started_at > now() - interval '1 hour'
    ORDER BY c.started_at`.execute(db);
  return rows.map((r) => ({
    serverId: r.server_id,
    callId: Number(r.id),
    queue: r.queue,
    callerNumber: r.caller_number,
    startedAt: r.started_at.getTime(),
    answeredAt: r.answered_at?.getTime() ?? null,
    operator: r.operator_endpoint,
    ringing: (r.ringing ?? []).map((x) => ({ endpoint: x.endpoint, rangAt: Date.parse(x.rang_at) })),
  }));
}

export { key as queueKey };
