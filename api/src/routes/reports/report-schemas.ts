import { SERVICE_LEVEL_DEFAULT_SEC } from '@callcenter/analytics/aggregate';
import {
  type ColumnDoc,
  DEFAULT_FACT_COLUMNS,
  FACT_COLUMNS,
  ROLLUP_COLUMNS,
} from '@callcenter/analytics/clickhouse';
import { z } from '@hono/zod-openapi';
import { badRequest } from '../../errors/api-error.ts';
import { isIanaTimeZone } from '../queues/time-zone.ts';

/**
 * Request and response schemas of the report routes (`/reports/facts`, `/reports/rollup`,
 * `/me/stats`). Query objects are strict (an unknown parameter is a 400). The period's own rules
 * (to > from, at most {@link MAX_RANGE_DAYS} days) are checked by {@link checkPeriod}, since
 * they relate two parameters.
 */

/** Longest period one report may cover. */
export const MAX_RANGE_DAYS = 400;

const isoDateTime = z.iso.datetime({ offset: true });
const shortText = z.string().min(1).max(200);

const period = {
  from: isoDateTime.openapi({
    description: 'period start, inclusive (ISO 8601 with zone)',
    example: '2025-03-03T00:00:00+03:00',
  }),
  to: isoDateTime.openapi({
    description: `period end, exclusive (ISO 8601 with zone); after \`from\`, at most ${MAX_RANGE_DAYS} days later`,
    example: '2025-03-17T00:00:00+03:00',
  }),
};

const filters = {
  ...period,
  queue: shortText.optional().openapi({ description: 'only calls whose first queue is this one' }),
  operator: shortText
    .optional()
    .openapi({ description: 'only calls of this operator endpoint (call_facts.operator)' }),
  direction: z.enum(['inbound', 'outbound', 'internal']).optional(),
  status: z.enum(['answered', 'abandoned', 'missed', 'no_answer', 'busy', 'failed', 'ringing']).optional(),
  server: shortText
    .optional()
    .openapi({ description: 'only this Asterisk server (others are limited to theirs)' }),
  format: z
    .enum(['arrow', 'json'])
    .default('arrow')
    .openapi({ description: '`arrow` (Arrow IPC stream) or `json` (JSON Lines, ISO times) for debugging' }),
};

/**
 * `GET /reports/facts` query: the period and filters, the output format, and the columns
 * (comma-separated, from FACT_COLUMNS).
 */
export const FactsQuery = z.strictObject({
  ...filters,
  columns: z
    .string()
    .max(2000)
    .optional()
    .openapi({
      description: `comma-separated columns from the schema below; default: ${DEFAULT_FACT_COLUMNS.join(',')}`,
      example: 'started_at,queue,operator,status,talk_sec',
    }),
});

/**
 * `GET /reports/rollup` query: the period and filters, the bucket grain, the IANA zone of the
 * buckets and the service-level threshold in seconds.
 */
export const RollupQuery = z.strictObject({
  ...filters,
  grain: z.enum(['hour', 'day', 'week']).openapi({ description: 'bucket size; weeks start on Monday' }),
  tz: z
    .string()
    .max(64)
    .default('Europe/Moscow')
    .refine(isIanaTimeZone, 'an IANA time zone such as Europe/Moscow')
    .openapi({ description: 'IANA zone of the buckets', example: 'Europe/Moscow' }),
  sl_sec: z.coerce.number().int().min(1).max(3600).default(SERVICE_LEVEL_DEFAULT_SEC).openapi({
    description:
      "service-level threshold T in seconds of queue wait for queues without their own (each queue's service_level_sec, GET /queues, counts first)",
  }),
});

/** `GET /me/stats` query: the period and optionally one direction. */
export const MeStatsQuery = z.strictObject({
  ...period,
  direction: z.enum(['inbound', 'outbound', 'internal']).optional(),
});

/**
 * `GET /me/stats`: the operator's own figures over the period (operator-stats-query.ts in
 * analytics): rings answered and missed, calls talked on, talk and hold in seconds, AHT, outbound
 * calls.
 */
export const MeStats = z
  .object({
    endpoint: z.string().nullable().openapi({ description: 'your phone endpoint; null: no figures' }),
    serverId: z.string(),
    from: z.string(),
    to: z.string(),
    answered_calls: z.number().int().openapi({ description: 'rings you answered (attempt_facts)' }),
    missed_attempts: z.number().int().openapi({ description: 'rings you missed: no_answer, busy, declined' }),
    talked_calls: z.number().int().openapi({ description: 'calls you talked on (segment_facts)' }),
    talk_sec: z.number().openapi({ description: 'your own talk, seconds (segment_facts)' }),
    hold_sec: z.number().openapi({ description: 'your own hold, seconds' }),
    aht_sec: z
      .number()
      .nullable()
      .openapi({ description: '(talk + hold) / talked_calls; null without calls' }),
    outbound_calls: z.number().int().openapi({ description: 'outbound calls you placed' }),
  })
  .openapi('MeStats');

