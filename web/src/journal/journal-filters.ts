import { DateTime } from 'luxon';
import { z } from 'zod';
import { CALL_DIRECTIONS, CALL_ENDED_AT_STAGES, CALL_STATUSES } from '../api/calls.ts';
import { SORT_KEYS, type SortKey } from './calls-api.ts';

/**
 * The journal's filters live in the URL (shareable, survive reload and Back): the same parameter
 * names as `GET /calls` (api/src/routes/calls/call-schemas.ts), except `from`/`to`, which the URL
 * keeps as calendar days (`2026-11-21`) and the API gets as instants at the start of those days in
 * the viewer's zone (`to` inclusive: the API's `to` is the start of the next day). A value that
 * does not parse is dropped rather than sent to get a 400.
 */

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((v) => DateTime.fromISO(v).isValid);
const id = z.string().regex(/^[1-9][0-9]{0,14}$/);
/** A local time of day `HH:MM` (a report interval's drill-down; `24:00` is the end of the day). */
const timeOfDay = z.string().regex(/^(?:[01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$/);

/**
 * The journal's filters as URL search parameters: an invalid value is dropped (`.catch`), never an
 * error; dates are local days (YYYY-MM-DD).
 */
export const JournalFilters = z.object({
  from: day.optional().catch(undefined),
  to: day.optional().catch(undefined),
  status: z
    .enum(CALL_STATUSES as [string, ...string[]])
    .optional()
    .catch(undefined),
  direction: z
    .enum(CALL_DIRECTIONS as [string, ...string[]])
    .optional()
    .catch(undefined),
  queue: z.string().trim().min(1).max(128).optional().catch(undefined),
  ended_at_stage: z
    .enum(CALL_ENDED_AT_STAGES as [string, ...string[]])
    .optional()
    .catch(undefined),
  operator: z.string().trim().min(1).max(64).optional().catch(undefined),
  number: z
    .string()
    .trim()
    .regex(/^[0-9+\s()\-.]{1,64}$/)
    .optional()
    .catch(undefined),
  q: z.string().trim().min(1).max(200).optional().catch(undefined),
  card: z.enum(['complete', 'incomplete']).optional().catch(undefined),
  needs_callback: z.enum(['true', 'false']).optional().catch(undefined),
  purpose_id: id.optional().catch(undefined),
  category_id: id.optional().catch(undefined),
  subcategory_id: id.optional().catch(undefined),
  tag_id: id.optional().catch(undefined),
  did: z.string().trim().min(1).max(64).optional().catch(undefined),
  /** The caller's IVR choice (`-` = none), GET /calls `ivr_choice`: the DID report's drill-down. */
  ivr_choice: z.string().trim().min(1).max(200).optional().catch(undefined),
  time_from: timeOfDay.optional().catch(undefined),
  time_to: timeOfDay.optional().catch(undefined),
  tz: z
    .string()
    .max(64)
    .refine((zone) => DateTime.local().setZone(zone).isValid)
    .optional()
    .catch(undefined),
  sort: z.enum(SORT_KEYS).optional().catch(undefined),
  order: z.enum(['asc', 'desc']).optional().catch(undefined),
});
/** The journal's parsed filters. */
export type JournalFilters = z.infer<typeof JournalFilters>;
/** One filter's name (its URL parameter). */
export type FilterKey = keyof JournalFilters;

/** Every filter's name, in the schema's order. */
export const FILTER_KEYS = Object.keys(JournalFilters.shape) as FilterKey[];
/** Newest calls first. */
export const DEFAULT_SORT: { sort: SortKey; order: 'asc' | 'desc' } = { sort: 'started_at', order: 'desc' };

/** The filters in a URL's search part (unknown and invalid parameters ignored). */
export function filtersFromSearch(search: URLSearchParams): JournalFilters {
  const raw: Record<string, string> = {};
  for (const key of FILTER_KEYS) {
    const value = search.get(key);
    if (value !== null && value !== '') raw[key] = value;
  }
  return JournalFilters.parse(raw);
}

/** The URL search part for filters (defaults left out, keys in a stable order). */
export function searchFromFilters(filters: JournalFilters): URLSearchParams {
  const search = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (value === undefined || value === '') continue;
    if (key === 'sort' && value === DEFAULT_SORT.sort) continue;
    if (key === 'order' && value === DEFAULT_SORT.order) continue;
    search.set(key, value);
  }
  return search;
}

/** How many filters (not sort) are set. */
export function activeFilterCount(filters: JournalFilters): number {
  return FILTER_KEYS.filter((key) => key !== 'sort' && key !== 'order' && filters[key] !== undefined).length;
}

/**
 * The `GET /calls` / `GET /export/calls.csv` query for filters: days become instants in `tz` when
 * the URL names one (a report's drill-down), else in `viewerZone`
 * (`to` is exclusive, the start of the day after). `paging` adds sort, order and limit (the export
 * refuses them).
 */
export function apiQuery(
  filters: JournalFilters,
  viewerZone: string,
  paging?: { limit: number },
): URLSearchParams {
  const query = new URLSearchParams();
  // A drill-down from a report names the report's zone (`tz`): its days and times of day are there.
  const zone = filters.tz ?? viewerZone;
  for (const key of FILTER_KEYS) {
    const value = filters[key];
    if (value === undefined || key === 'sort' || key === 'order') continue;
    if (key === 'from') query.set('from', DateTime.fromISO(value, { zone }).startOf('day').toUTC().toISO()!);
    else if (key === 'to') {
      query.set('to', DateTime.fromISO(value, { zone }).plus({ days: 1 }).startOf('day').toUTC().toISO()!);
    } else query.set(key, value);
  }
  if (paging) {
    query.set('sort', filters.sort ?? DEFAULT_SORT.sort);
    query.set('order', filters.order ?? DEFAULT_SORT.order);
    query.set('limit', String(paging.limit));
  }
  return query;
}
