import type { Database } from '@callcenter/platform/database';
import { type Kysely, sql } from 'kysely';
import type { AuthUser } from '../auth/auth-user.ts';
import { badRequest } from '../errors/api-error.ts';
import { operatorVisibleTo } from './queue-membership.ts';

/**
 * Operator sessions and pauses per operator and day (`GET /reports/operator-sessions`;
 * definitions in docs/metrics.md#operator-sessions-and-occupancy).
 *
 * Sources: the presence intervals of app.operator_presence (available / paused with a reason /
 * offline, each with a start and an end; the open one counts up to now) and the operator's talk
 * from the call cards' segments (app.call_segments: one row per stretch an operator was bridged
 * with the caller, hold included).
 *
 * Per operator and calendar day of `zone` (an IANA zone; days cut at its midnight, so a DST day
 * has 23 or 25 hours), clipped to the period [from, to) and to now:
 *
 * - `loggedInSec`: seconds not offline (available + paused); a **session** starts when an
 *   operator leaves `offline` (or has no earlier row) and ends when they go `offline`;
 *   `sessions` counts the sessions that start in the day, `firstLoginAt` is the first of them,
 *   `lastLogoutAt` the last end of a session within the day (null while logged in at its end);
 * - `availableSec`: seconds available (= loggedIn − paused); `pausedSec` and `pausedByReason`
 *   (seconds and pauses begun in the day, per reason); `wrapUpSec`: paused with the reason
 *   `after_call_work` (the queues have `wrapuptime = 0`, so after-call work is a pause);
 * - `talkSec`: seconds on calls (the segments' spans, talk and hold) within the day, whatever the
 *   presence; `calls`: the calls whose segments of this operator start in the day;
 * - `talkWhileAvailableSec`: the part of talkSec inside available intervals;
 *   `occupancy` = talkWhileAvailableSec / (loggedInSec − pausedSec), in 0..1; null when the
 *   operator was never available that day.
 *
 * Operators: those in the caller's scope (presence/queue-membership.ts: admin all, supervisor the
 * members of their queues, operator themself); a day is listed when the operator was logged in or
 * talked in it. Talk counts all the operator's calls, whichever queue they came from: occupancy is
 * about the person; no call of another queue is shown. Errors: 400 for an unknown zone.
 */

/** Seconds of one pause reason in a day, and the pauses of it begun that day. */
export interface SessionPauseReason {
  reason: string;
  label: string;
  seconds: number;
  pauses: number;
}

/** One presence interval clipped to a day (UTC ISO; `endedAt` null while it is still open). */
export interface SessionInterval {
  state: 'available' | 'paused' | 'offline';
  reason: string | null;
  reasonLabel: string | null;
  startedAt: string;
  endedAt: string | null;
}

/** One operator's day (see the module's definitions; seconds, UTC ISO instants). */
export interface OperatorSessionDay {
  operatorId: number;
  serverId: string;
  endpoint: string;
  name: string;
  /** The calendar day in the report's zone, `YYYY-MM-DD`. */
  day: string;
  sessions: number;
  firstLoginAt: string | null;
  lastLogoutAt: string | null;
  loggedInSec: number;
  availableSec: number;
  pausedSec: number;
  wrapUpSec: number;
  pausedByReason: SessionPauseReason[];
  talkSec: number;
  talkWhileAvailableSec: number;
  calls: number;
  occupancy: number | null;
  intervals: SessionInterval[];
}

/** The answer of `GET /reports/operator-sessions`. */
export interface OperatorSessionsReport {
  from: string;
  to: string;
  zone: string;
  /** Open intervals and calls were counted up to this instant (UTC ISO). */
  generatedAt: string;
  days: OperatorSessionDay[];
}

/** The pause reason recorded for after-call work (sql/postgres/006_operator_presence.sql). */
export const WRAP_UP_REASON = 'after_call_work';

