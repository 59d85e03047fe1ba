import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { migrateFacts } from '@callcenter/analytics/clickhouse';
import { drainOutbox } from '@callcenter/ingest/shipper';
import type { Database } from '@callcenter/platform/database';
import type { ClickHouseClient } from '@clickhouse/client';
import { type Kysely, sql } from 'kysely';
import { ArchiveError } from './archive-errors.ts';
import { type ArchiveLayout, FACT_TABLES, type FactTable } from './archive-layout.ts';
import { readFactsManifest } from './facts-manifest.ts';
import { hashFile } from './verified-write.ts';

/**
 * The ClickHouse half of a restore: the facts tables are created from the archived DDL, every
 * archived day before the restored night is checked against its SHA-256 and loaded from its
 * Parquet file, and the calls of the restored database that no loaded day covers (the night's own
 * day, calls that arrived after their day was exported) are shipped from Postgres through the
 * outbox, so the facts match the restored calls. chDB reads the file in-process (`file()`); a
 * ClickHouse server receives it as an insert body.
 */

export type ClickHouseTransport = 'chdb' | 'server';

/** `CREATE TABLE default.call_facts` → `CREATE TABLE IF NOT EXISTS call_facts`. */
export function portableDdl(ddl: string, table: FactTable): string {
  return ddl.replace(/^CREATE TABLE\s+(?:`?[\w]+`?\.)?`?(\w+)`?/, (_m, name: string) => {
    if (name !== table) throw new ArchiveError('failed', `the archived DDL of ${table} creates ${name}`);
    return `CREATE TABLE IF NOT EXISTS ${table}`;
  });
}

const stringLiteral = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** Rows in the facts tables, read with FINAL (0 for a table that does not exist). */
export async function factRowCounts(client: ClickHouseClient): Promise<Record<FactTable, number>> {
  const existing = await client.query({
    query: `SELECT name FROM system.tables WHERE database = currentDatabase() AND name IN ('call_facts', 'attempt_facts', 'segment_facts')`,
    format: 'JSONEachRow',
  });
  const counts = { call_facts: 0, attempt_facts: 0, segment_facts: 0 };
  for (const { name } of await existing.json<{ name: FactTable }>()) {
    const result = await client.query({
      query: `SELECT count() AS n FROM ${name} FINAL`,
      format: 'JSONEachRow',
    });
    counts[name] = Number((await result.json<{ n: string | number }>())[0]?.n ?? 0);
  }
  return counts;
}

/**
 * What the facts restore did: days loaded from Parquet, rows per table afterwards, calls shipped
 * from Postgres.
 */
export interface FactsRestoreResult {
  days: number;
  rows: Record<FactTable, number>;
  shippedCalls: number;
}

/**
 * The ClickHouse half of a restore (see above). Throws ArchiveError (`verification_failed`) when a
 * Parquet file does not match its SHA-256.
 */
export async function restoreFacts(input: {
  layout: ArchiveLayout;
  /** The restored night: days before it are loaded from Parquet. */
  date: string;
  clickhouse: ClickHouseClient;
  transport: ClickHouseTransport;
  db: Kysely<Database>;
  replace: boolean;
  progress: (line: string) => void;
}): Promise<FactsRestoreResult> {
  const { clickhouse, layout } = input;
  const manifest = await readFactsManifest(layout, 'UTC');
  if (input.replace) {
    for (const table of FACT_TABLES) await clickhouse.command({ query: `DROP TABLE IF EXISTS ${table}` });
  }
  for (const table of FACT_TABLES) {
    const ddl = await readFile(layout.factsSchema(table), 'utf8').catch(() => null);
    if (ddl) await clickhouse.command({ query: portableDdl(ddl.trim(), table) });
  }
  await migrateFacts(clickhouse); // tables missing from the archive, and later migrations

  const loadedCallDays: string[] = [];
  let days = 0;
  for (const table of FACT_TABLES) {
    const entries = Object.entries(manifest.tables[table])
      .filter(([day]) => day < input.date)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    for (const [day, entry] of entries) {
      const file = join(layout.root, entry.file);
      input.progress(`${table} ${day}: ${entry.rows} rows`);
      const actual = await hashFile(file).catch(() => null);
      if (!actual || actual.sha256 !== entry.sha256) {
        throw new ArchiveError(
          'verification_failed',
          `${file} is ${actual ? 'damaged (SHA-256 differs from the manifest)' : 'missing'}`,
        );
      }
      if (input.transport === 'chdb') {
        const source = `file(${stringLiteral(file)}, Parquet)`;
        const described = await clickhouse.query({
          query: `DESCRIBE TABLE ${source}`,
          format: 'JSONEachRow',
        });
        const columns = (await described.json<{ name: string }>())
          .map((c) => `\`${c.name.replace(/`/g, '')}\``)
          .join(', ');
        await clickhouse.command({
          query: `INSERT INTO ${table} (${columns}) SELECT ${columns} FROM ${source}`,
        });
      } else {
        await clickhouse.insert({ table, values: createReadStream(file), format: 'Parquet' });
      }
      if (table === 'call_facts') loadedCallDays.push(day);
      days++;
    }
  }

  // Calls no loaded day covers go out through the outbox, as the collector would ship them.
  const queued = await sql<{ n: number }>`
    WITH queued AS (
      INSERT INTO app.outbox (call_id, version)
      SELECT id, version FROM app.calls
      WHERE NOT (to_char(started_at AT TIME ZONE ${manifest.time_zone}, 'YYYY-MM-DD') = ANY(${loadedCallDays}::text[]))
      RETURNING 1)
    SELECT count(*)::int AS n FROM queued`.execute(input.db);
  input.progress(`shipping ${queued.rows[0]?.n ?? 0} calls outside the archived days from Postgres`);
  const shipped = await drainOutbox(input.db, clickhouse);
  return { days, rows: await factRowCounts(clickhouse), shippedCalls: shipped.calls };
}
