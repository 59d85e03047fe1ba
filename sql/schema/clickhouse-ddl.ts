import { FACT_TABLES, type FactColumnSpec, type FactTableName, type FactTableSpec } from './fact-tables.ts';

/**
 * ClickHouse DDL of the facts, generated from {@link FACT_TABLES}: the single-node statements
 * (equal to sql/clickhouse/001_facts.sql with the columns later files add, checked by sql/test/facts-ddl.test.ts) and the cluster
 * form (docs/clickhouse-cluster.md#cluster-ddl). Browser-safe: text only.
 */

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function columnLines(spec: FactTableSpec): string[] {
  return [
    ...Object.entries(spec.columns).map(
      ([name, c]: [string, FactColumnSpec]) => `  ${name} ${c.ch}${c.default ? ` DEFAULT ${c.default}` : ''}`,
    ),
    ...spec.indexes.map((i) => `  INDEX ${i.name} ${i.expr} TYPE ${i.type} GRANULARITY ${i.granularity}`),
  ];
}

function tableStatement(name: string, spec: FactTableSpec, engine: string, onCluster: string): string {
  return [
    `CREATE TABLE IF NOT EXISTS ${name}${onCluster}`,
    '(',
    columnLines(spec).join(',\n'),
    ')',
    `ENGINE = ${engine}`,
    `PARTITION BY ${spec.partitionBy}`,
    `ORDER BY (${spec.orderBy.join(', ')})`,
  ].join('\n');
}

/** The single-node facts DDL: one `CREATE TABLE IF NOT EXISTS` per table, without `;`. */
export function factsDdl(): string[] {
  return Object.entries(FACT_TABLES).map(([name, spec]) =>
    tableStatement(name, spec, `${spec.engine}(${spec.engineArgs.join(', ')})`, ''),
  );
}

/** Options of {@link clusterFactsDdl}. */
export interface ClusterDdlOptions {
  /** The cluster's name in the servers' `remote_servers` configuration. */
  cluster: string;
  /**
   * The Distributed tables' sharding key: `server_id` (default: `cityHash64(server_id)`, a call
   * and all its versions and tombstones on one shard) or `call_id` (`cityHash64(call_id)`).
   */
  shardBy?: 'server_id' | 'call_id';
  /** Suffix of the replicated local tables (default `_local`). */
  localSuffix?: string;
}

/** One statement of the cluster DDL, with what it is for the caller's checks. */
export interface ClusterStatement {
  table: string;
  kind: 'local' | 'distributed';
  sql: string;
}

/**
 * The facts DDL for a ClickHouse cluster (docs/clickhouse-cluster.md#cluster-ddl): per table a
 * local `Replicated<engine>` table `ON CLUSTER` with the same columns, indexes, `PARTITION BY`
 * and `ORDER BY`, and a `Distributed` table under the product's name over it, sharded by
 * `cityHash64(<shardBy>)`. Throws on a cluster name that is not a plain identifier.
 */
export function clusterFactsDdl(options: ClusterDdlOptions): ClusterStatement[] {
  const { cluster, shardBy = 'server_id', localSuffix = '_local' } = options;
  if (!NAME.test(cluster)) throw new Error(`invalid cluster name "${cluster}": letters, digits and _ only`);
  if (!NAME.test(`x${localSuffix}`)) throw new Error(`invalid local table suffix "${localSuffix}"`);
  const out: ClusterStatement[] = [];
  for (const [name, spec] of Object.entries(FACT_TABLES) as [FactTableName, FactTableSpec][]) {
    const local = `${name}${localSuffix}`;
    const engine = `Replicated${spec.engine}('/clickhouse/tables/{shard}/{database}/${local}', '{replica}', ${spec.engineArgs.join(', ')})`;
    out.push({
      table: local,
      kind: 'local',
      sql: tableStatement(local, spec, engine, ` ON CLUSTER ${cluster}`),
    });
    out.push({
      table: name,
      kind: 'distributed',
      sql: [
        `CREATE TABLE IF NOT EXISTS ${name} ON CLUSTER ${cluster} AS ${local}`,
        `ENGINE = Distributed(${cluster}, currentDatabase(), ${local}, cityHash64(${shardBy}))`,
      ].join('\n'),
    });
  }
  return out;
}
