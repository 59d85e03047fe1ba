import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { ApiDeps, ApiEnv } from '../../api-deps.ts';
import { authenticate } from '../../middleware/authenticate/authenticate.ts';
import { operatorSessions } from '../../presence/operator-sessions.ts';
import { errorResponses } from '../dictionaries/route-schemas.ts';
import { checkPeriod } from '../reports/report-schemas.ts';
import { OperatorSessionsQuery, OperatorSessionsSchema } from './session-schemas.ts';

const route = createRoute({
  method: 'get',
  path: '/reports/operator-sessions',
  tags: ['reports', 'presence'],
  security: [{ bearer: [] }],
  summary:
    'Per operator and day: sessions, logged-in, available, paused by reason, wrap-up, talk and occupancy',
  request: { query: OperatorSessionsQuery },
  responses: {
    200: {
      description: 'operators in your scope (supervisor: members of your queues; operator: yourself)',
      content: { 'application/json': { schema: OperatorSessionsSchema } },
    },
    ...errorResponses(400, 401),
  },
});

/**
 * `GET /reports/operator-sessions` (presence/operator-sessions.ts): every role, limited to the
 * operators in its scope. Mount with `app.route('/', sessionRoutes(deps))`.
 */
export function sessionRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>();
  app.use('/reports/operator-sessions', authenticate({ secret: deps.config.jwtSecret }));
  return app.openapi(route, async (c) => {
    const query = c.req.valid('query');
    const { from, to } = checkPeriod(query);
    const report = await operatorSessions(deps.db, c.get('user'), {
      from,
      to,
      zone: query.zone,
      ...(query.operator === undefined ? {} : { operatorId: query.operator }),
    });
    return c.json(report, 200);
  });
}
