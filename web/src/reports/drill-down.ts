import { DateTime } from 'luxon';
import type { ReportSearch } from './report-period.ts';

/**
 * The drill-down of a report figure: the journal URL listing exactly the calls it counts, under
 * the same filter — the report's period (local days in its zone, which the journal gets as `tz`),
 * queue, operator and direction, plus what the figure adds (a status, a day, an interval of the
 * day). The journal's filters are GET /calls's (api/src/routes/calls/call-schemas.ts).
 */

/** What a figure adds to the report's filter. */
export interface DrillDown {
  status?: 'answered' | 'abandoned' | 'missed';
  direction?: string;
  queue?: string;
  /** Local days `YYYY-MM-DD` (inclusive), clipped to the report's period. */
  from?: string;
  to?: string;
  /** Local time of day `HH:MM` in the report's zone, half-open. */
  timeFrom?: string;
  timeTo?: string;
  did?: string;
  /** Where the calls ended (GET /calls `ended_at_stage`, docs/reconciliation.md#ended-at-stage). */
  endedAtStage?: 'ivr' | 'refused';
  /** The caller's IVR choice (GET /calls `ivr_choice`, `-` = none; docs/reconciliation.md#ivr-choice). */
  ivrChoice?: string;
}

/**
 * The journal URL for `report` (its period and slice) narrowed by `extra`; null when the report's
 * slice has a filter the journal cannot express (a category by name), so no link can lie.
 */
export function journalLink(report: ReportSearch, zone: string, extra: DrillDown = {}): string | null {
  if (report.category) return null;
  const later = (a: string, b: string) => (a > b ? a : b);
  const earlier = (a: string, b: string) => (a < b ? a : b);
  const params = new URLSearchParams();
  params.set('from', later(extra.from ?? report.from, report.from));
  params.set('to', earlier(extra.to ?? report.to, report.to));
  params.set('tz', zone);
  const queue = extra.queue ?? report.queue;
  if (queue) params.set('queue', queue);
  if (report.operator) params.set('operator', report.operator);
  const direction = extra.direction ?? report.direction;
  if (direction) params.set('direction', direction);
  if (extra.status) params.set('status', extra.status);
  if (extra.timeFrom) params.set('time_from', extra.timeFrom);
  if (extra.timeTo) params.set('time_to', extra.timeTo);
  if (extra.did) params.set('did', extra.did);
  if (extra.endedAtStage) params.set('ended_at_stage', extra.endedAtStage);
  if (extra.ivrChoice) params.set('ivr_choice', extra.ivrChoice);
  return `/journal?${params}`;
}

/** The last day of the Monday week starting `monday` (`YYYY-MM-DD`). */
export function weekEnd(monday: string): string {
  return DateTime.fromISO(monday, { zone: 'utc' }).plus({ days: 6 }).toISODate() ?? monday;
}

/** `HH:MM` `minutes` after the interval start `minute` (24:00 at the end of the day). */
export function slotEnd(minute: number, minutes: number): string {
  const end = minute + minutes;
  return `${String(Math.floor(end / 60)).padStart(2, '0')}:${String(end % 60).padStart(2, '0')}`;
}
