import { readFile, rm } from 'node:fs/promises';
import { relative } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { describeFsError, errorMessage } from './archive-errors.ts';
import { type ArchiveLayout, FACT_TABLES, type FactTable } from './archive-layout.ts';
import type { StepOutcome, StepReporter } from './archive-step.ts';
import { formatBytes } from './archive-target.ts';
import { emptyFactsManifest, readFactsManifest, writeFactsManifest } from './facts-manifest.ts';
import { checkParquet } from './parquet-check.ts';
import { writeSmallFile, writeVerified } from './verified-write.ts';

/**
 * Step 3: each closed day's ClickHouse facts (call_facts, attempt_facts, segment_facts, read with
 * FINAL: ReplacingMergeTree) as one Parquet file per table and day, with each table's DDL (SHOW
 * CREATE TABLE) beside them. A day is closed when it is before the night's date in the archive's
 * zone; attempts and segments go by their call's start, so a call's rows share a day. Only days
 * whose fingerprint (row count and a hash of keys and versions) differs from the manifest are
 * exported: new days, and older days whose facts changed since (a card edited, a re-derivation).
 * Exported through the client with `FORMAT Parquet` (chDB and a server alike), Snappy-compressed
 * (every Parquet reader has it), verified by SHA-256 read-back and by an independent reader.
 */

interface TableShape {
  /** The column whose day (in the archive's zone) files a row. */
  dayColumn: string;
  /** Columns of the fingerprint hash (with `version`). */
  key: string;
  orderBy: string;
}

/**
 * Per facts table: the column whose day files a row, the key hashed into the day's fingerprint,
 * and the order of rows in its Parquet files.
 */
export const FACT_TABLE_SHAPES: Record<FactTable, TableShape> = {
  call_facts: {
    dayColumn: 'started_at',
    key: 'server_id, linkedid, version',
    orderBy: 'server_id, linkedid',
  },
  attempt_facts: {
    dayColumn: 'call_started_at',
    key: 'server_id, linkedid, seq, version',
    orderBy: 'server_id, linkedid, seq',
  },
  segment_facts: {
    dayColumn: 'call_started_at',
    key: 'server_id, linkedid, seq, version',
    orderBy: 'server_id, linkedid, seq',
  },
};

/**
 * One day (YYYY-MM-DD in the archive's zone) of a facts table: its rows and `sum(cityHash64(key,
 * version))` as a decimal string.
 */
export interface DayFingerprint {
  day: string;
  rows: number;
  fingerprint: string;
}

/** Rows and fingerprint of each day of `table` before `beforeDay` (or of `onlyDay`), in `timeZone`. */
export async function dayFingerprints(
  client: ClickHouseClient,
  table: FactTable,
  timeZone: string,
  range: { beforeDay: string } | { onlyDay: string },
): Promise<DayFingerprint[]> {
  const { dayColumn, key } = FACT_TABLE_SHAPES[table];
  const day = `toDate(${dayColumn}, {tz:String})`;
  const where = 'beforeDay' in range ? `${day} < toDate({d:String})` : `${day} = toDate({d:String})`;
  const result = await client.query({
    query: `SELECT toString(${day}) AS day, count() AS rows, toString(sum(cityHash64(${key}))) AS fingerprint
      FROM ${table} FINAL WHERE ${where} GROUP BY day ORDER BY day`,
    query_params: { tz: timeZone, d: 'beforeDay' in range ? range.beforeDay : range.onlyDay },
    format: 'JSONEachRow',
  });
  return (await result.json<{ day: string; rows: string | number; fingerprint: string }>()).map((r) => ({
    day: r.day,
    rows: Number(r.rows),
    fingerprint: r.fingerprint,
  }));
}

/** The statement exporting one day of `table` as Parquet. */
export function exportDayQuery(table: FactTable): string {
  const { dayColumn, orderBy } = FACT_TABLE_SHAPES[table];
  return `SELECT * FROM ${table} FINAL WHERE toDate(${dayColumn}, {tz:String}) = toDate({d:String}) ORDER BY ${orderBy}
    SETTINGS output_format_parquet_compression_method = 'snappy' FORMAT Parquet`;
}

async function exportDay(
  client: ClickHouseClient,
  layout: ArchiveLayout,
  table: FactTable,
  timeZone: string,
  day: string,
) {
  const file = layout.factsDay(table, day);
  const result = await client.exec({ query: exportDayQuery(table), query_params: { tz: timeZone, d: day } });
  return writeVerified(result.stream, file);
}

