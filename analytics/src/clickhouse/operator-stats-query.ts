import { type BuiltQuery, toClickHouseDateTime } from './built-query.ts';

/** Missed by operators (docs/metrics.md#missed-by-operators): a canceled ring is nobody's miss. */
const MISSED_OUTCOMES = "('no_answer', 'busy', 'declined')";

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
