import Papa from 'papaparse';
import { saveBlob } from '../api/file-download.ts';

/**
 * CSV of a report view (papaparse `unparse`): the view's own column headers in the page's
 * language, one line per row, UTF-8 with a byte-order mark so Excel opens Cyrillic correctly.
 */

/** One column of a report table and of its CSV. */
export interface ReportColumn<R> {
  id: string;
  header: string;
  /** The raw value (numbers stay numbers in the CSV). */
  value: (row: R) => string | number | null;
  /** Display text on screen (defaults to the raw value). */
  format?: (row: R) => string;
  numeric?: boolean;
  /**
   * The drill-down: the journal URL (`/journal?…`) listing the calls behind this figure, with the
   * same filter; null for a figure that has none.
   */
  link?: (row: R) => string | null;
}

/** CSV text (with BOM) of `rows` under `columns`. */
export function reportCsv<R>(columns: readonly ReportColumn<R>[], rows: readonly R[]): string {
  const csv = Papa.unparse({
    fields: columns.map((c) => c.header),
    data: rows.map((row) => columns.map((c) => c.value(row) ?? '')),
  });
  return `\uFEFF${csv}\r\n`;
}

/** Offers `text` as a download named `fileName`. */
export function downloadText(text: string, fileName: string, type = 'text/csv;charset=utf-8'): void {
  saveBlob(new Blob([text], { type }), fileName);
}