interface DayRow {
  day: string;
  day_start: Date;
  day_end: Date;
}
interface OperatorRow {
  id: string | number;
  server_id: string;
  endpoint: string;
  name: string;
}
interface PresenceRow {
  operator_id: string | number;
  state: 'available' | 'paused' | 'offline';
  reason_code: string | null;
  label: string | null;
  sort_order: number | null;
  started_at: Date;
  ended_at: Date | null;
  /** Not offline, and the operator's row before it is offline, ends earlier, or is none. */
  is_login: boolean;
  /** Not offline and closed, and the operator's row after it is offline, starts later, or is none. */
  is_logout: boolean;
}
interface SegmentRow {
  operator_id: string | number;
  call_id: string | number;
  started_at: Date;
  ended_at: Date;
}

/** Seconds to the millisecond (the intervals' own precision). */
const ms = (seconds: number) => Math.round(seconds * 1000) / 1000;
/** Seconds of the overlap of [a0, a1) and [b0, b1) (ms epoch), 0 when disjoint. */
const overlap = (a0: number, a1: number, b0: number, b1: number) =>
  Math.max(0, Math.min(a1, b1) - Math.max(a0, b0)) / 1000;

/**
 * Builds the report for `user`'s scope over [from, to) in `zone` (see above). Throws the API's 400
 * when `zone` is not a time zone PostgreSQL knows.
 */
