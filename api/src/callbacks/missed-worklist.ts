import type { Database } from '@callcenter/platform/database';
import { type Kysely, sql } from 'kysely';
import type { AuthUser } from '../auth/auth-user.ts';
import { callScope } from '../scope/call-scope.ts';
import { normalisePendingNumbers } from './callback-list.ts';

/**
 * The abandoned and missed calls worklist with its callback KPI (`GET /callbacks/worklist`;
 * definitions in docs/metrics.md#missed-calls-worklist-and-callback-kpi).
 *
 * Lost calls: inbound calls with status `abandoned` or `missed` that started in [from, to), in the
 * user's scope (scope/call-scope.ts; a supervisor: their queues), optionally of one queue (first
 * queue or any queue the call went through). For each, the **wait** (`queue_wait_sec`, null when
 * the caller never reached a queue; `waitSec` the whole time before the call ended unanswered)
 * and whether the number was **reached again**: the first later answered inbound or outbound call
 * whose customer number normalises to the same E.164 number (phone-number.ts, the rule of
 * `GET /callbacks` and docs/metrics.md#callbacks-owed), by anyone, searched up to now (not only
 * within the period) — with its time, direction, operator (endpoint and name) and the seconds from
 * the lost call's start. `callbackAttempts` counts the outbound calls to the number after the lost
 * call up to that reach (or up to now), answered or not. Both are stored per lost call when the
 * calls are written (app.callback_links, sql/postgres/016_callback_links.sql).
 *
 * KPI over all the period's lost calls (not only the listed page): `lost`, `withNumber` (a
 * customer number that is a phone number: only those can be called back), `reached` and
 * `reachedShare` = reached / withNumber, `calledBack` (reached by an outbound call) and
 * `calledBackShare` = calledBack / withNumber, `medianTimeToCallbackSec` over the reached ones
 * (either direction); shares and the median are null when there is nothing to divide or rank.
 *
 * Kept apart from `GET /callbacks` (callback-list.ts), whose contract it does not change.
 */

/** Which lost calls to list: those still owed (a phone number not reached again), reached, or all. */
export type WorklistState = 'owed' | 'reached' | 'all';

/** The later call that reached the number again. */
export interface WorklistReach {
  callId: number;
  direction: 'inbound' | 'outbound';
  startedAt: string;
  operatorEndpoint: string | null;
  operatorName: string | null;
  /** Seconds from the lost call's start to this call's start. */
  afterSec: number;
}

/** One lost call on the worklist (UTC ISO instants, seconds). */
export interface WorklistItem {
  callId: number;
  serverId: string;
  linkedid: string;
  status: 'abandoned' | 'missed';
  startedAt: string;
  queue: string | null;
  queueWaitSec: number | null;
  waitSec: number;
  number: string | null;
  e164: string | null;
  needsCallback: boolean;
  callbackAttempts: number;
  reachedAgain: WorklistReach | null;
}

/** The callback KPI over the period (see above). */
export interface WorklistKpi {
  lost: number;
  abandoned: number;
  missed: number;
  withNumber: number;
  owed: number;
  reached: number;
  reachedShare: number | null;
  calledBack: number;
  calledBackShare: number | null;
  medianTimeToCallbackSec: number | null;
}

/** The answer of `GET /callbacks/worklist`. */
export interface MissedWorklist {
  from: string;
  to: string;
  generatedAt: string;
  kpi: WorklistKpi;
  /** Lost calls matching `state` (all of them, beyond `limit` too). */
  total: number;
  /** Newest first, at most `limit`. */
  items: WorklistItem[];
}

/** What to list. */
export interface WorklistOptions {
  from: Date;
  to: Date;
  queue?: string;
  state: WorklistState;
  limit: number;
}

interface LostRow {
  id: string | number;
  server_id: string;
  linkedid: string;
  status: 'abandoned' | 'missed';
  started_at: Date;
  queue: string | null;
  queue_wait_sec: number | null;
  wait_sec: number;
  number: string | null;
  needs_callback: boolean;
  e164: string | null;
  attempts: number | null;
  reached_id: string | number | null;
  reached_direction: 'inbound' | 'outbound' | null;
  reached_at: Date | null;
  reached_operator: string | null;
  reached_operator_name: string | null;
}

