import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

/**
 * Captures on disk: a folder with `cel.csv` and optionally `cdr.csv` (psql `\copy … csv header`),
 * as in fixtures/asterisk/scenarios. Records keep Asterisk's text exactly (psql writes SQL NULL as
 * an empty unquoted field; both read as '').
 */

/** The real captures shipped with the repo. */
export const FIXTURE_SCENARIOS_DIR = fileURLToPath(
  new URL('../../../fixtures/asterisk/scenarios/', import.meta.url),
);

/**
 * One capture read from disk: its folder name and its CEL and CDR records, column name →
 * Asterisk's text.
 */
export interface CaptureRecords {
  name: string;
  cel: Record<string, string>[];
  cdr: Record<string, string>[];
}

const readCsvRecords = (file: string): Record<string, string>[] =>
  existsSync(file)
    ? (parse(readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true }) as Record<
        string,
        string
      >[])
    : [];

/** Reads one capture folder. Throws when it has no cel.csv. */
export function readCapture(dir: string): CaptureRecords {
  if (!existsSync(join(dir, 'cel.csv'))) throw new Error(`${dir} has no cel.csv`);
  return {
    name: basename(resolve(dir)),
    cel: readCsvRecords(join(dir, 'cel.csv')),
    cdr: readCsvRecords(join(dir, 'cdr.csv')),
  };
}

/** Every capture folder below `root` (default: the repo's fixtures), sorted by name. */
export function listCaptures(root = FIXTURE_SCENARIOS_DIR): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, d.name, 'cel.csv')))
    .map((d) => join(root, d.name))
    .sort();
}
