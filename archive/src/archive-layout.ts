import { join } from 'node:path';

/**
 * Where everything lives inside an archive root (ARCHIVE_DIR, the NAS mount). Plain files any tool
 * can read: `pg_restore` for the dumps, `sha256sum -c` for the checksums, any Parquet reader
 * (DuckDB, pandas, ClickHouse) for the facts.
 *
 * ```
 * <root>/callcenter-archive.json                  marker: this directory is our archive
 * <root>/postgres/daily/callcenter-YYYY-MM-DD.dump        pg_dump -Fc of the night, + .sha256
 * <root>/postgres/monthly/callcenter-YYYY-MM-DD.dump      first dump of each month, + .sha256
 * <root>/recordings/files/<path under RECORDINGS_DIR>      copies of the recordings
 * <root>/recordings/manifest.json, SHA256SUMS              what was copied, sizes, mtimes, SHA-256
 * <root>/clickhouse/schema/<table>.sql                     the facts tables' DDL (SHOW CREATE TABLE)
 * <root>/clickhouse/<table>/<table>-YYYY-MM-DD.parquet     one closed day of facts (day in the archive zone)
 * <root>/clickhouse/manifest.json                          per table and day: rows, fingerprint, SHA-256
 * <root>/runs/YYYY-MM-DD.json                              the night's run record (also in Postgres)
 * ```
 */

export const MARKER_FILE = 'callcenter-archive.json';
/** The ClickHouse facts tables the archive exports and restores (sql/clickhouse/001_facts.sql). */
export const FACT_TABLES = ['call_facts', 'attempt_facts', 'segment_facts'] as const;
/** One of the facts tables. */
export type FactTable = (typeof FACT_TABLES)[number];
/** Which dump folder: every night's (`daily`) or the first of each month (`monthly`). */
export type DumpKind = 'daily' | 'monthly';

const DUMP_NAME = /^callcenter-(\d{4}-\d{2}-\d{2})\.dump$/;

/**
 * The paths of everything inside the archive root `root` (the layout above): folders, and
 * functions from a table, day or date (`YYYY-MM-DD`) to a file.
 */
export const archiveLayout = (root: string) => ({
  root,
  marker: join(root, MARKER_FILE),
  dumpDir: (kind: DumpKind) => join(root, 'postgres', kind),
  dump: (kind: DumpKind, date: string) => join(root, 'postgres', kind, dumpFileName(date)),
  recordingsDir: join(root, 'recordings'),
  recordingFiles: join(root, 'recordings', 'files'),
  recordingsManifest: join(root, 'recordings', 'manifest.json'),
  recordingsSums: join(root, 'recordings', 'SHA256SUMS'),
  clickhouseDir: join(root, 'clickhouse'),
  factsSchema: (table: FactTable) => join(root, 'clickhouse', 'schema', `${table}.sql`),
  factsDay: (table: FactTable, day: string) => join(root, 'clickhouse', table, `${table}-${day}.parquet`),
  factsManifest: join(root, 'clickhouse', 'manifest.json'),
  runRecord: (date: string) => join(root, 'runs', `${date}.json`),
});
/** The paths of one archive root (see {@link archiveLayout}). */
export type ArchiveLayout = ReturnType<typeof archiveLayout>;

/** `callcenter-YYYY-MM-DD.dump`: the file name of the dump of the night `date`. */
export const dumpFileName = (date: string): string => `callcenter-${date}.dump`;

/** The date in a dump's file name, or null for any other file. */
export function dumpDate(fileName: string): string | null {
  return DUMP_NAME.exec(fileName)?.[1] ?? null;
}

/** The sidecar holding a file's SHA-256 in `sha256sum` format. */
export const checksumFile = (path: string): string => `${path}.sha256`;

/** A temporary name beside `path` for writing before the atomic rename. */
export const partialFile = (path: string): string => `${path}.partial`;
