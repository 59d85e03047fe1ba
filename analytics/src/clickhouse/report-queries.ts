/**
 * SQL builders for the API's reports over the ClickHouse facts (sql/clickhouse/001_facts.sql).
 *
 * Every builder returns `{ query, query_params }` for `client.exec` / `client.query`: values that
 * come from a request (dates, queue, operator, time zone, the user's scope) are ALWAYS bound
 * parameters (`{name:Type}`), never spliced into the text. The only things written into the SQL
 * text are identifiers and expressions picked from constant tables in this file (column
 * whitelist, grain → bucket expression), so an unknown name throws instead of reaching ClickHouse.
 *
 * Every table is read with `FINAL` (ReplacingMergeTree: versions and tombstones are hidden only
 * at merge time), and every query is limited to the caller's role scope (docs/roles.md#scope):
 * - admin: everything (optionally one server);
 * - supervisor: `queue IN {queues}` on their server (no queues: nothing);
 * - operator: calls on their server where they are the operator or were rung (an attempt_facts
 *   row with their endpoint); no endpoint: nothing.
 *
 * Output formats: `ArrowStream` for the browser (uncompressed, LowCardinality as Arrow
 * dictionaries, String as Utf8: apache-arrow JS needs no LZ4 codec) and `JSONEachRow` with ISO
 * times for debugging and comparison. No UInt64 column is returned unless a caller asks for it by
 * name (`call_id`, `version`): 64-bit integers arrive in JS as BigInt.
 */

import { SERVICE_LEVEL_DEFAULT_SEC, SHORT_ABANDON_SEC } from '../aggregate/metric-defaults.ts';
import {
  ARROW_DICTIONARY,
  ARROW_TIMESTAMP,
  type CallFactColumn,
  type ColumnDoc,
  FACT_COLUMNS,
} from './fact-columns.ts';

/** Who is asking, as the report scope needs it (a subset of the API's AuthUser). */
export interface ReportScope {
  role: 'operator' | 'supervisor' | 'admin';
  /** Asterisk server of the user's endpoint and queues. */
  serverId: string;
  /** Operator's phone endpoint (`101`), or null. */
  endpoint: string | null;
  /** Queues a supervisor may see. */
  queues: readonly string[];
}

/** Row filters shared by the facts and rollup reports; the period is half-open [from, to). */
export interface FactFilters {
  from: Date;
  to: Date;
  queue?: string;
  operator?: string;
  direction?: string;
  status?: string;
  /** Limit to one Asterisk server (meaningful for admins; others are already limited to theirs). */
  server?: string;
}

export type ReportFormat = 'arrow' | 'json';

/** A statement and its bound parameters, ready for `client.exec({ query, query_params })`. */
export interface BuiltQuery {
  query: string;
  query_params: Record<string, unknown>;
}

export { type CallFactColumn, type ColumnDoc, FACT_COLUMNS };

const TS = ARROW_TIMESTAMP;
const DICT = ARROW_DICTIONARY;

/**
 * Columns returned when `columns` is not given: what the dashboard's client-side aggregation reads
 * (web/src/reports: operator, queue, category and daily reports), every dimension and measure.
 * Identifiers and phone numbers (`linkedid`, `call_id`, `src_number`, `dst_number`), the extra
 * timestamps and bookkeeping columns are high-cardinality text or unused there: at 1M facts they were
 * most of the bytes and pulled Arrow's advantage over JSON under 4× (npm run bench:api). Ask for
 * them with `columns=`.
 */
export const DEFAULT_FACT_COLUMNS: readonly CallFactColumn[] = [
  'server_id',
  'direction',
  'status',
  'started_at',
  'duration_sec',
  'wait_sec',
  'queue_wait_sec',
  'talk_sec',
  'hold_sec',
  'did',
  'queue',
  'operator',
  'hung_up_by',
  'attempts',
  'missed_attempts',
  'transfers',
  'has_recording',
  'purpose',
  'category',
  'subcategory',
  'needs_callback',
  'resolved_first_call',
  'card_completed',
];

