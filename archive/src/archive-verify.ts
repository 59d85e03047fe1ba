import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from './archive-errors.ts';
import { archiveLayout, type DumpKind, dumpDate, FACT_TABLES } from './archive-layout.ts';
import { verifyDump } from './dump-verifier.ts';
import { readFactsManifest } from './facts-manifest.ts';
import { readRecordingsManifest } from './recordings-manifest.ts';
import { hashFile, readChecksum } from './verified-write.ts';

/**
 * A full check of an archive on the NAS (`callcenter archive --verify`): every dump against its
 * `.sha256` and `pg_restore --list`, every recording copy and every Parquet file against the
 * SHA-256 in its manifest. Reads everything — the nightly run only verifies what it writes, and
 * catches a damaged copy later through its size; this finds silent corruption (bit rot, a
 * tampered file) too. Returns every problem found rather than stopping at the first.
 */

export interface ArchiveVerification {
  dumps: number;
  recordings: number;
  parquet: number;
  /** One line per damaged or missing file. */
  problems: string[];
}

/**
 * Checks the whole archive under `root` (see above) with `pgRestore` as the pg_restore binary;
 * `onProgress` gets a line per file checked. Resolves with the counts checked and one line per
 * damaged or missing file (empty when sound): a problem never stops the check.
 */
export async function verifyArchive(
  root: string,
  pgRestore: string,
  onProgress: (line: string) => void = () => {},
): Promise<ArchiveVerification> {
  const layout = archiveLayout(root);
  const result: ArchiveVerification = { dumps: 0, recordings: 0, parquet: 0, problems: [] };

  for (const kind of ['daily', 'monthly'] as DumpKind[]) {
    const dates = (await readdir(layout.dumpDir(kind)).catch(() => [] as string[]))
      .map(dumpDate)
      .filter((d): d is string => d !== null)
      .sort();
    for (const date of dates) {
      const file = layout.dump(kind, date);
      onProgress(`dump ${kind}/${date}`);
      result.dumps++;
      if (!(await readChecksum(file))) {
        result.problems.push(`${file}: no .sha256 beside it`);
        continue;
      }
      try {
        await verifyDump(pgRestore, file, { deep: false });
      } catch (error) {
        result.problems.push(errorMessage(error));
      }
    }
  }

  const recordings = await readRecordingsManifest(layout);
  const entries = Object.entries(recordings.files);
  for (const [index, [rel, entry]] of entries.entries()) {
    if (index % 100 === 0) onProgress(`recordings ${index}/${entries.length}`);
    result.recordings++;
    const copy = join(layout.recordingFiles, rel);
    try {
      const actual = await hashFile(copy);
      if (actual.sha256 !== entry.sha256 || actual.bytes !== entry.size) {
        result.problems.push(`${copy}: damaged copy (SHA-256 or size differs from the manifest)`);
      }
    } catch (error) {
      result.problems.push(
        `${copy}: ${(error as { code?: string }).code === 'ENOENT' ? 'missing' : errorMessage(error)}`,
      );
    }
  }

  const facts = await readFactsManifest(layout, 'UTC');
  for (const table of FACT_TABLES) {
    for (const [day, entry] of Object.entries(facts.tables[table])) {
      onProgress(`${table} ${day}`);
      result.parquet++;
      const file = join(root, entry.file);
      try {
        const actual = await hashFile(file);
        if (actual.sha256 !== entry.sha256)
          result.problems.push(`${file}: damaged (SHA-256 differs from the manifest)`);
      } catch (error) {
        result.problems.push(
          `${file}: ${(error as { code?: string }).code === 'ENOENT' ? 'missing' : errorMessage(error)}`,
        );
      }
    }
  }
  return result;
}
