import { DateTime } from 'luxon';

/**
 * The period of the supervision pages (operator sessions, missed calls): local dates
 * `YYYY-MM-DD` in a zone, kept in the URL (`?from=&to=`, both inclusive), turned into the API's
 * `[from, to)` instants with the zone's offsets (midnight to the midnight after `to`).
 */

/** A period of whole local days, both ends inclusive. */
export interface DayPeriod {
  from: string;
  to: string;
}

/** The last 7 days up to today in `zone`. */
export function defaultPeriod(zone: string): DayPeriod {
  const today = DateTime.now().setZone(zone).startOf('day');
  return { from: today.minus({ days: 6 }).toISODate()!, to: today.toISODate()! };
}

/** The period of `?from=&to=`, or the default when missing or not dates in order. */
export function periodFrom(search: URLSearchParams, zone: string): DayPeriod {
  const from = search.get('from') ?? '';
  const to = search.get('to') ?? '';
  const ok = (d: string) => /^\d{4}-\d{2}-\d{2}$/.test(d) && DateTime.fromISO(d).isValid;
  if (ok(from) && ok(to) && from <= to) return { from, to };
  return defaultPeriod(zone);
}

/** `from`/`to` query values for the API: midnight of `from` and of the day after `to`, in `zone`. */
export function periodQuery(period: DayPeriod, zone: string): { from: string; to: string } {
  const from = DateTime.fromISO(period.from, { zone }).startOf('day');
  const to = DateTime.fromISO(period.to, { zone }).plus({ days: 1 }).startOf('day');
  return { from: from.toISO({ suppressMilliseconds: true })!, to: to.toISO({ suppressMilliseconds: true })! };
}
