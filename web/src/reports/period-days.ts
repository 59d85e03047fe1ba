import type { DailySummaryRow, RollupPeriodRow } from '@callcenter/analytics/aggregate';
import { DateTime } from 'luxon';

/**
 * Every calendar day of a report period, so a quiet day is drawn and listed as a zero instead of
 * being left out (a quiet week is seven points, not one). Days are the local `YYYY-MM-DD` labels
 * the aggregations use (analytics LocalCalendar, the rollup's `bucket_label`).
 */

/** The days from `from` to `to` inclusive (`YYYY-MM-DD`); [] when reversed or invalid; at most 400. */
export function daysOf(from: string, to: string): string[] {
  let day = DateTime.fromISO(from, { zone: 'utc' });
  const last = DateTime.fromISO(to, { zone: 'utc' });
  const days: string[] = [];
  if (!day.isValid || !last.isValid) return days;
  while (day <= last && days.length < 400) {
    days.push(day.toISODate()!);
    day = day.plus({ days: 1 });
  }
  return days;
}

const emptySummary = (day: string): DailySummaryRow => ({
  day,
  answered: 0,
  lost: 0,
  shortAbandons: 0,
  outbound: 0,
  outboundAnswered: 0,
  queueOffered: 0,
  queueAnsweredInSl: 0,
  queueShortAbandons: 0,
  serviceLevel: null,
});

const emptyPeriod = (bucket: string): RollupPeriodRow => ({
  bucket,
  calls: 0,
  offered: 0,
  answered: 0,
  lost: 0,
  shortAbandons: 0,
  serviceLevel: null,
  asaSec: null,
});

/** `rows` with a zero row for each day of `days` that has none, in day order. */
export function fillDays(rows: readonly DailySummaryRow[], days: readonly string[]): DailySummaryRow[] {
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const filled = days.map((day) => byDay.get(day) ?? emptySummary(day));
  const extra = rows.filter((r) => !days.includes(r.day));
  return extra.length ? [...filled, ...extra].sort((a, b) => a.day.localeCompare(b.day)) : filled;
}

/** The rollup's day rows with a zero row for each day of `days` that has none. */
export function fillRollupDays(rows: readonly RollupPeriodRow[], days: readonly string[]): RollupPeriodRow[] {
  const byDay = new Map(rows.map((r) => [r.bucket, r]));
  const filled = days.map((day) => byDay.get(day) ?? emptyPeriod(day));
  const extra = rows.filter((r) => !days.includes(r.bucket));
  return extra.length ? [...filled, ...extra].sort((a, b) => a.bucket.localeCompare(b.bucket)) : filled;
}
