import { SERVICE_LEVEL_DEFAULT_SEC } from '@callcenter/analytics/aggregate';
import { openTestStores, type TestStores } from '@callcenter/ingest/testing/stores';
import { CALL_COLUMNS, type CallColumnSpec, FACT_TABLES, type FactTableSpec } from '@callcenter/sql/schema';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The call's one definition (sql/schema/) against the real migrated stores: app.calls in the
 * embedded PostgreSQL after every sql/postgres migration, and the facts in chDB after
 * sql/clickhouse. A migration that changes a column without the spec (or the reverse) fails here.
 */
let stores: TestStores;
beforeAll(async () => {
  stores = await openTestStores();
});
afterAll(async () => {
  await stores?.dispose();
});

/** information_schema's data_type for each spec type. */
const PG_DATA_TYPE: Record<CallColumnSpec['pg'], string> = {
  text: 'text',
  'text[]': 'ARRAY',
  bigint: 'bigint',
  integer: 'integer',
  'double precision': 'double precision',
  boolean: 'boolean',
  timestamptz: 'timestamp with time zone',
};

describe('app.calls and sql/schema/call-columns.ts', () => {
  it('have the same columns, in order, with the same types and nullability', async () => {
    const { rows } = await sql<{ column_name: string; data_type: string; is_nullable: 'YES' | 'NO' }>`
      SELECT column_name, data_type, is_nullable FROM information_schema.columns
      WHERE table_schema = 'app' AND table_name = 'calls' ORDER BY ordinal_position`.execute(
      stores.postgres.db,
    );
    const specs = Object.entries(CALL_COLUMNS as Record<string, CallColumnSpec>);
    expect(rows).toEqual(
      specs.map(([name, spec]) => ({
        column_name: name,
        data_type: PG_DATA_TYPE[spec.pg],
        is_nullable: spec.nullable ? 'YES' : 'NO',
      })),
    );
  });

  it('allow the same values where a CHECK constraint lists them', async () => {
    const { rows } = await sql<{ def: string }>`
      SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint
      WHERE conrelid = 'app.calls'::regclass AND contype = 'c'`.execute(stores.postgres.db);
    const listed = (column: string) => {
      const def = rows.find((r) => new RegExp(`\\(${column} = ANY`).test(r.def))?.def ?? '';
      return [...def.matchAll(/'([^']+)'::text/g)].map((m) => m[1]);
    };
    for (const [name, spec] of Object.entries(CALL_COLUMNS as Record<string, CallColumnSpec>)) {
      if (spec.values) expect(listed(name), name).toEqual([...spec.values]);
    }
    expect(listed('status')).toContain('ringing');
  });
});

describe('metric defaults', () => {
  it('app.queues.service_level_sec defaults to SERVICE_LEVEL_DEFAULT_SEC', async () => {
    const { rows } = await sql<{ column_default: string }>`
      SELECT column_default FROM information_schema.columns
      WHERE table_schema = 'app' AND table_name = 'queues' AND column_name = 'service_level_sec'`.execute(
      stores.postgres.db,
    );
    expect(rows.map((r) => Number(r.column_default))).toEqual([SERVICE_LEVEL_DEFAULT_SEC]);
  });
});

describe('the facts in ClickHouse and sql/schema/fact-tables.ts', () => {
  it('have the same columns, types, defaults, engines and keys', async () => {
    for (const [table, spec] of Object.entries(FACT_TABLES) as [string, FactTableSpec][]) {
      const columns = await (
        await stores.clickhouse.query({
          query:
            'SELECT name, type, default_expression FROM system.columns WHERE database = currentDatabase() AND table = {table:String} ORDER BY position',
          query_params: { table },
          format: 'JSONEachRow',
        })
      ).json<{ name: string; type: string; default_expression: string }>();
      expect(columns, table).toEqual(
        Object.entries(spec.columns).map(([name, c]) => ({
          name,
          type: c.ch,
          default_expression: c.default ?? '',
        })),
      );
      const [info] = await (
        await stores.clickhouse.query({
          query:
            'SELECT engine, sorting_key, partition_key FROM system.tables WHERE database = currentDatabase() AND name = {table:String}',
          query_params: { table },
          format: 'JSONEachRow',
        })
      ).json<{ engine: string; sorting_key: string; partition_key: string }>();
      expect(info, table).toEqual({
        engine: spec.engine,
        sorting_key: spec.orderBy.join(', '),
        partition_key: spec.partitionBy,
      });
    }
  });
});
