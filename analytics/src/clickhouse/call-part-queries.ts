import { type BuiltQuery, formatTail, type ReportFormat, toClickHouseDateTime } from './built-query.ts';
import { callFactsWhere, type FactFilters, type ReportScope } from './call-facts-where.ts';

/**
 * SQL of `/reports/attempts` and `/reports/segments`: the parts of calls that per-operator
 * reports need (sql/ANALYSTS.md "Which table for talk time"): every ring of an operator's phone
 * (attempt_facts) and every stretch of talk with one party (segment_facts), for the calls in the
 * period, filters and role scope of `/reports/facts` (the same {@link callFactsWhere}, as a
 * subquery over call_facts FINAL). `filters.operator` applies to the part's own operator (who
 * rang, who talked), not to the call's last operator; an operator's scope is limited to their own
 * rings and segments. Same output formats as {@link factsQuery} (ArrowStream uncompressed with
 * LowCardinality as dictionaries, or JSONEachRow).
 */

/** The part's own conditions (`own`), the calls' conditions (`calls`) and their parameters. */
function partWhere(
  alias: string,
  scope: ReportScope,
  filters: FactFilters,
): { own: string; calls: string; params: Record<string, unknown> } {
  const { operator, ...callFilters } = filters;
  const calls = callFactsWhere(scope, callFilters);
  const params: Record<string, unknown> = { ...calls.query_params };
  const where = [
    `${alias}.call_started_at >= {from:DateTime64(3, 'UTC')} AND ${alias}.call_started_at < {to:DateTime64(3, 'UTC')}`,
  ];
  if (operator !== undefined) {
    where.push(`${alias}.operator = {part_operator:String}`);
    params.part_operator = operator;
  }
  if (scope.role === 'operator') {
    where.push(`${alias}.operator = {part_endpoint:String}`);
    params.part_endpoint = scope.endpoint ?? '';
  }
  params.from = toClickHouseDateTime(filters.from);
  params.to = toClickHouseDateTime(filters.to);
  return { own: where.join(' AND '), calls: calls.query, params };
}

/** Columns of `/reports/attempts`, in output order. */
export const ATTEMPT_COLUMNS = [
  'call_started_at',
  'rang_at',
  'operator',
  'queue',
  'ring_sec',
  'outcome',
  'direction',
  'call_status',
] as const;

/** Columns of `/reports/segments`, in output order. */
export const SEGMENT_COLUMNS = [
  'call_started_at',
  'started_at',
  'operator',
  'queue',
  'direction',
  'talk_sec',
  'hold_sec',
  'first_of_operator',
] as const;

/**
 * One row per ring of an operator's phone for the calls in scope; `queue` is the call's first
 * queue (attempt_facts.queue is '' for a transfer or a direct dial), so a queue filter keeps the
 * transfer rings of that queue's calls.
 */
export function attemptsQuery(
  scope: ReportScope,
  filters: FactFilters,
  format: ReportFormat = 'arrow',
): BuiltQuery {
  const { own, calls, params } = partWhere('a', scope, filters);
  const query = [
    'SELECT a.call_started_at AS call_started_at, a.rang_at AS rang_at, a.operator AS operator, c.queue AS queue,',
    '  a.ring_sec AS ring_sec, a.outcome AS outcome, a.direction AS direction, a.call_status AS call_status',
    'FROM attempt_facts AS a FINAL',
    `INNER JOIN (SELECT server_id, linkedid, queue FROM call_facts FINAL WHERE ${calls}) AS c`,
    '  ON a.server_id = c.server_id AND a.linkedid = c.linkedid',
    `WHERE ${own}`,
    'ORDER BY a.call_started_at, a.server_id, a.linkedid, a.seq',
    formatTail(format),
  ].join('\n');
  return { query, query_params: params };
}

/**
 * One row per stretch of talk with one party (operator '' = an external party) for the answered
 * calls in scope; `first_of_operator` = 1 on the first segment of each operator in a call, so
 * summing it counts the calls an operator talked on (a call that came back to them counts once).
 */
export function segmentsQuery(
  scope: ReportScope,
  filters: FactFilters,
  format: ReportFormat = 'arrow',
): BuiltQuery {
  const { own, calls, params } = partWhere('s', scope, filters);
  const query = [
    'SELECT s.call_started_at AS call_started_at, s.started_at AS started_at, s.operator AS operator,',
    '  s.queue AS queue, s.direction AS direction, s.talk_sec AS talk_sec, s.hold_sec AS hold_sec,',
    '  toUInt8(row_number() OVER (PARTITION BY s.server_id, s.linkedid, s.operator ORDER BY s.seq) = 1) AS first_of_operator',
    'FROM segment_facts AS s FINAL',
    `WHERE ${own}`,
    `  AND (s.server_id, s.linkedid) IN (SELECT server_id, linkedid FROM call_facts FINAL WHERE ${calls})`,
    'ORDER BY s.call_started_at, s.server_id, s.linkedid, s.seq',
    formatTail(format),
  ].join('\n');
  return { query, query_params: params };
}
