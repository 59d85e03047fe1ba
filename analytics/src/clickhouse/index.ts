/** ClickHouse access (Node only): the client over chDB or a server, and the facts schema. */

export * from './built-query.ts';
export * from './call-facts-where.ts';
export * from './call-part-queries.ts';
export { type ClickHouseOptions, createClickHouse } from './clickhouse-client.ts';
export * from './column-doc.ts';
export * from './fact-columns.ts';
export * from './facts-query.ts';
export { migrateFacts } from './facts-schema.ts';
export * from './operator-stats-query.ts';
export * from './rollup-query.ts';
