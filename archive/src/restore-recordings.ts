import { createReadStream } from 'node:fs';
import { rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from './archive-errors.ts';
import type { ArchiveLayout } from './archive-layout.ts';
import { readRecordingsManifest } from './recordings-manifest.ts';
import { hashFile, writeVerified } from './verified-write.ts';

/**
 * The recordings half of a restore: every file of the recordings manifest is copied from the
 * archive into RECORDINGS_DIR, each checked against its manifest SHA-256 on the way (a damaged
 * copy is reported, never restored). A file already there with the same content is left alone;
 * one with other content is a conflict, replaced only with `replace`.
 */

export interface RecordingsRestoreResult {
  restored: number;
  present: number;
  bytes: number;
  errors: string[];
}

/**
 * The recordings half of a restore (see above): resolves with files restored, already present,
 * bytes and errors.
 */
export async function restoreRecordings(input: {
  layout: ArchiveLayout;
  recordingsDir: string;
  replace: boolean;
  progress: (line: string) => void;
}): Promise<RecordingsRestoreResult> {
  const manifest = await readRecordingsManifest(input.layout);
  const result: RecordingsRestoreResult = { restored: 0, present: 0, bytes: 0, errors: [] };
  const entries = Object.entries(manifest.files);
  for (const [index, [rel, entry]] of entries.entries()) {
    if (index % 50 === 0) input.progress(`recordings ${index}/${entries.length}`);
    const dest = join(input.recordingsDir, rel);
    try {
      const existing = await stat(dest).catch(() => null);
      if (existing) {
        const here = await hashFile(dest);
        if (here.sha256 === entry.sha256) {
          result.present++;
          continue;
        }
        if (!input.replace) {
          result.errors.push(`${dest} exists with other content (use --force to replace it)`);
          continue;
        }
      }
      const written = await writeVerified(createReadStream(join(input.layout.recordingFiles, rel)), dest);
      if (written.sha256 !== entry.sha256) {
        await rm(dest, { force: true });
        result.errors.push(`${rel}: the archived copy is damaged (SHA-256 differs from the manifest)`);
        continue;
      }
      await utimes(dest, new Date(), new Date(entry.mtime_ms)).catch(() => {});
      result.restored++;
      result.bytes += written.bytes;
    } catch (error) {
      result.errors.push(`${rel}: ${errorMessage(error)}`);
    }
  }
  return result;
}
