import type { Database } from '@callcenter/platform/database';
import { type Kysely, sql } from 'kysely';
import type { AuthUser } from '../auth/auth-user.ts';
import { operatorVisibleTo } from './queue-membership.ts';

/**
 * Pause time per operator (`GET /reports/presence`), from app.operator_presence intervals:
 *
 * - each interval is clipped to [from, to); an open interval (the current state) counts up to now
 *   (the database's clock_timestamp(), returned as `generatedAt`);
 * - `availableSec`: seconds available; `pausedSec`: seconds paused, also split by reason in
 *   `pausedByReason` (display order of the reasons); offline time is not counted;
 * - `pauses`: paused intervals that START within the range (a pause running across `from` adds
 *   its seconds but was counted in the period it began, so consecutive periods add up). Switching
 *   from one reason to another is a new pause;
 * - operators: those in the caller's scope (queue-membership.ts) that are active or have time in
 *   the range, by server and endpoint; `operatorId` narrows to one.
 */

export interface PausedByReason {
  reason: string;
  label: string;
  seconds: number;
  pauses: number;
}

/**
 * One operator's figures in the report: who, seconds available and paused (by reason), pauses
 * started in the period.
 */
export interface OperatorPresenceFigures {
  operatorId: number;
  serverId: string;
  endpoint: string;
  name: string;
  availableSec: number;
  pausedSec: number;
  pauses: number;
  pausedByReason: PausedByReason[];
}

/**
 * `GET /reports/presence`: the period, the instant open intervals were counted to (UTC ISO) and
 * the operators' figures.
 */
export interface PresenceReport {
  from: string;
  to: string;
  /** The "now" open intervals were counted up to (ISO UTC). */
  generatedAt: string;
  operators: OperatorPresenceFigures[];
}

interface SumRow {
  operator_id: string | number;
  state: 'available' | 'paused' | 'offline';
  reason_code: string | null;
  label: string | null;
  sort_order: number | null;
  seconds: number;
  started: number;
}

/** Seconds to the millisecond (the intervals' own precision as recorded). */
const ms = (seconds: number) => Math.round(seconds * 1000) / 1000;

/** Builds the {@link PresenceReport} for `user`'s scope over [from, to) (see above). */
export async function presenceReport(
  db: Kysely<Database>,
  user: AuthUser,
  range: { from: Date; to: Date; operatorId?: number },
): Promise<PresenceReport> {
  const only = range.operatorId === undefined ? sql`` : sql`AND o.id = ${range.operatorId}`;
  const { rows: nowRows } = await sql<{ now: Date }>`SELECT clock_timestamp() AS now`.execute(db);
  const now = nowRows[0]!.now;
  const window = sql`tstzrange(${range.from}::timestamptz, ${range.to}::timestamptz)`;

  const { rows: sums } = await sql<SumRow>`
    SELECT p.operator_id, p.state, p.reason_code, r.label, r.sort_order,
           sum(GREATEST(EXTRACT(EPOCH FROM
                 LEAST(COALESCE(p.ended_at, ${now}::timestamptz), ${range.to}::timestamptz)
               - GREATEST(p.started_at, ${range.from}::timestamptz)), 0))::float8 AS seconds,
           (count(*) FILTER (WHERE p.started_at >= ${range.from}::timestamptz))::int AS started
    FROM app.operator_presence p
    JOIN app.operators o ON o.id = p.operator_id
    LEFT JOIN app.presence_reasons r ON r.code = p.reason_code
    WHERE tstzrange(p.started_at, p.ended_at) && ${window}
      AND p.state <> 'offline'
      AND ${operatorVisibleTo(user)} ${only}
    GROUP BY p.operator_id, p.state, p.reason_code, r.label, r.sort_order`.execute(db);

  const withTime = [...new Set(sums.map((s) => Number(s.operator_id)))];
  const { rows: operators } = await sql<{
    id: string | number;
    server_id: string;
    endpoint: string;
    name: string;
  }>`
    SELECT o.id, o.server_id, o.endpoint, o.name FROM app.operators o
    WHERE (o.active OR o.id = ANY(${withTime}::bigint[])) AND ${operatorVisibleTo(user)} ${only}
    ORDER BY o.server_id, o.endpoint`.execute(db);

  const figures = new Map<number, OperatorPresenceFigures>(
    operators.map((o) => [
      Number(o.id),
      {
        operatorId: Number(o.id),
        serverId: o.server_id,
        endpoint: o.endpoint,
        name: o.name,
        availableSec: 0,
        pausedSec: 0,
        pauses: 0,
        pausedByReason: [],
      },
    ]),
  );
  const ordered = [...sums].sort(
    (a, b) =>
      (a.sort_order ?? 0) - (b.sort_order ?? 0) || (a.reason_code ?? '').localeCompare(b.reason_code ?? ''),
  );
  for (const s of ordered) {
    const f = figures.get(Number(s.operator_id));
    if (!f) continue;
    if (s.state === 'available') {
      f.availableSec = ms(f.availableSec + s.seconds);
    } else if (s.state === 'paused') {
      f.pausedSec = ms(f.pausedSec + s.seconds);
      f.pauses += s.started;
      f.pausedByReason.push({
        reason: s.reason_code ?? '',
        label: s.label ?? s.reason_code ?? '',
        seconds: ms(s.seconds),
        pauses: s.started,
      });
    }
  }
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    generatedAt: now.toISOString(),
    operators: [...figures.values()],
  };
}
