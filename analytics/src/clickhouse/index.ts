/** ClickHouse access (Node only): the client over chDB or a server, and the facts schema. */

export * from './call-part-queries.ts';
export { type ClickHouseOptions, createClickHouse } from './clickhouse-client.ts';
export { migrateFacts } from './facts-schema.ts';
export * from './report-queries.ts';
