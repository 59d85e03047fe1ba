import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { ApiDeps, ApiEnv } from '../../api-deps.ts';
import { authenticate } from '../../middleware/authenticate/authenticate.ts';
import { requireRole } from '../../middleware/require-role/require-role.ts';
import { actor } from '../dictionaries/audit-change.ts';
import { errorResponses, idParam } from '../dictionaries/route-schemas.ts';
import { QueueItemSchema, QueueUpdateSchema } from './queue-schemas.ts';
import { installationTimeZone, listQueues, updateQueue } from './queue-store.ts';

const security = [{ bearer: [] }];

/**
 * Queue settings (docs/roles.md#route-families): `GET /queues` for supervisors (their queues),
 * admins (all) and operators (their server's, to show display names and zones), with the
 * installation's zone (`defaultTimeZone`: the user's Asterisk server's) for calls without a queue;
 * `PATCH /queues/{id}` for admins (display name, time zone, service-level threshold), audited as
 * `queue_change`.
 */
export function queueRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>();
  const auth = authenticate({ secret: deps.config.jwtSecret });

  const list = createRoute({
    method: 'get',
    path: '/queues',
    tags: ['queues'],
    security,
    summary: "List queues with their settings (supervisors: their own; operators: their server's)",
    middleware: [auth],
    responses: {
      200: {
        description: 'the queues you may see, and the zone of calls without a queue',
        content: {
          'application/json': {
            schema: z.object({
              items: z.array(QueueItemSchema),
              defaultTimeZone: z.string().openapi({
                description:
                  "the installation's IANA zone (your Asterisk server's): calls without a queue are shown in it",
                example: 'Europe/Moscow',
              }),
            }),
          },
        },
      },
      ...errorResponses(401),
    },
  });
  app.openapi(list, async (c) => {
    const user = c.get('user');
    const [items, defaultTimeZone] = await Promise.all([
      listQueues(deps.db, user),
      installationTimeZone(deps.db, user),
    ]);
    return c.json({ items, defaultTimeZone }, 200);
  });

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
