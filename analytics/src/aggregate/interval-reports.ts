import { DateTime } from 'luxon';
import { CallEnd, callColumns, INBOUND, thresholdsByCode } from './call-columns.ts';
import type { FactFrame } from './fact-frame.ts';
import type { LocalCalendar } from './local-calendar.ts';
import { SHORT_ABANDON_SEC } from './metric-defaults.ts';
import type { QueueReportOptions } from './queue-statistics.ts';
import { share } from './slice-rows.ts';

/**
 * The staffing views (docs/metrics.md "Distribution by interval of the day", "Service level over
 * time"): inbound calls by local time of day in 60- or 15-minute intervals, and each queue's
 * service level per local day or Monday week. Same definitions as the daily report
 * (sql/ANALYSTS.md "Calls by interval of the day", "Service level per queue over time"):
 * offered = inbound calls; answered, abandoned, missed by status; the service level of queue calls
 * = answered within the queue's T / (queue calls − short abandons), null when that is 0.
 */

/** The inbound figures of one bucket (an interval of the day, or a queue's day or week). */
export interface IntervalFigures {
  offered: number;
  answered: number;
  abandoned: number;
  missed: number;
  shortAbandons: number;
  /** Inbound calls that entered a queue; of them answered within T, and short abandons. */
  queueOffered: number;
  queueAnsweredInSl: number;
  queueShortAbandons: number;
  /** queueAnsweredInSl / (queueOffered − queueShortAbandons); null when that is 0. */
  serviceLevel: number | null;
}

/** One interval of the day: `slot` is its local start `HH:MM`, `minute` that start in minutes. */
export interface IntervalRow extends IntervalFigures {
  slot: string;
  minute: number;
}

/** One queue's figures in one local day or Monday week (`bucket`, `YYYY-MM-DD`). */
export interface QueuePeriodRow extends IntervalFigures {
  queue: string;
  bucket: string;
}

/** Positions of the figures inside one bucket of {@link inboundBuckets}' sums. */
export const F = {
  offered: 0,
  answered: 1,
  abandoned: 2,
  missed: 3,
  short: 4,
  qOffered: 5,
  qInSl: 6,
  qShort: 7,
};
/** Figures per bucket in {@link inboundBuckets}' sums. */
export const FIELDS = 8;

/** Sums of the inbound calls of `rows` into `bucketOf(row, k)` (k: position in `rows`; −1 leaves a call out). */
export function inboundBuckets(
  calls: FactFrame,
  rows: Int32Array,
  buckets: number,
  bucketOf: (row: number, k: number) => number,
  options: QueueReportOptions,
): Float64Array {
  const c = callColumns(calls);
  const t = thresholdsByCode(c.queueNames, options.serviceLevelSec ?? (() => undefined));
  const short = options.shortAbandonSec ?? SHORT_ABANDON_SEC;
  const none = c.queueNames.indexOf('');
  const sums = new Float64Array(buckets * FIELDS);
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k]!;
    if (c.directionKind[c.direction[i]!] !== INBOUND) continue;
    const b = bucketOf(i, k);
    if (b < 0) continue;
    const at = b * FIELDS;
    const end = c.statusEnd[c.status[i]!]!;
    const wait = c.queueWait[i]!;
    const isShort = end === CallEnd.abandoned && wait < short;
    sums[at + F.offered]! += 1;
    if (end === CallEnd.answered) sums[at + F.answered]! += 1;
    else if (end === CallEnd.abandoned) sums[at + F.abandoned]! += 1;
    else if (end === CallEnd.missed) sums[at + F.missed]! += 1;
    if (isShort) sums[at + F.short]! += 1;
    const q = c.queue[i]!;
    if (q === none) continue;
    sums[at + F.qOffered]! += 1;
    if (end === CallEnd.answered && wait <= t[q]!) sums[at + F.qInSl]! += 1;
    if (isShort) sums[at + F.qShort]! += 1;
  }
  return sums;
}

/** The figures of bucket `b` of {@link inboundBuckets}' sums, with the service level. */
export function figures(sums: Float64Array, b: number): IntervalFigures {
  const at = b * FIELDS;
  const queueOffered = sums[at + F.qOffered]!;
  const queueShortAbandons = sums[at + F.qShort]!;
  const queueAnsweredInSl = sums[at + F.qInSl]!;
  return {
    offered: sums[at + F.offered]!,
    answered: sums[at + F.answered]!,
    abandoned: sums[at + F.abandoned]!,
    missed: sums[at + F.missed]!,
    shortAbandons: sums[at + F.short]!,
    queueOffered,
    queueAnsweredInSl,
    queueShortAbandons,
    serviceLevel: share(queueAnsweredInSl, queueOffered - queueShortAbandons),
  };
}

