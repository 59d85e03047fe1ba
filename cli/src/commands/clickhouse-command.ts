import type { Writable } from 'node:stream';
import { clusterFactsDdl, factsDdl } from '@callcenter/sql/schema';
import { Command, InvalidArgumentError, Option } from 'commander';

/**
 * `callcenter clickhouse ddl [--cluster NAME] [--shard-by server_id|call_id]`: prints the facts'
 * DDL generated from their one definition (sql/schema/fact-tables.ts). Without `--cluster`, the
 * single-node statements (what sql/clickhouse's files create: 001_facts and the columns later files add); with it, the cluster form of
 * docs/clickhouse-cluster.md#cluster-ddl: per table a `ReplicatedReplacingMergeTree` local table
 * `ON CLUSTER NAME` with the same columns, indexes and keys, a `Distributed` table under the
 * product's name sharded by `cityHash64(server_id)` (or `call_id`), and the replicated
 * `schema_migrations` row that makes the start-up migration skip `001_facts` (it would create the
 * plain tables). Reads no database; statements end with `;`, ready for `clickhouse-client -n`.
 */
export function clickhouseCommand(io: { stdout: Writable } = { stdout: process.stdout }): Command {
  // addCommand() does not pass the parent's exitOverride on: usage errors must reach main() (exit 2).
  const ddl = new Command('ddl')
    .exitOverride()
    .description(
      'print the facts DDL (call_facts, attempt_facts, segment_facts); --cluster for a ClickHouse cluster',
    )
    .option(
      '--cluster <name>',
      'the cluster name of remote_servers: replicated local tables + Distributed tables',
      (v) => {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(v)) throw new InvalidArgumentError('letters, digits and _ only');
        return v;
      },
    )
    .addOption(
      new Option('--shard-by <column>', 'sharding key of the Distributed tables (cityHash64 of it)')
        .choices(['server_id', 'call_id'])
        .default('server_id'),
    )
    .action((options: { cluster?: string; shardBy: 'server_id' | 'call_id' }) => {
      io.stdout.write(facts(options.cluster, options.shardBy));
    });
  return new Command('clickhouse')
    .description('the ClickHouse facts schema (clickhouse ddl)')
    .addCommand(ddl);
}

const statement = (sql: string) => `${sql};\n`;

/**
 * The sql/clickhouse files the generated DDL already contains (001_facts, and the columns later
 * files add to a database created before them): recorded as applied on a new cluster, so the
 * start-up migration never runs their plain-table form there.
 */
export const FACTS_DDL_MIGRATIONS = [
  '001_facts',
  '002_call_facts_ended_at_stage',
  '003_call_facts_ivr_choice',
] as const;

function facts(cluster: string | undefined, shardBy: 'server_id' | 'call_id'): string {
  if (!cluster)
    return [
      '-- Facts DDL for one ClickHouse server (sql/clickhouse/*.sql, applied at start-up, leave the same tables).',
      ...factsDdl().map(statement),
    ].join('\n');
  const lines = [
    `-- Facts DDL for the ClickHouse cluster ${cluster} (docs/clickhouse-cluster.md#cluster-ddl).`,
    '-- Run once before the first start against the cluster; every node needs the {shard} and',
    '-- {replica} macros. Shipper inserts go through the Distributed tables: give the user the',
    '-- product connects as distributed_foreground_insert = 1 (a settings profile), so an outbox',
    '-- entry is deleted only after its rows reached their shard.',
    '',
  ];
  for (const s of clusterFactsDdl({ cluster, shardBy }))
    lines.push(`-- ${s.table} (${s.kind})`, statement(s.sql));
  lines.push(
    '-- The start-up migration (analytics/src/clickhouse/facts-schema.ts) records applied files here;',
    '-- 001_facts (and 002, 003: columns it already has) is the DDL above: it must not run again as plain tables.',
    statement(
      [
        `CREATE TABLE IF NOT EXISTS schema_migrations ON CLUSTER ${cluster}`,
        '(name String, applied_at DateTime DEFAULT now())',
        "ENGINE = ReplicatedMergeTree('/clickhouse/tables/all/{database}/schema_migrations', '{replica}')",
        'ORDER BY name',
      ].join('\n'),
    ),
    ...FACTS_DDL_MIGRATIONS.map((name) =>
      statement(
        `INSERT INTO schema_migrations (name) SELECT '${name}' WHERE '${name}' NOT IN (SELECT name FROM schema_migrations)`,
      ),
    ),
  );
  return lines.join('\n');
}