export async function operatorSessions(
  db: Kysely<Database>,
  user: AuthUser,
  range: { from: Date; to: Date; zone: string; operatorId?: number },
): Promise<OperatorSessionsReport> {
  const { from, to, zone } = range;
  const { rows: known } = await sql<{ ok: boolean; now: Date }>`
    SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = ${zone}) AS ok,
           clock_timestamp() AS now`.execute(db);
  if (!known[0]!.ok) throw badRequest(`unknown time zone ${zone}`, { zone });
  const now = known[0]!.now;
  const only = range.operatorId === undefined ? sql`` : sql`AND o.id = ${range.operatorId}`;

  // Calendar days of the zone touched by the period, with their UTC bounds.
  const { rows: days } = await sql<DayRow>`
    SELECT to_char(d, 'YYYY-MM-DD') AS day,
           (d AT TIME ZONE ${zone}) AS day_start,
           ((d + interval '1 day') AT TIME ZONE ${zone}) AS day_end
    FROM generate_series(
      date_trunc('day', ${from}::timestamptz AT TIME ZONE ${zone}),
      date_trunc('day', (${to}::timestamptz - interval '1 millisecond') AT TIME ZONE ${zone}),
      interval '1 day') AS d
    ORDER BY d`.execute(db);

  const { rows: operators } = await sql<OperatorRow>`
    SELECT o.id, o.server_id, o.endpoint, o.name FROM app.operators o
    WHERE ${operatorVisibleTo(user)} ${only}
    ORDER BY o.server_id, o.endpoint`.execute(db);
  const ids = operators.map((o) => Number(o.id));
  if (ids.length === 0) {
    return { from: from.toISOString(), to: to.toISOString(), zone, generatedAt: now.toISOString(), days: [] };
  }

  // A row continues a session when the row before it (same operator) is not offline and ends
  // where it starts (a change closes the open row at the instant the next one starts); it is
  // followed when the row after it starts where it ends. Inside the period lag/lead tell; only the
  // first and last row of each operator probe outside it (the GiST index of
  // operator_presence_no_overlap, as does the period filter).
  const { rows: presence } = await sql<PresenceRow>`
    WITH p AS (
      SELECT p.*,
             lag(p.state) OVER w AS prev_state, lag(p.ended_at) OVER w AS prev_ended,
             lead(p.state) OVER w AS next_state, lead(p.started_at) OVER w AS next_started,
             row_number() OVER w AS rn, count(*) OVER (PARTITION BY p.operator_id) AS cnt
      FROM app.operator_presence p
      WHERE p.operator_id = ANY(${ids}::bigint[])
        AND tstzrange(p.started_at, p.ended_at) && tstzrange(${from}::timestamptz, ${to}::timestamptz)
      WINDOW w AS (PARTITION BY p.operator_id ORDER BY p.started_at)
    )
    SELECT p.operator_id, p.state, p.reason_code, r.label, r.sort_order, p.started_at, p.ended_at,
           (p.state <> 'offline' AND CASE
              WHEN p.rn > 1 THEN p.prev_state = 'offline' OR p.prev_ended < p.started_at
              ELSE NOT EXISTS (
                SELECT 1 FROM app.operator_presence q
                WHERE q.operator_id = p.operator_id AND q.state <> 'offline'
                  AND tstzrange(q.started_at, q.ended_at)
                      && tstzrange(p.started_at - interval '1 microsecond', p.started_at))
            END) AS is_login,
           (p.state <> 'offline' AND p.ended_at IS NOT NULL AND CASE
              WHEN p.rn < p.cnt THEN p.next_state = 'offline' OR p.next_started > p.ended_at
              ELSE NOT EXISTS (
                SELECT 1 FROM app.operator_presence q
                WHERE q.operator_id = p.operator_id AND q.state <> 'offline'
                  AND tstzrange(q.started_at, q.ended_at)
                      && tstzrange(p.ended_at, p.ended_at + interval '1 microsecond'))
            END) AS is_logout
    FROM p
    LEFT JOIN app.presence_reasons r ON r.code = p.reason_code
    ORDER BY p.operator_id, p.started_at`.execute(db);

  // Segments are the operator's by id, or by endpoint on the call's server when the id was not known.
  const { rows: segments } = await sql<SegmentRow>`
    SELECT o.id AS operator_id, s.call_id, s.started_at, s.ended_at
    FROM app.call_segments s
    JOIN app.calls c ON c.id = s.call_id
    JOIN app.operators o ON (s.operator_id = o.id
      OR (s.operator_id IS NULL AND o.server_id = c.server_id AND o.endpoint = s.operator_endpoint))
    WHERE o.id = ANY(${ids}::bigint[])
      AND s.started_at < ${to}::timestamptz AND s.ended_at > ${from}::timestamptz
      -- Through calls_started_at_idx: a segment lies within its call, and no call lasts a day.
      AND c.started_at < ${to}::timestamptz
      AND c.started_at > ${from}::timestamptz - interval '1 day'`.execute(db);

  const presenceOf = groupBy(presence, (p) => Number(p.operator_id));
  const segmentsOf = groupBy(segments, (s) => Number(s.operator_id));
  const fromMs = from.getTime();
  const toMs = Math.min(to.getTime(), now.getTime());
  const nowMs = now.getTime();
  const out: OperatorSessionDay[] = [];

  for (const operator of operators) {
    const id = Number(operator.id);
    const rows = presenceOf.get(id) ?? [];
    const segs = segmentsOf.get(id) ?? [];
    if (rows.length === 0 && segs.length === 0) continue;
    for (const day of days) {
      const d0 = Math.max(day.day_start.getTime(), fromMs);
      const d1 = Math.min(day.day_end.getTime(), toMs);
      if (d1 <= d0) continue;
      const figures = dayFigures(rows, segs, d0, d1, nowMs);
      if (figures.loggedInSec === 0 && figures.talkSec === 0 && figures.intervals.length === 0) continue;
      out.push({
        operatorId: id,
        serverId: operator.server_id,
        endpoint: operator.endpoint,
        name: operator.name,
        day: day.day,
        ...figures,
      });
    }
  }
  return { from: from.toISOString(), to: to.toISOString(), zone, generatedAt: now.toISOString(), days: out };
}

