/** How a report's columns are documented (the facts and rollup column tables, /openapi.json). */

/** One column of the facts report: ClickHouse type, the Arrow type it arrives as, unit, meaning. */
export interface ColumnDoc {
  clickhouse: string;
  arrow: string;
  unit: string;
  meaning: string;
  /** The SELECT expression when it is not the bare column (aliased to the column's name). */
  select?: string;
}

/**
 * Per-call durations leave as Float32: 7 significant digits (±0.0002 s at an hour) are finer than
 * any report shows, sums are taken in Float64 by the reader, and 4 bytes instead of 8 on five
 * columns is a fifth of a fact row's Arrow bytes (npm run bench:api).
 */
export const seconds = (column: string, meaning: string, nullable = false): ColumnDoc => ({
  clickhouse: nullable ? 'Nullable(Float64)' : 'Float64',
  arrow: nullable ? 'Float32, nullable' : 'Float32',
  unit: 's',
  meaning,
  select: `toFloat32(${column})`,
});

/** The Arrow type a DateTime64(3, 'UTC') column arrives as. */
export const ARROW_TIMESTAMP = 'Timestamp<MILLISECOND, UTC>';
/** The Arrow type a LowCardinality(String) column arrives as (with low_cardinality_as_dictionary). */
export const ARROW_DICTIONARY = 'Dictionary<Int32, Utf8>';
