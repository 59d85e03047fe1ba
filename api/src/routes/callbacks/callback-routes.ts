import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { ApiDeps, ApiEnv } from '../../api-deps.ts';
import { listCallbacks } from '../../callbacks/callback-list.ts';
import { cancelOnAbort } from '../../db/cancel-on-abort.ts';
import { authenticate } from '../../middleware/authenticate/authenticate.ts';
import { errorResponses } from '../dictionaries/route-schemas.ts';
import { CallbackList, CallbackQuery } from './callback-schemas.ts';

const listRoute = createRoute({
  method: 'get',
  path: '/callbacks',
  tags: ['callbacks'],
  security: [{ bearer: [] }],
  summary: 'Callbacks owed in your scope, oldest first (with include_done: also those reached again)',
  request: { query: CallbackQuery },
  responses: {
    200: { description: 'the list', content: { 'application/json': { schema: CallbackList } } },
    ...errorResponses(400, 401),
  },
});

/**
 * `GET /callbacks` (callbacks/callback-list.ts): every role, limited to the user's scope. Mount
 * with `app.route('/', callbackRoutes(deps))`.
 */
export function callbackRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>();
  app.use('/callbacks', authenticate({ secret: deps.config.jwtSecret }));
  return app.openapi(listRoute, async (c) => {
    const { include_done, limit } = c.req.valid('query');
    // The client hanging up cancels the statements (db/cancel-on-abort.ts).
    const list = await cancelOnAbort(deps.db, deps.pool, c.req.raw.signal, (db) =>
      listCallbacks(db, c.get('user'), { includeDone: include_done, limit: limit ?? 1000 }),
    );
    return c.json(list, 200);
  });
}