/** The figures of one operator over the window [d0, d1) (ms epoch); open intervals end at nowMs. */
function dayFigures(
  allRows: PresenceRow[],
  allSegs: SegmentRow[],
  d0: number,
  d1: number,
  nowMs: number,
): Omit<OperatorSessionDay, 'operatorId' | 'serverId' | 'endpoint' | 'name' | 'day'> {
  // Only what touches the window (a month of rows per operator would otherwise be walked per day,
  // and every segment against every available span).
  const rows = allRows.filter((p) => {
    const start = p.started_at.getTime();
    return start < d1 && (p.ended_at === null ? nowMs : p.ended_at.getTime()) >= d0;
  });
  const segs = allSegs.filter((s) => s.started_at.getTime() < d1 && s.ended_at.getTime() > d0);
  let loggedIn = 0;
  let available = 0;
  let paused = 0;
  let wrapUp = 0;
  let sessions = 0;
  let firstLogin: number | null = null;
  let lastLogout: number | null = null;
  const byReason = new Map<string, SessionPauseReason & { order: number }>();
  const intervals: SessionInterval[] = [];
  const availableSpans: [number, number][] = [];

  for (const p of rows) {
    const start = p.started_at.getTime();
    const end = p.ended_at ? p.ended_at.getTime() : nowMs;
    const seconds = overlap(start, end, d0, d1);
    const startsHere = start >= d0 && start < d1;
    if (seconds > 0 || startsHere) {
      intervals.push({
        state: p.state,
        reason: p.reason_code,
        reasonLabel: p.label ?? p.reason_code,
        startedAt: new Date(Math.max(start, d0)).toISOString(),
        endedAt: p.ended_at === null && end <= d1 ? null : new Date(Math.min(end, d1)).toISOString(),
      });
    }
    if (p.is_login && startsHere) {
      sessions += 1;
      if (firstLogin === null || start < firstLogin) firstLogin = start;
    }
    if (p.is_logout && p.ended_at && end > d0 && end <= d1) {
      if (lastLogout === null || end > lastLogout) lastLogout = end;
    }
    if (p.state === 'offline' || seconds === 0) continue;
    loggedIn += seconds;
    if (p.state === 'available') {
      available += seconds;
      availableSpans.push([Math.max(start, d0), Math.min(end, d1)]);
    } else {
      paused += seconds;
      const reason = p.reason_code ?? '';
      if (reason === WRAP_UP_REASON) wrapUp += seconds;
      const entry = byReason.get(reason) ?? {
        reason,
        label: p.label ?? reason,
        seconds: 0,
        pauses: 0,
        order: p.sort_order ?? 0,
      };
      entry.seconds += seconds;
      if (startsHere) entry.pauses += 1;
      byReason.set(reason, entry);
    }
  }

  let talk = 0;
  let talkAvailable = 0;
  const calls = new Set<number>();
  for (const s of segs) {
    const start = s.started_at.getTime();
    const end = s.ended_at.getTime();
    talk += overlap(start, end, d0, d1);
    if (start >= d0 && start < d1) calls.add(Number(s.call_id));
    for (const [a0, a1] of availableSpans) talkAvailable += overlap(start, end, a0, a1);
  }

  return {
    sessions,
    firstLoginAt: firstLogin === null ? null : new Date(firstLogin).toISOString(),
    lastLogoutAt: lastLogout === null ? null : new Date(lastLogout).toISOString(),
    loggedInSec: ms(loggedIn),
    availableSec: ms(available),
    pausedSec: ms(paused),
    wrapUpSec: ms(wrapUp),
    pausedByReason: [...byReason.values()]
      .sort((a, b) => a.order - b.order || a.reason.localeCompare(b.reason))
      .map(({ order: _order, seconds, ...rest }) => ({ ...rest, seconds: ms(seconds) })),
    talkSec: ms(talk),
    talkWhileAvailableSec: ms(talkAvailable),
    calls: calls.size,
    occupancy: available > 0 ? Math.min(1, talkAvailable / available) : null,
    intervals,
  };
}

function groupBy<T>(rows: T[], key: (row: T) => number): Map<number, T[]> {
  const map = new Map<number, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return map;
}
