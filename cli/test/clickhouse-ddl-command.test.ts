import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { type OpenedClickHouse, openClickHouseFromConfig } from '@callcenter/analytics/open-clickhouse';
import { migratedFactsStatements, splitStatements, sqlFiles } from '@callcenter/sql';
import { FACT_TABLES } from '@callcenter/sql/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickhouseCommand } from '../src/commands/clickhouse-command.ts';

/**
 * `callcenter clickhouse ddl [--cluster NAME]`: every printed statement is parsed by the real
 * ClickHouse engine (chDB, `formatQuery`), and the engines, keys and sharding are read back from
 * the parsed form, so the cluster DDL is valid ClickHouse and carries the single-node keys.
 */
let dir: string;
let opened: OpenedClickHouse;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'callcenter-ddl-'));
  opened = await openClickHouseFromConfig({ url: undefined, chdbPath: join(dir, 'clickhouse') });
});
afterAll(async () => {
  await opened?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function ddl(args: string[]): Promise<string> {
  let out = '';
  const stdout = new Writable({
    write(chunk, _encoding, done) {
      out += String(chunk);
      done();
    },
  });
  await clickhouseCommand({ stdout }).parseAsync(['ddl', ...args], { from: 'user' });
  return out;
}

/** ClickHouse's own formatting of one statement (throws on a syntax error). */
async function formatted(statement: string): Promise<string> {
  const result = await opened.client.query({
    query: 'SELECT formatQuerySingleLine({q:String}) AS f',
    query_params: { q: statement },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ f: string }>();
  return row!.f;
}

describe('callcenter clickhouse ddl', () => {
  it('without --cluster prints the single-node facts DDL, as the sql/clickhouse files leave it', async () => {
    const printed = splitStatements(await ddl([]));
    expect(printed).toEqual(migratedFactsStatements());
    for (const s of printed) expect(await formatted(s)).toMatch(/^CREATE TABLE IF NOT EXISTS /);
  });

  it('--cluster NAME: replicated local tables with the same keys, Distributed tables sharded by server_id', async () => {
    const statements = splitStatements(await ddl(['--cluster', 'facts_cluster']));
    const parsed = await Promise.all(statements.map(formatted));
    const tables = Object.keys(FACT_TABLES) as (keyof typeof FACT_TABLES)[];
    // Per table a local and a Distributed table, then the migration bookkeeping (table + a row per
    // sql/clickhouse file).
    expect(parsed).toHaveLength(tables.length * 2 + 1 + sqlFiles('clickhouse').length);
    for (const table of tables) {
      const spec = FACT_TABLES[table];
      const local = parsed.find((p) =>
        p.startsWith(`CREATE TABLE IF NOT EXISTS ${table}_local ON CLUSTER facts_cluster`),
      );
      expect(local, `${table}_local`).toBeDefined();
      expect(local).toContain(
        `ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/${table}_local', '{replica}', version, is_deleted)`,
      );
      expect(local).toContain(`PARTITION BY ${spec.partitionBy}`);
      expect(local).toContain(`ORDER BY (${spec.orderBy.join(', ')})`);
      for (const [name, column] of Object.entries(spec.columns))
        expect(local).toContain(`\`${name}\` ${column.ch}`);
      for (const index of spec.indexes)
        expect(local).toContain(`INDEX ${index.name} ${index.expr} TYPE ${index.type}`);

      const distributed = parsed.find((p) => p.startsWith(`CREATE TABLE IF NOT EXISTS ${table} ON CLUSTER`));
      expect(distributed).toBe(
        `CREATE TABLE IF NOT EXISTS ${table} ON CLUSTER facts_cluster AS ${table}_local ENGINE = Distributed(facts_cluster, currentDatabase(), ${table}_local, cityHash64(server_id))`,
      );
    }
    expect(parsed.some((p) => p.includes('schema_migrations ON CLUSTER facts_cluster'))).toBe(true);
    const recorded = parsed.filter((p) => p.startsWith('INSERT INTO schema_migrations'));
    expect(recorded.map((p) => /SELECT '([^']+)'/.exec(p)?.[1])).toEqual([
      '001_facts',
      '002_call_facts_ended_at_stage',
      '003_call_facts_ivr_choice',
    ]);
    // Every sql/clickhouse file is covered by the generated DDL: a new file needs its cluster form.
    expect(sqlFiles('clickhouse').map((f) => f.name)).toEqual(
      recorded.map((p) => /SELECT '([^']+)'/.exec(p)?.[1]),
    );
  });

  it('--shard-by call_id shards every Distributed table by cityHash64(call_id)', async () => {
    const parsed = await Promise.all(
      splitStatements(await ddl(['--cluster', 'c1', '--shard-by', 'call_id'])).map(formatted),
    );
    const distributed = parsed.filter((p) => p.includes('ENGINE = Distributed('));
    expect(distributed).toHaveLength(3);
    for (const d of distributed) expect(d).toMatch(/, cityHash64\(call_id\)\)$/);
  });

  it('refuses a cluster name that is not an identifier', async () => {
    const command = clickhouseCommand({ stdout: new Writable({ write: (_c, _e, done) => done() }) });
    command.exitOverride();
    for (const sub of command.commands) sub.exitOverride().configureOutput({ writeErr: () => {} });
    await expect(
      command.parseAsync(['ddl', '--cluster', 'x; DROP TABLE call_facts'], { from: 'user' }),
    ).rejects.toThrow(/letters, digits and _ only/);
  });
});