/** Columns of `/reports/rollup`, in output order. */
export const ROLLUP_COLUMNS: Readonly<Record<string, ColumnDoc>> = {
  bucket_start: {
    clickhouse: "DateTime64(3, 'UTC')",
    arrow: TS,
    unit: 'ms since epoch',
    meaning: 'start of the hour/day/week (Monday) in the requested zone, as an instant',
  },
  bucket_label: {
    clickhouse: 'String',
    arrow: 'Utf8',
    unit: '',
    meaning: "local start, 'YYYY-MM-DD HH:MM' (hour) or 'YYYY-MM-DD' (day, week)",
  },
  queue: { clickhouse: 'LowCardinality(String)', arrow: DICT, unit: '', meaning: "first queue ('' none)" },
  operator: { clickhouse: 'LowCardinality(String)', arrow: DICT, unit: '', meaning: 'call_facts.operator' },
  calls: { clickhouse: 'UInt32', arrow: 'Uint32', unit: 'count', meaning: 'calls of any direction' },
  offered: { clickhouse: 'UInt32', arrow: 'Uint32', unit: 'count', meaning: 'inbound calls' },
  answered: { clickhouse: 'UInt32', arrow: 'Uint32', unit: 'count', meaning: 'inbound answered' },
  abandoned: { clickhouse: 'UInt32', arrow: 'Uint32', unit: 'count', meaning: 'inbound abandoned' },
  short_abandons: {
    clickhouse: 'UInt32',
    arrow: 'Uint32',
    unit: 'count',
    meaning: `inbound abandoned with queue_wait_sec < ${SHORT_ABANDON_SEC}`,
  },
  missed: { clickhouse: 'UInt32', arrow: 'Uint32', unit: 'count', meaning: 'inbound missed' },
  talk_sec: { clickhouse: 'Float64', arrow: 'Float64', unit: 's', meaning: 'sum of talk_sec, all calls' },
  hold_sec: { clickhouse: 'Float64', arrow: 'Float64', unit: 's', meaning: 'sum of hold_sec, all calls' },
  queue_wait_answered_sec: {
    clickhouse: 'Float64',
    arrow: 'Float64',
    unit: 's',
    meaning: 'sum of queue_wait_sec of inbound answered calls (ASA = this / answered)',
  },
  answered_in_sl: {
    clickhouse: 'UInt32',
    arrow: 'Uint32',
    unit: 'count',
    meaning: `inbound answered with queue_wait_sec <= the queue's own T (sl_sec, default ${SERVICE_LEVEL_DEFAULT_SEC}, without one)`,
  },
};

export type RollupGrain = 'hour' | 'day' | 'week';

/**
 * Bucket start per grain, as DateTime64(3, tz) at the local start: `{tz:String}` is a bound
 * parameter, the expression itself is constant text.
 */
const BUCKETS: Record<RollupGrain, { start: string; label: string }> = {
  hour: {
    start: 'toDateTime64(toStartOfHour(started_at, {tz:String}), 3, {tz:String})',
    label: '%Y-%m-%d %H:%i',
  },
  day: { start: 'toDateTime64(toStartOfDay(started_at, {tz:String}), 3, {tz:String})', label: '%Y-%m-%d' },
  week: {
    start: 'toDateTime64(toStartOfWeek(started_at, 1, {tz:String}), 3, {tz:String})',
    label: '%Y-%m-%d',
  },
};

/** Missed by operators (docs/metrics.md#missed-by-operators): a canceled ring is nobody's miss. */
const MISSED_OUTCOMES = "('no_answer', 'busy', 'declined')";

/** `2025-03-03 21:00:00.000`: a Date as ClickHouse parses a DateTime64(3, 'UTC') parameter. */
export function toClickHouseDateTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

/** Settings in the statement's own SETTINGS clause: honoured by a server and by chDB alike. */
function formatTail(format: ReportFormat): string {
  return format === 'arrow'
    ? "SETTINGS output_format_arrow_compression_method = 'none', output_format_arrow_low_cardinality_as_dictionary = 1, output_format_arrow_string_as_string = 1 FORMAT ArrowStream"
    : "SETTINGS date_time_output_format = 'iso', output_format_json_quote_64bit_integers = 1 FORMAT JSONEachRow";
}

/**
 * The WHERE conditions over `call_facts` for a period, the filters and the caller's scope, with
 * their parameters. `false` (no rows) for an operator without an endpoint or a supervisor
 * without queues.
 */
