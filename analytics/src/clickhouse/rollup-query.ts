import { SERVICE_LEVEL_DEFAULT_SEC, SHORT_ABANDON_SEC } from '../aggregate/metric-defaults.ts';
import { type BuiltQuery, formatTail, type ReportFormat } from './built-query.ts';
import { callFactsWhere, type FactFilters, type ReportScope } from './call-facts-where.ts';
import { type ColumnDoc, ARROW_DICTIONARY as DICT, ARROW_TIMESTAMP as TS } from './column-doc.ts';

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

/** A rollup bucket: an hour, a day or a Monday-started week, in the requested time zone. */
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
  const thresholds = options.thresholds ?? [];
  const inbound = "direction = 'inbound'";
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
      sl_keys: thresholds.map((t) => `${t.serverId}:${t.queue}`),
      sl_values: thresholds.map((t) => t.slSec),
      short_abandon_sec: SHORT_ABANDON_SEC,
    },
  };
}
