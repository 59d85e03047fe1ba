import { formatDuration } from '../ui/format.ts';
import type { ReportColumn } from './csv-export.ts';
import { csvPercent, csvSeconds, formatPercent, formatSeconds } from './report-format.ts';

/**
 * The figure columns the report views share (report-format.ts says how each is shown): a share
 * (percent with one decimal on screen and in the CSV), seconds with one decimal (ASA, AHT,
 * averages) and a total of seconds (h:mm:ss on screen, seconds in the CSV). Null (no
 * denominator) shows as a dash and stays empty in the CSV.
 */

/** A numeric column of `get(row)`: `toCsv` gives the CSV number, `toText` the text on screen. */
function figureColumn<R>(
  id: string,
  header: string,
  get: (row: R) => number | null,
  toCsv: (value: number | null) => number | null,
  toText: (value: number | null) => string,
): ReportColumn<R> {
  return { id, header, value: (r) => toCsv(get(r)), format: (r) => toText(get(r)), numeric: true };
}

/** A share 0…1 of `get(row)`, shown in `language`. */
export function percentColumn<R>(
  id: string,
  header: string,
  get: (row: R) => number | null,
  language: string,
): ReportColumn<R> {
  return figureColumn(id, header, get, csvPercent, (share) => formatPercent(share, language));
}

/** Seconds with one decimal (an average: ASA, AHT…), shown in `language`. */
export function secondsColumn<R>(
  id: string,
  header: string,
  get: (row: R) => number | null,
  language: string,
): ReportColumn<R> {
  return figureColumn(id, header, get, csvSeconds, (seconds) => formatSeconds(seconds, language));
}

/** A total of seconds: h:mm:ss on screen, seconds in the CSV. */
export function durationColumn<R>(
  id: string,
  header: string,
  get: (row: R) => number | null,
): ReportColumn<R> {
  return figureColumn(id, header, get, csvSeconds, formatDuration);
}