/**
 * The local minute of the day (0..1439) of each call of `rows`, in `calendar`'s zone (−1 outside
 * it). A day whose UTC offset is the same at both midnights is one subtraction per call; on a DST
 * change day the wall clock is read from luxon per call.
 */
export function localMinutes(calendar: LocalCalendar, startedAt: Float64Array, rows: Int32Array): Int32Array {
  const days = new Int32Array(rows.length);
  calendar.dayIndexes(startedAt, rows, days);
  const { dayStarts } = calendar;
  const fixed = calendar.days.map((day, d) => {
    const wall = Date.parse(`${day}T00:00:00Z`);
    const next = DateTime.fromISO(day, { zone: 'utc' }).plus({ days: 1 }).toMillis();
    // Offset at this midnight equals the next one's: the day has 24 hours of one offset.
    return next - wall === dayStarts[d + 1]! - dayStarts[d]! ? dayStarts[d]! : Number.NaN;
  });
  const out = new Int32Array(rows.length);
  for (let k = 0; k < rows.length; k++) {
    const d = days[k]!;
    if (d < 0) {
      out[k] = -1;
      continue;
    }
    const ms = startedAt[rows[k]!]!;
    const start = fixed[d]!;
    if (Number.isNaN(start)) {
      const local = DateTime.fromMillis(ms, { zone: calendar.zone });
      out[k] = local.hour * 60 + local.minute;
    } else out[k] = Math.floor((ms - start) / 60_000);
  }
  return out;
}

/**
 * Inbound calls of `rows` by local interval of the day (`minutes` = 60 or 15): every interval of
 * the day, zeros included (24 or 96 rows), in the zone of `calendar`, summed over its days.
 * Throws a RangeError for another interval length.
 */
export function intervalDistribution(
  calls: FactFrame,
  rows: Int32Array,
  calendar: LocalCalendar,
  minutes: 15 | 60,
  options: QueueReportOptions = {},
): IntervalRow[] {
  if (minutes !== 15 && minutes !== 60) throw new RangeError('the interval is 15 or 60 minutes');
  const count = 1440 / minutes;
  const minuteOf = localMinutes(calendar, callColumns(calls).startedAt, rows);
  const sums = inboundBuckets(
    calls,
    rows,
    count,
    (_row, k) => {
      const m = minuteOf[k]!;
      return m < 0 ? -1 : Math.floor(m / minutes);
    },
    options,
  );
  return Array.from({ length: count }, (_, b) => {
    const minute = b * minutes;
    const slot = `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
    return { slot, minute, ...figures(sums, b) };
  });
}

/**
 * Each queue's figures per local day (`grain` 'day') or Monday week ('week') of `calendar`, every
 * day or week of the period for every queue with a call in `rows` (quiet ones as zeros, service
 * level null), queues in name order. Calls outside a queue are left out.
 */
export function serviceLevelOverTime(
  calls: FactFrame,
  rows: Int32Array,
  calendar: LocalCalendar,
  grain: 'day' | 'week',
  options: QueueReportOptions = {},
): QueuePeriodRow[] {
  const c = callColumns(calls);
  const labels = grain === 'day' ? calendar.days : calendar.weeks;
  const n = labels.length;
  const none = c.queueNames.indexOf('');
  const sums = inboundBuckets(
    calls,
    rows,
    c.queueNames.length * n,
    (row) => {
      const q = c.queue[row]!;
      if (q === none) return -1;
      const p =
        grain === 'day' ? calendar.dayIndex(c.startedAt[row]!) : calendar.weekIndex(c.startedAt[row]!);
      return p < 0 ? -1 : q * n + p;
    },
    options,
  );
  const out: QueuePeriodRow[] = [];
  const queues = c.queueNames
    .map((queue, code) => ({ queue, code }))
    .filter(({ code }) => code !== none)
    .sort((a, b) => (a.queue < b.queue ? -1 : a.queue > b.queue ? 1 : 0));
  for (const { queue, code } of queues) {
    let offered = 0;
    for (let p = 0; p < n; p++) offered += sums[(code * n + p) * FIELDS + F.offered]!;
    if (offered === 0) continue;
    labels.forEach((bucket, p) => {
      out.push({ queue, bucket, ...figures(sums, code * n + p) });
    });
  }
  return out;
}
