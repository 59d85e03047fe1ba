import type { Database } from '@callcenter/platform/database';
import { type Kysely, sql } from 'kysely';
import type { AuthUser } from '../auth/auth-user.ts';
import { callScope } from '../scope/call-scope.ts';
import { normalisePhoneNumber } from './phone-number.ts';

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
 * call up to that reach (or up to now), answered or not.
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
}

interface LaterRow {
  id: string | number;
  direction: 'inbound' | 'outbound';
  status: string;
  started_at: Date;
  operator_endpoint: string | null;
  operator_name: string | null;
  number: string | null;
}

/** A lost call's first later answered call to or from its number, and the callbacks tried. */
interface Reach {
  reached: LaterRow | null;
  attempts: number;
}

/**
 * How many trailing digits pre-select the later calls of a number: every written form of a
 * number (`+7 916 …`, `8916…`, `916…`) ends in its national number, at least this long for the
 * numbers normalisation accepts (7 digits or more).
 */
const SUFFIX_DIGITS = 6;

/** The customer's number of an app.calls row aliased `alias` (as callback-list.ts reads it). */
const customerNumber = (alias: string) =>
  sql`(CASE WHEN ${sql.ref(`${alias}.direction`)} = 'outbound' THEN ${sql.ref(`${alias}.dst_number`)} ELSE ${sql.ref(`${alias}.src_number`)} END)`;

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
  const { rows: lost } = await sql<LostRow>`
    SELECT c.id, c.server_id, c.linkedid, c.status, c.started_at, c.queue, c.queue_wait_sec,
           c.wait_sec, c.src_number AS number, c.needs_callback
    FROM app.calls c
    WHERE c.direction = 'inbound' AND c.status IN ('abandoned', 'missed')
      AND c.started_at >= ${options.from}::timestamptz AND c.started_at < ${options.to}::timestamptz
      AND ${callScope(user)} ${queue}
    ORDER BY c.started_at DESC, c.id DESC`.execute(db);

  const e164Of = new Map<number, string | null>();
  for (const row of lost) e164Of.set(Number(row.id), normalisePhoneNumber(row.number));
  const wanted = new Set([...e164Of.values()].filter((v): v is string => v !== null));
  const reachOf = new Map<number, Reach>();

  if (wanted.size > 0) {
    const earliest = lost.reduce((min, r) => (r.started_at < min ? r.started_at : min), lost[0]!.started_at);
    // One pass over the later calls: SQL keeps those whose number ends in the same
    // SUFFIX_DIGITS digits as a lost caller's E.164 number (every written form of one number
    // ends in its national number), JavaScript normalises just those (libphonenumber-js) and
    // keeps the exact matches. No per-lost-call query.
    const suffixes = [...new Set([...wanted].map((e164) => e164.slice(-SUFFIX_DIGITS)))];
    const { rows: later } = await sql<LaterRow>`
      SELECT r.id, r.direction, r.status, r.started_at, r.operator_endpoint,
             o.name AS operator_name, ${customerNumber('r')} AS number
      FROM app.calls r
      LEFT JOIN app.operators o ON o.server_id = r.server_id AND o.endpoint = r.operator_endpoint
      WHERE r.direction IN ('inbound', 'outbound') AND r.started_at > ${earliest}::timestamptz
        AND right(regexp_replace(${customerNumber('r')}, '[^0-9]', '', 'g'), ${SUFFIX_DIGITS})
            = ANY(${suffixes}::text[])`.execute(db);
    const byNumber = new Map<string, LaterRow[]>();
    for (const row of later) {
      const e164 = normalisePhoneNumber(row.number);
      if (e164 === null || !wanted.has(e164)) continue;
      const list = byNumber.get(e164);
      if (list) list.push(row);
      else byNumber.set(e164, [row]);
    }
    for (const list of byNumber.values()) {
      list.sort((x, y) => x.started_at.getTime() - y.started_at.getTime() || Number(x.id) - Number(y.id));
    }
    for (const row of lost) {
      const id = Number(row.id);
      const e164 = e164Of.get(id);
      const list = e164 ? (byNumber.get(e164) ?? []) : [];
      const start = row.started_at.getTime();
      const after = list.filter((r) => r.started_at.getTime() > start && Number(r.id) !== id);
      const reached = after.find((r) => r.status === 'answered') ?? null;
      const attempts = after.filter(
        (r) =>
          r.direction === 'outbound' &&
          (reached === null || r.started_at.getTime() <= reached.started_at.getTime()),
      ).length;
      reachOf.set(id, { reached, attempts });
    }
  }

  const all: WorklistItem[] = lost.map((row) => {
    const id = Number(row.id);
    const reach = reachOf.get(id);
    return {
      callId: id,
      serverId: row.server_id,
      linkedid: row.linkedid,
      status: row.status,
      startedAt: row.started_at.toISOString(),
      queue: row.queue,
      queueWaitSec: row.queue_wait_sec,
      waitSec: row.wait_sec,
      number: row.number,
      e164: e164Of.get(id) ?? null,
      needsCallback: row.needs_callback,
      callbackAttempts: reach?.attempts ?? 0,
      reachedAgain: reach?.reached
        ? {
            callId: Number(reach.reached.id),
            direction: reach.reached.direction,
            startedAt: reach.reached.started_at.toISOString(),
            operatorEndpoint: reach.reached.operator_endpoint,
            operatorName: reach.reached.operator_name,
            afterSec: (reach.reached.started_at.getTime() - row.started_at.getTime()) / 1000,
          }
        : null,
    };
  });

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