/**
 * What the facts export needs: the ClickHouse client, the archive layout, the archive's IANA zone
 * and the night's date.
 */
export interface FactsExportInput {
  clickhouse: ClickHouseClient;
  layout: ArchiveLayout;
  timeZone: string;
  /** The night's date: days before it are closed. */
  date: string;
}

/**
 * The ClickHouse step: exports every closed day (before `date`) of each facts table whose
 * fingerprint differs from the manifest's as Parquet, verified by SHA-256 read-back, writes the
 * tables' DDL and the manifest. Days already archived and unchanged are skipped.
 */
export async function exportFacts(input: FactsExportInput, reporter: StepReporter): Promise<StepOutcome> {
  const { clickhouse, layout, timeZone } = input;
  let manifest = await readFactsManifest(layout, timeZone);
  if (manifest.time_zone !== timeZone) manifest = emptyFactsManifest(timeZone); // days changed meaning
  let bytes = 0;
  let files = 0;
  let unchanged = 0;
  let removed = 0;
  const rowsPerTable: Record<string, number> = {};
  const errors: string[] = [];
  try {
    for (const table of FACT_TABLES) {
      const ddl = await (
        await clickhouse.query({ query: `SHOW CREATE TABLE ${table}`, format: 'TabSeparatedRaw' })
      ).text();
      const schemaFile = layout.factsSchema(table);
      if ((await readFile(schemaFile, 'utf8').catch(() => null)) !== `${ddl.trim()}\n`) {
        await writeSmallFile(schemaFile, `${ddl.trim()}\n`);
      }
      const days = await dayFingerprints(clickhouse, table, timeZone, { beforeDay: input.date });
      const entries = manifest.tables[table];
      rowsPerTable[table] = days.reduce((sum, d) => sum + d.rows, 0);
      const present = new Set(days.map((d) => d.day));
      for (const day of Object.keys(entries)) {
        if (present.has(day)) continue;
        // Every row of that day is gone (moved to another day, deleted): so goes its file.
        await rm(layout.factsDay(table, day), { force: true }).catch((error) => {
          throw describeFsError(error, 'removing', layout.factsDay(table, day));
        });
        delete entries[day];
        removed++;
      }
      const todo = days.filter(
        (d) => entries[d.day]?.fingerprint !== d.fingerprint || entries[d.day]?.rows !== d.rows,
      );
      unchanged += days.length - todo.length;
      for (const [index, wanted] of todo.entries()) {
        reporter.progress(`${table}: day ${wanted.day} (${index + 1}/${todo.length}), ${wanted.rows} rows`);
        let target = wanted;
        try {
          let written = await exportDay(clickhouse, layout, table, timeZone, target.day);
          try {
            await checkParquet(written.path, target.rows, 'linkedid');
          } catch {
            // The collector shipped into this day between counting and exporting: count again once.
            const [again] = await dayFingerprints(clickhouse, table, timeZone, { onlyDay: target.day });
            if (!again) continue;
            target = again;
            written = await exportDay(clickhouse, layout, table, timeZone, target.day);
            await checkParquet(written.path, target.rows, 'linkedid');
          }
          entries[target.day] = {
            file: relative(layout.root, written.path),
            rows: target.rows,
            fingerprint: target.fingerprint,
            bytes: written.bytes,
            sha256: written.sha256,
            exported_at: new Date().toISOString(),
          };
          bytes += written.bytes;
          files++;
        } catch (error) {
          const described = describeFsError(error, 'exporting', `${table} ${target.day}`);
          if (described.kind !== 'failed' && described.kind !== 'verification_failed') throw described;
          errors.push(`${table} ${target.day}: ${errorMessage(error)}`);
        }
      }
      await writeFactsManifest(layout, manifest);
    }
  } finally {
    await writeFactsManifest(layout, manifest).catch(() => {});
  }
  return {
    bytes,
    files,
    summary: `${files} day files exported (${formatBytes(bytes)}), ${unchanged} unchanged${removed ? `, ${removed} emptied days removed` : ''}; days before ${input.date} (${timeZone}); rows: ${FACT_TABLES.map((t) => `${t} ${rowsPerTable[t] ?? 0}`).join(', ')}`,
    detail: {
      exported: files,
      unchanged,
      removed,
      rows: rowsPerTable,
      time_zone: timeZone,
      before_day: input.date,
    },
    errors,
  };
}
