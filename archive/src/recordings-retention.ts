import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from './archive-errors.ts';
import type { ArchiveLayout } from './archive-layout.ts';
import { readRecordingsManifest, writeRecordingsManifest } from './recordings-manifest.ts';
import { listRecordings } from './recordings-tree.ts';
import { hashFile } from './verified-write.ts';

/**
 * The one rule that deletes source recordings (RECORDINGS_KEEP_DAYS, 0 = never): a recording older
 * than that many days leaves this server only when the manifest holds it with the same size and
 * mtime AND, checked right now, both its copy on the NAS and the source itself hash to the
 * manifest's SHA-256. Anything else (no copy, a damaged copy, a changed source) keeps the source.
 */

export interface SourcePruneResult {
  removed: number;
  bytes: number;
  /** Old enough but kept: no verified copy. */
  kept: number;
  errors: string[];
}

/**
 * Applies the rule above to RECORDINGS_DIR as of `now`: deletes the source of every recording
 * older than `keepDays` days whose copy is verified, records `source_deleted_at` in the manifest,
 * and returns what it removed (count, bytes), kept and could not do.
 */
export async function pruneSourceRecordings(input: {
  recordingsDir: string;
  layout: ArchiveLayout;
  now: Date;
  keepDays: number;
}): Promise<SourcePruneResult> {
  const result: SourcePruneResult = { removed: 0, bytes: 0, kept: 0, errors: [] };
  if (input.keepDays <= 0) return result;
  const cutoff = input.now.getTime() - input.keepDays * 86_400_000;
  const manifest = await readRecordingsManifest(input.layout);
  const old = (await listRecordings(input.recordingsDir)).filter((f) => f.mtimeMs < cutoff);
  try {
    for (const file of old) {
      const entry = manifest.files[file.rel];
      if (!entry || entry.size !== file.size || entry.mtime_ms !== file.mtimeMs) {
        result.kept++;
        continue;
      }
      try {
        const copy = await hashFile(join(input.layout.recordingFiles, file.rel));
        const source = await hashFile(file.abs);
        if (copy.sha256 !== entry.sha256 || source.sha256 !== entry.sha256) {
          result.kept++;
          result.errors.push(`${file.rel}: kept on this server, its archived copy does not verify`);
          continue;
        }
        await rm(file.abs);
        entry.source_deleted_at = new Date().toISOString();
        result.removed++;
        result.bytes += file.size;
      } catch (error) {
        result.kept++;
        result.errors.push(`${file.rel}: ${errorMessage(error)}`);
      }
    }
  } finally {
    if (result.removed > 0) await writeRecordingsManifest(input.layout, manifest);
  }
  return result;
}