export function callFactsWhere(scope: ReportScope, filters: FactFilters): BuiltQuery {
  const params: Record<string, unknown> = {
    from: toClickHouseDateTime(filters.from),
    to: toClickHouseDateTime(filters.to),
  };
  const range = "started_at >= {from:DateTime64(3, 'UTC')} AND started_at < {to:DateTime64(3, 'UTC')}";
  const where = [range];
  switch (scope.role) {
    case 'admin':
      break;
    case 'supervisor':
      if (scope.queues.length === 0) {
        where.push('0');
        break;
      }
      where.push('server_id = {scope_server:String}', 'queue IN {scope_queues:Array(String)}');
      params.scope_server = scope.serverId;
      params.scope_queues = [...scope.queues];
      break;
    case 'operator':
      if (!scope.endpoint) {
        where.push('0');
        break;
      }
      where.push(
        'server_id = {scope_server:String}',
        `(operator = {scope_endpoint:String} OR linkedid IN (SELECT linkedid FROM attempt_facts FINAL WHERE server_id = {scope_server:String} AND operator = {scope_endpoint:String} AND call_started_at >= {from:DateTime64(3, 'UTC')} AND call_started_at < {to:DateTime64(3, 'UTC')}))`,
      );
      params.scope_server = scope.serverId;
      params.scope_endpoint = scope.endpoint;
      break;
    default: {
      const unknown: never = scope.role;
      throw new Error(`unknown role ${String(unknown)}`);
    }
  }
  for (const name of ['queue', 'operator', 'direction', 'status'] as const) {
    const value = filters[name];
    if (value !== undefined) {
      where.push(`${name} = {f_${name}:String}`);
      params[`f_${name}`] = value;
    }
  }
  if (filters.server !== undefined) {
    where.push('server_id = {f_server:String}');
    params.f_server = filters.server;
  }
  return { query: where.join('\n  AND '), query_params: params };
}

/** Checks requested columns against {@link FACT_COLUMNS}; returns the unknown ones. */
export function unknownFactColumns(columns: readonly string[]): string[] {
  return columns.filter((name) => !Object.hasOwn(FACT_COLUMNS, name));
}

/**
 * `/reports/facts`: one row per call in the period and scope, whitelisted columns only, ordered by
 * start time. Throws on a column outside the whitelist (the route answers 400 before that).
 */
export function factsQuery(
  scope: ReportScope,
  filters: FactFilters,
  columns: readonly string[] = DEFAULT_FACT_COLUMNS,
  format: ReportFormat = 'arrow',
): BuiltQuery {
  const unknown = unknownFactColumns(columns);
  if (unknown.length > 0) throw new Error(`unknown columns: ${unknown.join(', ')}`);
  if (columns.length === 0) throw new Error('no columns');
  const where = callFactsWhere(scope, filters);
  const query = [
    `SELECT ${columns
      .map((name) => {
        const select = FACT_COLUMNS[name]?.select;
        return select ? `${select} AS ${name}` : name;
      })
      .join(', ')}`,
    'FROM call_facts FINAL',
    `WHERE ${where.query}`,
    'ORDER BY started_at, server_id, linkedid',
    formatTail(format),
  ].join('\n');
  return { query, query_params: where.query_params };
}

/** A queue's own service-level threshold (app.queues.service_level_sec), seconds. */
export interface QueueThreshold {
  serverId: string;
  queue: string;
  slSec: number;
}

/**
 * `/reports/rollup`: per bucket (hour, day or Monday week in `tz`) × queue × operator, the counts
 * and sums of {@link ROLLUP_COLUMNS}, over the same rows as {@link factsQuery}. `answered_in_sl`
 * counts each call against its own queue's T (`thresholds`, keyed by server and queue, as the
 * per-call reports do: docs/metrics.md); `slSec` (default 20) is T for queues without one.
 */
