import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import {
  type BuiltQuery,
  type FactFilters,
  factsQuery,
  type OperatorStatsRow,
  operatorStatsQuery,
  type ReportScope,
  rollupQuery,
} from '@callcenter/analytics/clickhouse';
import type { ClickHouseClient } from '@clickhouse/client';
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { ApiDeps, ApiEnv } from '../../api-deps.ts';
import type { AuthUser } from '../../auth/auth-user.ts';
import { ApiError } from '../../errors/api-error.ts';
import { authenticate } from '../../middleware/authenticate/authenticate.ts';
import {
  arrowOrJsonContent,
  checkPeriod,
  FACTS_DESCRIPTION,
  FactsQuery,
  MeStats,
  MeStatsQuery,
  parseColumns,
  ROLLUP_DESCRIPTION,
  RollupQuery,
  reportErrors,
} from './report-schemas.ts';

/**
 * The report routes over the ClickHouse facts (docs/architecture.md#data-flow: ClickHouse
 * `FORMAT ArrowStream` streamed as-is):
 * - `GET /reports/facts`: call rows, whitelisted columns, Arrow IPC stream or JSON Lines;
 * - `GET /reports/rollup`: counts and sums per bucket × queue × operator, same formats;
 * - `GET /me/stats`: the caller's own operator figures as JSON.
 *
 * Any role may call them; the role's scope is part of every query's WHERE, with bound parameters
 * (analytics/src/clickhouse/: facts-query.ts, rollup-query.ts, operator-stats-query.ts). The Arrow
 * and JSON bodies are ClickHouse's own bytes: `client.exec` returns the response stream and it is handed to the HTTP response as is —
 * never decoded and re-encoded here (over chDB the engine buffers the whole result first; with a
 * ClickHouse server the rows flow through). Without ClickHouse (`deps.clickhouse` null) every route
 * answers 503 with the error body.
 */

const security = [{ bearer: [] }];
const tags = ['reports'];

const CONTENT_TYPES = {
  arrow: 'application/vnd.apache.arrow.stream',
  json: 'application/x-ndjson; charset=utf-8',
} as const;

const factsRoute = createRoute({
  method: 'get',
  path: '/reports/facts',
  tags,
  security,
  summary: 'Call facts in your scope as an Arrow stream (or JSON Lines)',
  description: FACTS_DESCRIPTION,
  request: { query: FactsQuery },
  responses: {
    200: {
      description: 'the rows (Arrow IPC stream, or JSON Lines with format=json)',
      content: arrowOrJsonContent,
    },
    ...reportErrors,
  },
});

const rollupRoute = createRoute({
  method: 'get',
  path: '/reports/rollup',
  tags,
  security,
  summary: 'Counts and sums per hour/day/week × queue × operator as an Arrow stream (or JSON Lines)',
  description: ROLLUP_DESCRIPTION,
  request: { query: RollupQuery },
  responses: {
    200: { description: 'one row per bucket × queue × operator', content: arrowOrJsonContent },
    ...reportErrors,
  },
});

const meStatsRoute = createRoute({
  method: 'get',
  path: '/me/stats',
  tags,
  security,
  summary: 'Your own figures for a period: answered, missed rings, talk, hold, AHT',
  description:
    'The figures of your phone endpoint on your server (any role; zero figures without an endpoint): ' +
    'rings answered and missed (attempt_facts), your own talk and hold and the calls you talked on ' +
    '(segment_facts, so a transferred call splits its talk), AHT, outbound calls placed (call_facts).',
  request: { query: MeStatsQuery },
  responses: {
    200: { description: 'your figures', content: { 'application/json': { schema: MeStats } } },
    ...reportErrors,
  },
});

/** The ClickHouse client, or 503 with the error body when this API runs without one. */
export function requireClickHouse(deps: ApiDeps): ClickHouseClient {
  if (!deps.clickhouse) {
    throw new ApiError(
      503,
      'clickhouse_unavailable',
      'reports need ClickHouse, which this API is not connected to',
    );
  }
  return deps.clickhouse;
}

/** The report scope of an authenticated user. */
export function reportScope(user: AuthUser): ReportScope {
  return { role: user.role, serverId: user.serverId, endpoint: user.endpoint, queues: user.queues };
}

/**
 * Runs `built` with `client.exec` and returns its result stream as the response body, unread:
 * the bytes are exactly what ClickHouse produced for the statement's FORMAT.
 */
export async function passThrough(
  client: ClickHouseClient,
  built: BuiltQuery,
  format: 'arrow' | 'json',
): Promise<Response> {
  const result = await client.exec({ query: built.query, query_params: built.query_params });
  const body = Readable.toWeb(result.stream) as WebReadableStream<Uint8Array>;
  return new Response(body as unknown as ReadableStream<Uint8Array>, {
    status: 200,
    headers: {
      'content-type': CONTENT_TYPES[format],
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}

/** The `/reports/*` and `/me/stats` route group, mounted with `app.route('/', reportRoutes(deps))`. */
export function reportRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>();
  const auth = authenticate({ secret: deps.config.jwtSecret });
  // Paths, not '*': this group is mounted at '/', where '*' would cover every route of the app.
  app.use('/reports/*', auth);
  app.use('/me/stats', auth);

  return app
    .openapi(factsRoute, async (c) => {
      const { from: _f, to: _t, columns, format, ...rest } = c.req.valid('query');
      const period = checkPeriod(c.req.valid('query'));
      const names = parseColumns(columns);
      const client = requireClickHouse(deps);
      const filters: FactFilters = { ...rest, ...period };
      return passThrough(client, factsQuery(reportScope(c.get('user')), filters, names, format), format);
    })
    .openapi(rollupRoute, async (c) => {
      const { from: _f, to: _t, grain, tz, sl_sec, format, ...rest } = c.req.valid('query');
      const period = checkPeriod(c.req.valid('query'));
      const client = requireClickHouse(deps);
      const filters: FactFilters = { ...rest, ...period };
      // Each queue's own service-level threshold, as the per-call reports use (docs/metrics.md).
      const thresholds = (
        await deps.db.selectFrom('app.queues').select(['server_id', 'name', 'service_level_sec']).execute()
      ).map((q) => ({ serverId: q.server_id, queue: q.name, slSec: q.service_level_sec }));
      const built = rollupQuery(
        reportScope(c.get('user')),
        filters,
        { grain, tz, slSec: sl_sec, thresholds },
        format,
      );
      return passThrough(client, built, format);
    })
    .openapi(meStatsRoute, async (c) => {
      const query = c.req.valid('query');
      const period = checkPeriod(query);
      const client = requireClickHouse(deps);
      const user = c.get('user');
      const base = { endpoint: user.endpoint, serverId: user.serverId, from: query.from, to: query.to };
      if (!user.endpoint) {
        const none = { answered_calls: 0, missed_attempts: 0, talked_calls: 0, talk_sec: 0, hold_sec: 0 };
        return c.json({ ...base, ...none, aht_sec: null, outbound_calls: 0 }, 200);
      }
      const built = operatorStatsQuery(user.serverId, user.endpoint, {
        ...period,
        direction: query.direction,
      });
      const result = await client.query({
        query: built.query,
        query_params: built.query_params,
        format: 'JSONEachRow',
      });
      const [row] = await result.json<OperatorStatsRow>();
      if (!row) throw new Error('operator stats returned no row');
      return c.json({ ...base, ...row }, 200);
    });
}
