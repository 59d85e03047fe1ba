import type { ArchiveLayout } from './archive-layout.ts';
import { readJsonFile, writeSmallFile } from './verified-write.ts';

/**
 * The recordings manifest on the NAS (recordings/manifest.json): for every file copied, its path
 * under RECORDINGS_DIR, the source's size and mtime when it was copied (how the next night knows
 * what changed without reading it), the SHA-256 its copy was verified against, and when the
 * source was deleted by the retention rule. recordings/SHA256SUMS holds the same checksums in
 * `sha256sum -c` format, run from recordings/files.
 */

export interface RecordingEntry {
  /** Source size in bytes when copied. */
  size: number;
  /** Source mtime in ms since the epoch when copied. */
  mtime_ms: number;
  sha256: string;
  copied_at: string;
  /** When the copy on the NAS was last read back and matched `sha256`. */
  verified_at?: string;
  /** When RECORDINGS_KEEP_DAYS removed the source (its verified copy stays here). */
  source_deleted_at?: string;
}

/**
 * recordings/manifest.json: format 1, when it was last written (UTC ISO), and an entry per
 * recording copied.
 */
export interface RecordingsManifest {
  format: 1;
  updated_at: string;
  /** Keyed by the path relative to RECORDINGS_DIR, `/`-separated. */
  files: Record<string, RecordingEntry>;
}

/** The recordings manifest of the archive, or an empty one when the file does not exist yet. */
export async function readRecordingsManifest(layout: ArchiveLayout): Promise<RecordingsManifest> {
  const manifest = await readJsonFile<RecordingsManifest>(layout.recordingsManifest, {
    format: 1,
    updated_at: new Date(0).toISOString(),
    files: {},
  });
  manifest.files ??= {};
  return manifest;
}

/** Writes manifest.json and SHA256SUMS (each atomically). */
export async function writeRecordingsManifest(
  layout: ArchiveLayout,
  manifest: RecordingsManifest,
): Promise<void> {
  manifest.updated_at = new Date().toISOString();
  await writeSmallFile(layout.recordingsManifest, `${JSON.stringify(manifest)}\n`);
  const sums = Object.entries(manifest.files)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([path, entry]) => `${entry.sha256}  ${path}\n`)
    .join('');
  await writeSmallFile(layout.recordingsSums, sums);
}