export function rollupQuery(
  scope: ReportScope,
  filters: FactFilters,
  options: { grain: RollupGrain; tz: string; slSec?: number; thresholds?: readonly QueueThreshold[] },
  format: ReportFormat = 'arrow',
): BuiltQuery {
  const bucket = BUCKETS[options.grain];
  if (!bucket) throw new Error(`unknown grain ${String(options.grain)}`);
  const where = callFactsWhere(scope, filters);
  const inbound = "direction = 'inbound'";
  const thresholds = options.thresholds ?? [];
  const query = [
    'SELECT',
    `  toTimeZone(${bucket.start}, 'UTC') AS bucket_start,`,
    `  formatDateTime(${bucket.start}, '${bucket.label}', {tz:String}) AS bucket_label,`,
    '  queue,',
    '  operator,',
    '  toUInt32(count()) AS calls,',
    `  toUInt32(countIf(${inbound})) AS offered,`,
    `  toUInt32(countIf(${inbound} AND status = 'answered')) AS answered,`,
    `  toUInt32(countIf(${inbound} AND status = 'abandoned')) AS abandoned,`,
    `  toUInt32(countIf(${inbound} AND status = 'abandoned' AND queue_wait_sec < {short_abandon_sec:Float64})) AS short_abandons,`,
    `  toUInt32(countIf(${inbound} AND status = 'missed')) AS missed,`,
    '  toFloat64(sum(talk_sec)) AS talk_sec,',
    '  toFloat64(sum(hold_sec)) AS hold_sec,',
    `  toFloat64(sumIf(ifNull(queue_wait_sec, 0), ${inbound} AND status = 'answered')) AS queue_wait_answered_sec,`,
    // T of the call's own queue: transform() maps 'server:queue' through the two arrays (a server
    // id never holds ':', ASTERISK_SERVERS separates its fields with it: docs/operations.md).
    `  toUInt32(countIf(${inbound} AND status = 'answered' AND queue_wait_sec <= transform(concat(server_id, ':', queue), {sl_keys:Array(String)}, {sl_values:Array(Float64)}, {sl_sec:Float64}))) AS answered_in_sl`,
    'FROM call_facts FINAL',
    `WHERE ${where.query}`,
    'GROUP BY bucket_start, bucket_label, queue, operator',
    'ORDER BY bucket_start, queue, operator',
    formatTail(format),
  ].join('\n');
  return {
    query,
    query_params: {
      ...where.query_params,
      tz: options.tz,
      sl_sec: options.slSec ?? SERVICE_LEVEL_DEFAULT_SEC,
      short_abandon_sec: SHORT_ABANDON_SEC,
      sl_keys: thresholds.map((t) => `${t.serverId}:${t.queue}`),
      sl_values: thresholds.map((t) => t.slSec),
    },
  };
}

/** One operator's own figures for a period (`/me/stats`), see {@link operatorStatsQuery}. */
export interface OperatorStatsRow {
  answered_calls: number;
  missed_attempts: number;
  talked_calls: number;
  talk_sec: number;
  hold_sec: number;
  aht_sec: number | null;
  outbound_calls: number;
}

/**
 * An operator's own figures in [from, to) on their server (ANALYSTS.md "Operator efficiency"):
 * rings answered and missed (attempt_facts; missed = no_answer, busy, declined), their own talk
 * and hold and the calls they talked on (segment_facts: each operator's share of a transferred
 * call), AHT = (talk + hold) / calls talked on (null without any), outbound calls placed
 * (call_facts). `direction` limits all of them to one direction. One row; no FORMAT clause (run it
 * with `client.query({ ..., format: 'JSONEachRow' })`).
 */
export function operatorStatsQuery(
  serverId: string,
  endpoint: string,
  period: { from: Date; to: Date; direction?: string },
): BuiltQuery {
  const dir = period.direction === undefined ? '' : ' AND direction = {direction:String}';
  const own = `server_id = {server:String} AND operator = {endpoint:String}${dir}`;
  const callRange =
    "call_started_at >= {from:DateTime64(3, 'UTC')} AND call_started_at < {to:DateTime64(3, 'UTC')}";
  const range = "started_at >= {from:DateTime64(3, 'UTC')} AND started_at < {to:DateTime64(3, 'UTC')}";
  const query = [
    'WITH',
    `  rings AS (SELECT countIf(outcome = 'answered') AS answered, countIf(outcome IN ${MISSED_OUTCOMES}) AS missed FROM attempt_facts FINAL WHERE ${own} AND ${callRange}),`,
    `  talk AS (SELECT uniqExact(server_id, linkedid) AS talked, sum(talk_sec) AS talk, sum(hold_sec) AS hold FROM segment_facts FINAL WHERE ${own} AND ${callRange}),`,
    `  placed AS (SELECT count() AS outbound FROM call_facts FINAL WHERE ${own} AND direction = 'outbound' AND ${range})`,
    'SELECT',
    '  toUInt32(rings.answered) AS answered_calls,',
    '  toUInt32(rings.missed) AS missed_attempts,',
    '  toUInt32(talk.talked) AS talked_calls,',
    '  toFloat64(talk.talk) AS talk_sec,',
    '  toFloat64(talk.hold) AS hold_sec,',
    '  if(talk.talked = 0, NULL, (talk.talk + talk.hold) / talk.talked) AS aht_sec,',
    '  toUInt32(placed.outbound) AS outbound_calls',
    'FROM rings CROSS JOIN talk CROSS JOIN placed',
  ].join('\n');
  const query_params: Record<string, unknown> = {
    server: serverId,
    endpoint,
    from: toClickHouseDateTime(period.from),
    to: toClickHouseDateTime(period.to),
  };
  if (period.direction !== undefined) query_params.direction = period.direction;
  return { query, query_params };
}
