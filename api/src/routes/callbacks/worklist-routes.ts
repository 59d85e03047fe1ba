import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { ApiDeps, ApiEnv } from '../../api-deps.ts';
import { missedWorklist } from '../../callbacks/missed-worklist.ts';
import { authenticate } from '../../middleware/authenticate/authenticate.ts';
import { errorResponses } from '../dictionaries/route-schemas.ts';
import { checkPeriod } from '../reports/report-schemas.ts';
import { WorklistQuery, WorklistSchema } from './worklist-schemas.ts';

const route = createRoute({
  method: 'get',
  path: '/callbacks/worklist',
  tags: ['callbacks'],
  security: [{ bearer: [] }],
  summary: 'Abandoned and missed inbound calls of a period, reached again or not, with the callback KPI',
  request: { query: WorklistQuery },
  responses: {
    200: {
      description: 'the calls in your scope (supervisor: your queues), newest first',
      content: { 'application/json': { schema: WorklistSchema } },
    },
    ...errorResponses(400, 401),
  },
});

/**
 * `GET /callbacks/worklist` (callbacks/missed-worklist.ts): every role, limited to the user's call
 * scope. Mount with `app.route('/', worklistRoutes(deps))`.
 */
export function worklistRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>();
  app.use('/callbacks/worklist', authenticate({ secret: deps.config.jwtSecret }));
  return app.openapi(route, async (c) => {
    const query = c.req.valid('query');
    const { from, to } = checkPeriod(query);
    const list = await missedWorklist(deps.db, c.get('user'), {
      from,
      to,
      state: query.state,
      limit: query.limit ?? 1000,
      ...(query.queue === undefined ? {} : { queue: query.queue }),
    });
    return c.json(list, 200);
  });
}
