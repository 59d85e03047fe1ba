import { type ArchiveLayout, FACT_TABLES, type FactTable } from './archive-layout.ts';
import { readJsonFile, writeSmallFile } from './verified-write.ts';

/**
 * clickhouse/manifest.json: for each facts table and closed day (in the archive's time zone), the
 * Parquet file holding it, its rows, the day's fingerprint in ClickHouse when exported (so a day
 * whose facts changed later — a card edited, a call re-derived — is exported again), and the
 * file's SHA-256 for verification.
 */

export interface FactsDayEntry {
  /** Path relative to the archive root. */
  file: string;
  rows: number;
  /** `sum(cityHash64(key…, version))` over the day's rows (FINAL), as a decimal string. */
  fingerprint: string;
  bytes: number;
  sha256: string;
  exported_at: string;
}

/**
 * clickhouse/manifest.json: format 1, the zone of its days, when it was last written (UTC ISO),
 * and per facts table the entries of the days exported (YYYY-MM-DD → {@link FactsDayEntry}).
 */
export interface FactsManifest {
  format: 1;
  /** Zone of the days; a change of zone re-exports every day. */
  time_zone: string;
  updated_at: string;
  tables: Record<FactTable, Record<string, FactsDayEntry>>;
}

/** A manifest with no day exported yet, for the zone `timeZone`. */
export const emptyFactsManifest = (timeZone: string): FactsManifest => ({
  format: 1,
  time_zone: timeZone,
  updated_at: new Date(0).toISOString(),
  tables: Object.fromEntries(FACT_TABLES.map((t) => [t, {}])) as FactsManifest['tables'],
});

/** The facts manifest of the archive, or an empty one when the file does not exist yet. */
export async function readFactsManifest(layout: ArchiveLayout, timeZone: string): Promise<FactsManifest> {
  const manifest = await readJsonFile<FactsManifest>(layout.factsManifest, emptyFactsManifest(timeZone));
  for (const table of FACT_TABLES) manifest.tables[table] ??= {};
  return manifest;
}

/** Writes the manifest (stamping `updated_at`). */
export async function writeFactsManifest(layout: ArchiveLayout, manifest: FactsManifest): Promise<void> {
  manifest.updated_at = new Date().toISOString();
  await writeSmallFile(layout.factsManifest, `${JSON.stringify(manifest, null, 1)}\n`);
}
