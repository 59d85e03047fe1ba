/**
 * The schema as data (browser-safe, no imports beyond this folder): the call's columns in
 * Postgres, the ClickHouse facts, and the DDL generated from them (README.md, "Layout").
 */
export * from './call-columns.ts';
export * from './clickhouse-ddl.ts';
export * from './fact-tables.ts';
