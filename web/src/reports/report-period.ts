import { DateTime } from 'luxon';

/**
 * The reports' period and slice as they live in the URL (`?from=2026-11-16&to=2026-11-22&queue=…`):
 * dates are local calendar days in the report's zone (the queue's), `to` inclusive; the instants
 * sent to the API are the local midnights, half-open [from, day after to).
 */

/** Periods longer than this many days are read from the rollup endpoint (counts per day). */
export const LONG_RANGE_DAYS = 62;

/**
 * The reports page's URL parameters: the period (local days, `to` inclusive) and the slice (queue,
 * operator, category, direction; empty for all).
 */
export interface ReportSearch {
  from: string;
  to: string;
  queue: string;
  operator: string;
  category: string;
  direction: string;
}

/**
 * The search of a URL. The default period is 7 days ending today in `zone` — or, when the newest
 * call in the user's scope (`newestCallDay`, `YYYY-MM-DD` in `zone`) is older than that, the 7
 * days ending on that day, so the page opens on calls rather than on an empty week.
 */
export function reportSearchFrom(
  search: URLSearchParams,
  zone: string,
  newestCallDay?: string | null,
): ReportSearch {
  const today = DateTime.now().setZone(zone).startOf('day');
  const newest = newestCallDay ? DateTime.fromISO(newestCallDay, { zone }) : null;
  const end = newest?.isValid && newest < today.minus({ days: 6 }) ? newest : today;
  const valid = (value: string | null) => (value && DateTime.fromISO(value, { zone }).isValid ? value : null);
  return {
    from: valid(search.get('from')) ?? end.minus({ days: 6 }).toISODate()!,
    to: valid(search.get('to')) ?? end.toISODate()!,
    queue: search.get('queue') ?? '',
    operator: search.get('operator') ?? '',
    category: search.get('category') ?? '',
    direction: search.get('direction') ?? '',
  };
}

/** URL search text of a report search (empty values left out). */
export function searchOf(report: ReportSearch): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(report)) if (value) params.set(key, value);
  return params.toString();
}

/** Epoch ms of [local midnight of `from`, local midnight after `to`) in `zone`; null if reversed. */
export function periodMs(
  report: Pick<ReportSearch, 'from' | 'to'>,
  zone: string,
): { fromMs: number; toMs: number } | null {
  const from = DateTime.fromISO(report.from, { zone }).startOf('day');
  const to = DateTime.fromISO(report.to, { zone }).startOf('day').plus({ days: 1 });
  if (!from.isValid || !to.isValid || to <= from) return null;
  return { fromMs: from.toMillis(), toMs: to.toMillis() };
}

/** Days in a period (calendar days, DST-proof). */
export function periodDays(report: Pick<ReportSearch, 'from' | 'to'>): number {
  const from = DateTime.fromISO(report.from, { zone: 'utc' });
  const to = DateTime.fromISO(report.to, { zone: 'utc' });
  return Math.round(to.diff(from, 'days').days) + 1;
}

/**
 * The period presets in `zone` (`now` for tests): today, yesterday, this and last Monday week,
 * this and last calendar month, and the last 30 days ending today — key → [from, to], local days.
 * "This week/month" end today, not on the period's last day.
 */
export function presetPeriods(
  zone: string,
  now: DateTime = DateTime.now(),
): Record<string, [string, string]> {
  const today = now.setZone(zone).startOf('day');
  const iso = (d: DateTime) => d.toISODate()!;
  const monday = today.minus({ days: today.weekday - 1 });
  const firstOfMonth = today.startOf('month');
  const lastMonth = firstOfMonth.minus({ months: 1 });
  return {
    today: [iso(today), iso(today)],
    yesterday: [iso(today.minus({ days: 1 })), iso(today.minus({ days: 1 }))],
    thisWeek: [iso(monday), iso(today)],
    lastWeek: [iso(monday.minus({ days: 7 })), iso(monday.minus({ days: 1 }))],
    thisMonth: [iso(firstOfMonth), iso(today)],
    lastMonth: [iso(lastMonth), iso(firstOfMonth.minus({ days: 1 }))],
    last30: [iso(today.minus({ days: 29 })), iso(today)],
  };
}
