import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describeFsError } from './archive-errors.ts';
import { type ArchiveLayout, checksumFile, type DumpKind, dumpDate } from './archive-layout.ts';

/**
 * Retention of the Postgres dumps (docs/operations.md#backups-archive-and-restore: N daily and M monthly copies): the newest `keepDaily`
 * dumps of postgres/daily and the newest `keepMonthly` of postgres/monthly (each the first dump
 * of its month) stay; older ones are removed with their `.sha256`. Run only after tonight's dump
 * was verified, so a failing night never thins the copies that still work.
 */

/** Dates to delete from `dates` so that the newest `keep` remain (pure). */
export function datesBeyondRetention(dates: readonly string[], keep: number): string[] {
  return [...dates].sort().reverse().slice(Math.max(0, keep));
}

/** The dump dates (YYYY-MM-DD) of one kind removed and kept by retention. */
export interface PrunedDumps {
  kind: DumpKind;
  removed: string[];
  kept: string[];
}

/** Removes the dumps of `kind` beyond `keep`; returns the dates removed and kept. */
export async function pruneDumps(layout: ArchiveLayout, kind: DumpKind, keep: number): Promise<PrunedDumps> {
  const dir = layout.dumpDir(kind);
  const dates = (await readdir(dir).catch(() => [] as string[]))
    .map(dumpDate)
    .filter((d): d is string => d !== null);
  const removed = datesBeyondRetention(dates, keep);
  for (const date of removed) {
    const file = layout.dump(kind, date);
    try {
      await rm(file, { force: true });
      await rm(checksumFile(file), { force: true });
    } catch (error) {
      throw describeFsError(error, 'removing the old dump', join(dir, file));
    }
  }
  return { kind, removed, kept: dates.filter((d) => !removed.includes(d)).sort() };
}
