import { ArchiveError, errorMessage } from './archive-errors.ts';
import { runPgTool } from './pg-client-tools.ts';
import { hashFile, readChecksum } from './verified-write.ts';

/**
 * Verifies a custom-format dump on the NAS three ways: its SHA-256 against the `.sha256` recorded
 * when it was written (any changed byte), `pg_restore --list` (the table of contents is readable
 * and holds the application's tables), and `pg_restore --file=/dev/null` (every data block
 * decompresses: what a real restore would read).
 */

export interface DumpCheck {
  /** Entries in the dump's table of contents. */
  entries: number;
  /** `schema.table` of every TABLE DATA entry. */
  tables: string[];
  sha256: string;
  bytes: number;
}

/** Tables a dump of this product must contain. */
const REQUIRED_TABLES = ['app.calls', 'app.call_attempts', 'app.outbox'];

/** Parses `pg_restore --list` output: entry count and the TABLE DATA tables. */
export function parseDumpList(listing: string): { entries: number; tables: string[] } {
  const lines = listing.split('\n').filter((l) => /^\d+;/.test(l));
  const tables = lines
    .map((l) => /\bTABLE DATA (\S+) (\S+) /.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => `${m[1]}.${m[2]}`);
  return { entries: lines.length, tables };
}

/**
 * Checks `file` as described above. `expectedSha256` defaults to the `.sha256` sidecar; without
 * either the checksum part is skipped. Throws ArchiveError('verification_failed') naming what is
 * wrong.
 */
export async function verifyDump(
  pgRestore: string,
  file: string,
  options: { expectedSha256?: string; deep?: boolean } = {},
): Promise<DumpCheck> {
  const expected = options.expectedSha256 ?? (await readChecksum(file));
  const actual = await hashFile(file).catch((error) => {
    throw new ArchiveError('verification_failed', `cannot read the dump ${file}: ${errorMessage(error)}`);
  });
  if (expected && expected !== actual.sha256) {
    throw new ArchiveError(
      'verification_failed',
      `the dump ${file} is damaged: its SHA-256 ${actual.sha256.slice(0, 12)}… differs from ${expected.slice(0, 12)}… recorded when it was written`,
    );
  }
  let listing: string;
  try {
    listing = (await runPgTool(pgRestore, ['--list', file])).stdout;
  } catch (error) {
    throw new ArchiveError(
      'verification_failed',
      `pg_restore --list cannot read ${file}: ${errorMessage(error)}`,
    );
  }
  const { entries, tables } = parseDumpList(listing);
  const missing = REQUIRED_TABLES.filter((t) => !tables.includes(t));
  if (missing.length > 0) {
    throw new ArchiveError(
      'verification_failed',
      `the dump ${file} lacks the data of ${missing.join(', ')} (pg_restore --list: ${entries} entries)`,
    );
  }
  if (options.deep !== false) {
    try {
      await runPgTool(pgRestore, ['--file=/dev/null', file]);
    } catch (error) {
      throw new ArchiveError(
        'verification_failed',
        `pg_restore cannot read every block of ${file}: ${errorMessage(error)}`,
      );
    }
  }
  return { entries, tables, sha256: actual.sha256, bytes: actual.bytes };
}