/** The API's error body as the report routes document it. */
export const ReportErrorBody = z
  .object({ error: z.string(), message: z.string(), details: z.unknown().optional() })
  .openapi('ReportErrorBody');

const ERRORS = {
  400: 'bad parameters: dates, range, unknown column or parameter, time zone',
  401: 'no or invalid access token',
  503: 'ClickHouse is not configured for this API',
} as const;

/** OpenAPI responses for the report routes' error statuses, all with the error body. */
export const reportErrors = Object.fromEntries(
  Object.entries(ERRORS).map(([status, description]) => [
    status,
    { description, content: { 'application/json': { schema: ReportErrorBody } } },
  ]),
) as Record<
  keyof typeof ERRORS,
  { description: string; content: { 'application/json': { schema: typeof ReportErrorBody } } }
>;

/** The 200 bodies of an Arrow report: the IPC stream, or JSON Lines with `format=json`. */
export const arrowOrJsonContent = {
  'application/vnd.apache.arrow.stream': { schema: z.string().openapi({ format: 'binary' }) },
  'application/x-ndjson': { schema: z.string().openapi({ description: 'one JSON object per row' }) },
};

/** A markdown table of columns (name, ClickHouse type, Arrow type, unit, meaning) for descriptions. */
export function schemaTable(columns: Readonly<Record<string, ColumnDoc>>): string {
  const rows = Object.entries(columns).map(
    ([name, doc]) =>
      `| \`${name}\` | ${doc.clickhouse} | ${doc.arrow} | ${doc.unit || '–'} | ${doc.meaning} |`,
  );
  return ['| column | ClickHouse | Arrow | unit | meaning |', '|---|---|---|---|---|', ...rows].join('\n');
}

/** The OpenAPI description of `GET /reports/facts`, with its column table. */
export const FACTS_DESCRIPTION = `One row per call in the period and your scope (operator: your calls and calls you were rung
for; supervisor: your queues; admin: all), ordered by start, straight from ClickHouse
\`call_facts FINAL\` as an **Arrow IPC stream** (\`FORMAT ArrowStream\`, uncompressed: decode with
apache-arrow's \`tableFromIPC\`, no LZ4 codec needed; LowCardinality columns are dictionaries).
The bytes are ClickHouse's own, passed through without decoding. Times are UTC instants.
UInt64 columns (\`call_id\`, \`version\`) arrive as BigInt and are returned only when named in
\`columns\`.

${schemaTable(FACT_COLUMNS)}`;

/** The OpenAPI description of `GET /reports/rollup`, with its column table. */
export const ROLLUP_DESCRIPTION = `Pre-aggregated call counts and sums per bucket (hour, day or Monday week in \`tz\`) × queue ×
operator (call_facts.operator: the last operator of the call; per-operator talk of transferred
calls is in segment_facts, see /me/stats), over the same rows and scope as /reports/facts, as an
Arrow IPC stream (or JSON Lines with \`format=json\`). Metrics as in docs/metrics.md: service level =
answered_in_sl / (offered − short_abandons), ASA = queue_wait_answered_sec / answered.

${schemaTable(ROLLUP_COLUMNS)}`;

/** Checks and converts the period: 400 unless from < to and the span is at most MAX_RANGE_DAYS. */
export function checkPeriod(query: { from: string; to: string }): { from: Date; to: Date } {
  const from = new Date(query.from);
  const to = new Date(query.to);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) {
    throw badRequest('`from` and `to` must be ISO 8601 date-times with a zone');
  }
  if (to.getTime() <= from.getTime())
    throw badRequest('`to` must be after `from`', { from: query.from, to: query.to });
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * 86_400_000) {
    throw badRequest(`the period may cover at most ${MAX_RANGE_DAYS} days`, {
      from: query.from,
      to: query.to,
    });
  }
  return { from, to };
}

/** Splits and checks `columns`: 400 naming the unknown ones, or the default set when absent. */
export function parseColumns(raw: string | undefined): string[] {
  if (raw === undefined) return [...DEFAULT_FACT_COLUMNS];
  const columns = raw
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  if (columns.length === 0) throw badRequest('`columns` names no column');
  const unknown = columns.filter((name) => !Object.hasOwn(FACT_COLUMNS, name));
  if (unknown.length > 0) {
    throw badRequest(`unknown columns: ${unknown.join(', ')}`, {
      unknown,
      allowed: Object.keys(FACT_COLUMNS),
    });
  }
  return [...new Set(columns)];
}
