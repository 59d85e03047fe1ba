import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { ApiDeps, ApiEnv } from '../../api-deps.ts';
import { authenticate } from '../../middleware/authenticate/authenticate.ts';
import { requireRole } from '../../middleware/require-role/require-role.ts';
import { actor } from '../dictionaries/audit-change.ts';
import { errorResponses, idParam } from '../dictionaries/route-schemas.ts';
import { QueueItemSchema, QueueUpdateSchema } from './queue-schemas.ts';
import { listQueues, updateQueue } from './queue-store.ts';

const security = [{ bearer: [] }];

/**
 * Queue settings (docs/roles.md#route-families): `GET /queues` for supervisors (their queues) and admins (all);
 * `PATCH /queues/{id}` for admins (display name, time zone, service-level threshold), audited as
 * `queue_change`. Operators get 403.
 */
export function queueRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>();
  const auth = authenticate({ secret: deps.config.jwtSecret });

  const list = createRoute({
    method: 'get',
    path: '/queues',
    tags: ['queues'],
    security,
    summary: 'List queues with their settings (supervisors: their own)',
    middleware: [auth, requireRole('supervisor', 'admin')],
    responses: {
      200: {
        description: 'the queues you may see',
        content: { 'application/json': { schema: z.object({ items: z.array(QueueItemSchema) }) } },
      },
      ...errorResponses(401, 403),
    },
  });
  app.openapi(list, async (c) => c.json({ items: await listQueues(deps.db, c.get('user')) }, 200));

  const update = createRoute({
    method: 'patch',
    path: '/queues/{id}',
    tags: ['queues'],
    security,
    summary: "Change a queue's display name, time zone or service-level threshold (admin)",
    middleware: [auth, requireRole('admin')],
    request: {
      params: z.object({ id: idParam('queue') }),
      body: { required: true, content: { 'application/json': { schema: QueueUpdateSchema } } },
    },
    responses: {
      200: {
        description: 'the queue as changed',
        content: { 'application/json': { schema: QueueItemSchema } },
      },
      ...errorResponses(400, 401, 403, 404),
    },
  });
  app.openapi(update, async (c) => {
    const { id } = c.req.valid('param');
    return c.json(await updateQueue(deps.db, actor(c), id, c.req.valid('json')), 200);
  });

  return app;
}
