import { type FetchedFile, fetchFile } from '../api/file-download.ts';

/**
 * The journal's own part of the call API (the shared call shapes and reads are in
 * web/src/api/calls.ts): the sort keys of a list page, and the recording and the CSV export as
 * files (the audio element and a link cannot send the bearer token themselves).
 */

/** Columns the API sorts by (`sort`). */
export const SORT_KEYS = ['started_at', 'duration_sec', 'wait_sec', 'talk_sec'] as const;
/** A column the journal sorts by. */
export type SortKey = (typeof SORT_KEYS)[number];

/**
 * `GET /calls/{id}/recording` (`download` adds `?download=true`, which the API allows to
 * supervisors and admins only — 403 otherwise). Each fetch is one audited listen or download.
 */
export function fetchRecording(id: number, download: boolean, signal?: AbortSignal): Promise<FetchedFile> {
  return fetchFile(`/calls/${id}/recording${download ? '?download=true' : ''}`, signal);
}

/** `GET /export/calls.csv|xlsx?…` (supervisor, admin): every call matching the filters (CSV: UTF-8 with BOM). */
export function fetchExport(query: URLSearchParams, format: 'csv' | 'xlsx' = 'csv'): Promise<FetchedFile> {
  return fetchFile(`/export/calls.${format}?${query}`);
}