/** Median of a non-empty list of numbers, else null. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const share = (part: number, whole: number) => (whole > 0 ? part / whole : null);

/** Builds the worklist and KPI for `user` (see above). */
export async function missedWorklist(
  db: Kysely<Database>,
  user: AuthUser,
  options: WorklistOptions,
): Promise<MissedWorklist> {
  const { rows: nowRows } = await sql<{ now: Date }>`SELECT clock_timestamp() AS now`.execute(db);
  const now = nowRows[0]!.now;
  const queue =
    options.queue === undefined
      ? sql``
      : sql`AND (c.queue = ${options.queue} OR ${options.queue} = ANY(c.queues))`;
  await normalisePendingNumbers(db);
  // Reached again and the attempts are stored per lost call when the calls are written
  // (app.callback_links, sql/postgres/016_callback_links.sql): one row each, no search.
  const { rows: lost } = await sql<LostRow>`
    SELECT c.id, c.server_id, c.linkedid, c.status, c.started_at, c.queue, c.queue_wait_sec,
           c.wait_sec, c.src_number AS number, c.needs_callback, l.e164, l.attempts,
           l.reached_call_id AS reached_id, l.reached_direction, l.reached_at, l.reached_operator,
           o.name AS reached_operator_name
    FROM app.calls c
    LEFT JOIN app.callback_links l ON l.call_id = c.id
    LEFT JOIN app.calls r ON r.id = l.reached_call_id
    LEFT JOIN app.operators o ON o.server_id = r.server_id AND o.endpoint = r.operator_endpoint
    WHERE c.direction = 'inbound' AND c.status IN ('abandoned', 'missed')
      AND c.started_at >= ${options.from}::timestamptz AND c.started_at < ${options.to}::timestamptz
      AND ${callScope(user)} ${queue}
    ORDER BY c.started_at DESC, c.id DESC`.execute(db);

  const all: WorklistItem[] = lost.map((row) => ({
    callId: Number(row.id),
    serverId: row.server_id,
    linkedid: row.linkedid,
    status: row.status,
    startedAt: row.started_at.toISOString(),
    queue: row.queue,
    queueWaitSec: row.queue_wait_sec,
    waitSec: row.wait_sec,
    number: row.number,
    e164: row.e164 ?? null,
    needsCallback: row.needs_callback,
    callbackAttempts: row.attempts ?? 0,
    reachedAgain:
      row.reached_id === null
        ? null
        : {
            callId: Number(row.reached_id),
            direction: row.reached_direction!,
            startedAt: row.reached_at!.toISOString(),
            operatorEndpoint: row.reached_operator,
            operatorName: row.reached_operator_name,
            afterSec: (row.reached_at!.getTime() - row.started_at.getTime()) / 1000,
          },
  }));

  const withNumber = all.filter((i) => i.e164 !== null);
  const reached = all.filter((i) => i.reachedAgain !== null);
  const calledBack = reached.filter((i) => i.reachedAgain!.direction === 'outbound');
  const kpi: WorklistKpi = {
    lost: all.length,
    abandoned: all.filter((i) => i.status === 'abandoned').length,
    missed: all.filter((i) => i.status === 'missed').length,
    withNumber: withNumber.length,
    owed: withNumber.length - reached.length,
    reached: reached.length,
    reachedShare: share(reached.length, withNumber.length),
    calledBack: calledBack.length,
    calledBackShare: share(calledBack.length, withNumber.length),
    medianTimeToCallbackSec: median(reached.map((i) => i.reachedAgain!.afterSec)),
  };
  const matching = all.filter((i) =>
    options.state === 'all'
      ? true
      : options.state === 'reached'
        ? i.reachedAgain !== null
        : i.e164 !== null && i.reachedAgain === null,
  );
  return {
    from: options.from.toISOString(),
    to: options.to.toISOString(),
    generatedAt: now.toISOString(),
    kpi,
    total: matching.length,
    items: matching.slice(0, options.limit),
  };
}
