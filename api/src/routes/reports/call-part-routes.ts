import {
  ATTEMPT_COLUMNS,
  attemptsQuery,
  type FactFilters,
  SEGMENT_COLUMNS,
  segmentsQuery,
} from '@callcenter/analytics/clickhouse';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { ApiDeps, ApiEnv } from '../../api-deps.ts';
import { authenticate } from '../../middleware/authenticate/authenticate.ts';
import { passThrough, reportScope, requireClickHouse } from './report-routes.ts';
import { arrowOrJsonContent, checkPeriod, reportErrors } from './report-schemas.ts';

/**
 * `GET /reports/attempts` and `GET /reports/segments`: the rings and the talk segments of the
 * calls `/reports/facts` returns (same period, filters and role scope), for per-operator reports
 * in the browser (docs/metrics.md#missed-by-operators: missed rings come from attempt_facts, each
 * operator's talk of a transferred call from segment_facts; sql/ANALYSTS.md "Which table for talk
 * time"). ClickHouse's ArrowStream (or JSON Lines) bytes are passed through as for /reports/facts.
 */

const security = [{ bearer: [] }];
const tags = ['reports'];
const shortText = z.string().min(1).max(200);
const isoDateTime = z.iso.datetime({ offset: true });

const PartQuery = z.strictObject({
  from: isoDateTime.openapi({ description: 'calls started from (inclusive, ISO 8601 with zone)' }),
  to: isoDateTime.openapi({ description: 'calls started before (exclusive, ISO 8601 with zone)' }),
  queue: shortText.optional().openapi({ description: 'only calls whose first queue is this one' }),
  operator: shortText
    .optional()
    .openapi({ description: 'only rings/segments of this operator endpoint (not the call’s last operator)' }),
  direction: z.enum(['inbound', 'outbound', 'internal']).optional(),
  status: z.enum(['answered', 'abandoned', 'missed', 'no_answer', 'busy', 'failed', 'ringing']).optional(),
  server: shortText.optional().openapi({ description: 'only this Asterisk server' }),
  format: z.enum(['arrow', 'json']).default('arrow'),
});

const columnList = (names: readonly string[]) => names.map((n) => `\`${n}\``).join(', ');

const attemptsRoute = createRoute({
  method: 'get',
  path: '/reports/attempts',
  tags,
  security,
  summary: "Rings of operators' phones for the calls in your scope (Arrow stream or JSON Lines)",
  description:
    `One row per ring (attempt_facts FINAL) of the calls /reports/facts would return: ${columnList(ATTEMPT_COLUMNS)}. ` +
    '`queue` is the call’s first queue; `outcome` answered|no_answer|busy|declined|canceled (missed by ' +
    'operators = no_answer, busy, declined). An operator sees only their own rings.',
  request: { query: PartQuery },
  responses: { 200: { description: 'the rings', content: arrowOrJsonContent }, ...reportErrors },
});

const segmentsRoute = createRoute({
  method: 'get',
  path: '/reports/segments',
  tags,
  security,
  summary: 'Stretches of talk per party for the calls in your scope (Arrow stream or JSON Lines)',
  description:
    `One row per segment (segment_facts FINAL) of the calls /reports/facts would return: ${columnList(SEGMENT_COLUMNS)}. ` +
    'Talk and hold in seconds; operator `` is an external party; `first_of_operator` = 1 on an ' +
    'operator’s first segment of a call (sum it to count calls talked on). An operator sees only their own.',
  request: { query: PartQuery },
  responses: { 200: { description: 'the segments', content: arrowOrJsonContent }, ...reportErrors },
});

function filtersOf(query: z.infer<typeof PartQuery>): FactFilters {
  const { from: _f, to: _t, format: _format, ...rest } = query;
  return { ...rest, ...checkPeriod(query) };
}

/**
 * The rows of one part query (`attemptsQuery` or `segmentsQuery`) for `user`'s scope, passed
 * through as ClickHouse sent them. The period is checked (400) before ClickHouse is required (503).
 */
async function streamPart(
  deps: ApiDeps,
  user: Parameters<typeof reportScope>[0],
  query: z.infer<typeof PartQuery>,
  partQuery: typeof attemptsQuery | typeof segmentsQuery,
): Promise<Response> {
  const filters = filtersOf(query);
  const client = requireClickHouse(deps);
  return passThrough(client, partQuery(reportScope(user), filters, query.format), query.format);
}

/** The route group, mounted with `app.route('/', callPartRoutes(deps))`. */
export function callPartRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>();
  const auth = authenticate({ secret: deps.config.jwtSecret });
  app.use('/reports/attempts', auth);
  app.use('/reports/segments', auth);
  return app
    .openapi(attemptsRoute, (c) => streamPart(deps, c.get('user'), c.req.valid('query'), attemptsQuery))
    .openapi(segmentsRoute, (c) => streamPart(deps, c.get('user'), c.req.valid('query'), segmentsQuery));
}
