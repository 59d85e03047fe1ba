import { createReadStream } from 'node:fs';
import { stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { ArchiveError, describeFsError, FATAL_KINDS } from './archive-errors.ts';
import type { ArchiveLayout } from './archive-layout.ts';
import type { StepOutcome, StepReporter } from './archive-step.ts';
import { ensureFreeSpace, formatBytes } from './archive-target.ts';
import {
  type RecordingsManifest,
  readRecordingsManifest,
  writeRecordingsManifest,
} from './recordings-manifest.ts';
import { listRecordings, type SourceFile } from './recordings-tree.ts';
import { hashFile, writeVerified } from './verified-write.ts';

/**
 * Step 2: incremental copy of the recordings (MixMonitor files under RECORDINGS_DIR) to
 * recordings/files on the NAS. A file is copied when it is new, when its size or mtime differ
 * from the manifest (it changed), or when its copy is missing or has the wrong size (repair);
 * every copy is hashed while read from the source and read back from the NAS before it enters the
 * manifest. Files modified within the last minute are left for the next night (Asterisk may still
 * be writing them), as are files that changed while being copied. Never deletes anything.
 *
 * Rolling re-verification: bit rot on the NAS keeps a file's size, so each night also re-reads the
 * copies verified longest ago — about a thirtieth of the archive, at least REVERIFY_MIN_BYTES —
 * so every copy is re-read about monthly. A damaged copy is replaced from its source when the
 * source still hashes as the manifest says; otherwise the damage is reported (the step fails).
 */

export interface RecordingsCopyInput {
  recordingsDir: string;
  layout: ArchiveLayout;
  now: Date;
  /** A file younger than this (ms) may still be recorded: deferred. Default 60 s. */
  settleMs?: number;
}

/** Manifest writes happen every this many copies, so a crash keeps most of a long night's work. */
const SAVE_EVERY = 200;
const MAX_LISTED_ERRORS = 20;
/** Re-read at least this many bytes of older copies per night (1 GiB). */
export const REVERIFY_MIN_BYTES = 1 << 30;

type Reason = 'new' | 'changed' | 'repair';

/** Runs the step; per-file failures come back in `errors`, NAS-wide failures stop it and throw. */
export async function copyRecordings(
  input: RecordingsCopyInput,
  reporter: StepReporter,
): Promise<StepOutcome> {
  const settleMs = input.settleMs ?? 60_000;
  const sources = await listRecordings(input.recordingsDir).catch((error) => {
    throw new ArchiveError(
      'failed',
      `cannot list the recordings in ${input.recordingsDir}: ${String(error)}`,
    );
  });
  const sourceMissing = await stat(input.recordingsDir).then(
    () => false,
    () => true,
  );
  if (sourceMissing) {
    return {
      bytes: 0,
      files: 0,
      summary: `no recordings directory at ${input.recordingsDir} (RECORDINGS_DIR): nothing to copy`,
      detail: { source_missing: true, source: input.recordingsDir },
    };
  }
  const manifest = await readRecordingsManifest(input.layout);
  const plan: Array<{ file: SourceFile; reason: Reason }> = [];
  let unchanged = 0;
  let deferred = 0;
  for (const file of sources) {
    if (input.now.getTime() - file.mtimeMs < settleMs) {
      deferred++;
      continue;
    }
    const entry = manifest.files[file.rel];
    if (!entry) {
      plan.push({ file, reason: 'new' });
      continue;
    }
    if (entry.size !== file.size || entry.mtime_ms !== file.mtimeMs) {
      plan.push({ file, reason: 'changed' });
      continue;
    }
    const copy = await stat(join(input.layout.recordingFiles, file.rel)).catch(() => null);
    if (!copy || copy.size !== entry.size) plan.push({ file, reason: 'repair' });
    else unchanged++;
  }
  const toCopyBytes = plan.reduce((sum, p) => sum + p.file.size, 0);
  await ensureFreeSpace(input.layout.root, toCopyBytes, `${plan.length} recordings`);

  const errors: string[] = [];
  let failed = 0;
  let copied = 0;
  let repaired = 0;
  let bytes = 0;
  let sinceSave = 0;
  let reverified = 0;
  const line = () =>
    `${copied + failed}/${plan.length} to copy (${sources.length} files, ${unchanged} unchanged): ${copied} copied, ${formatBytes(bytes)} of ${formatBytes(toCopyBytes)}${failed ? `, ${failed} failed` : ''}`;
  try {
    for (const { file, reason } of plan) {
      const dest = join(input.layout.recordingFiles, file.rel);
      try {
        const written = await writeVerified(createReadStream(file.abs), dest);
        const after = await stat(file.abs);
        if (after.size !== file.size || after.mtimeMs !== file.mtimeMs || written.bytes !== file.size) {
          deferred++; // changed while being copied: the next night copies the settled file
        } else {
          await utimes(dest, new Date(), new Date(file.mtimeMs)).catch(() => {});
          const at = new Date().toISOString();
          manifest.files[file.rel] = {
            size: file.size,
            mtime_ms: file.mtimeMs,
            sha256: written.sha256,
            copied_at: at,
            verified_at: at,
          };
          copied++;
          if (reason === 'repair') repaired++;
          bytes += written.bytes;
          if (++sinceSave >= SAVE_EVERY) {
            await writeRecordingsManifest(input.layout, manifest);
            sinceSave = 0;
          }
        }
      } catch (error) {
        const described = describeFsError(error, 'copying', file.rel);
        if (FATAL_KINDS.has(described.kind)) throw described;
        failed++;
        if (errors.length < MAX_LISTED_ERRORS) errors.push(`${file.rel}: ${described.message}`);
      }
      reporter.progress(line());
    }
    const checked = await reverifyOldest(input, manifest, new Set(plan.map((p) => p.file.rel)), reporter);
    reverified = checked.reverified;
    repaired += checked.repaired;
    bytes += checked.bytes;
    copied += checked.repaired;
    failed += checked.errors.length;
    errors.push(...checked.errors.slice(0, Math.max(0, MAX_LISTED_ERRORS - errors.length)));
  } finally {
    await writeRecordingsManifest(input.layout, manifest);
  }
  if (failed > errors.length) errors.push(`… and ${failed - errors.length} more`);
  return {
    bytes,
    files: copied,
    summary: `${copied} copied (${formatBytes(bytes)}${repaired ? `, ${repaired} damaged or missing copies replaced` : ''}), ${unchanged} unchanged, ${deferred} left for the next night${failed ? `, ${failed} FAILED` : ''}; every copy verified by SHA-256, ${reverified} older copies re-read`,
    detail: {
      source: input.recordingsDir,
      files: sources.length,
      copied,
      repaired,
      reverified,
      unchanged,
      deferred,
      failed,
      in_manifest: Object.keys(manifest.files).length,
    },
    errors,
  };
}

/**
 * Re-reads the copies verified longest ago (see the module comment), skipping the ones copied
 * tonight; replaces a damaged copy from a source that still matches the manifest.
 */
async function reverifyOldest(
  input: RecordingsCopyInput,
  manifest: RecordingsManifest,
  copiedTonight: ReadonlySet<string>,
  reporter: StepReporter,
): Promise<{ reverified: number; repaired: number; bytes: number; errors: string[] }> {
  const entries = Object.entries(manifest.files).filter(([rel]) => !copiedTonight.has(rel));
  const total = entries.reduce((sum, [, e]) => sum + e.size, 0);
  const budget = Math.max(REVERIFY_MIN_BYTES, Math.ceil(total / 30));
  entries.sort(([, a], [, b]) => ((a.verified_at ?? a.copied_at) < (b.verified_at ?? b.copied_at) ? -1 : 1));
  const result = { reverified: 0, repaired: 0, bytes: 0, errors: [] as string[] };
  let read = 0;
  for (const [rel, entry] of entries) {
    if (read >= budget) break;
    read += entry.size;
    const copy = join(input.layout.recordingFiles, rel);
    const actual = await hashFile(copy).catch(() => null);
    result.reverified++;
    if (actual && actual.sha256 === entry.sha256 && actual.bytes === entry.size) {
      entry.verified_at = new Date().toISOString();
      continue;
    }
    const source = join(input.recordingsDir, rel);
    const sourceHash = entry.source_deleted_at ? null : await hashFile(source).catch(() => null);
    if (sourceHash?.sha256 !== entry.sha256) {
      result.errors.push(`${rel}: the archived copy is damaged and no matching source is left to replace it`);
      continue;
    }
    try {
      const written = await writeVerified(createReadStream(source), copy);
      entry.verified_at = new Date().toISOString();
      result.repaired++;
      result.bytes += written.bytes;
      reporter.progress(`replaced the damaged copy of ${rel}`);
    } catch (error) {
      result.errors.push(`${rel}: ${describeFsError(error, 'replacing the damaged copy of', rel).message}`);
    }
  }
  return result;
}
