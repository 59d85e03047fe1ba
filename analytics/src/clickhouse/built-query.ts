/**
 * What every report builder over the ClickHouse facts (sql/clickhouse/001_facts.sql) returns and
 * how its output is formatted.
 *
 * Every builder returns `{ query, query_params }` for `client.exec` / `client.query`: values that
 * come from a request (dates, queue, operator, time zone, the user's scope) are ALWAYS bound
 * parameters (`{name:Type}`), never spliced into the text. The only things written into the SQL
 * text are identifiers and expressions picked from constant tables (column whitelist, grain →
 * bucket expression), so an unknown name throws instead of reaching ClickHouse.
 *
 * Output formats: `ArrowStream` for the browser (uncompressed, LowCardinality as Arrow
 * dictionaries, String as Utf8: apache-arrow JS needs no LZ4 codec) and `JSONEachRow` with ISO
 * times for debugging and comparison. No UInt64 column is returned unless a caller asks for it by
 * name (`call_id`, `version`): 64-bit integers arrive in JS as BigInt.
 */

/** `arrow`: ArrowStream for the browser; `json`: JSONEachRow with ISO times and quoted 64-bit integers. */
export type ReportFormat = 'arrow' | 'json';

/** A statement and its bound parameters, ready for `client.exec({ query, query_params })`. */
export interface BuiltQuery {
  query: string;
  query_params: Record<string, unknown>;
}

/** `2025-03-03 21:00:00.000`: a Date as ClickHouse parses a DateTime64(3, 'UTC') parameter. */
export function toClickHouseDateTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * The statement's closing SETTINGS and FORMAT clause for `format` (in the statement itself, so a
 * server and chDB honour them alike).
 */
export function formatTail(format: ReportFormat): string {
  return format === 'arrow'
    ? "SETTINGS output_format_arrow_compression_method = 'none', output_format_arrow_low_cardinality_as_dictionary = 1, output_format_arrow_string_as_string = 1 FORMAT ArrowStream"
    : "SETTINGS date_time_output_format = 'iso', output_format_json_quote_64bit_integers = 1 FORMAT JSONEachRow";
}
