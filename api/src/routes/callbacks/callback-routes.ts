import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { ApiDeps, ApiEnv } from '../../api-deps.ts';
import { listCallbacks } from '../../callbacks/callback-list.ts';
import { authenticate } from '../../middleware/authenticate/authenticate.ts';
import { errorResponses } from '../dictionaries/route-schemas.ts';

const CallbackReach = z
  .object({
    callId: z.number().int(),
    direction: z.enum(['inbound', 'outbound']),
    startedAt: z.string(),
    operatorEndpoint: z.string().nullable(),
  })
  .openapi('CallbackReach');

const CallbackItem = z
  .object({
    callId: z.number().int(),
    serverId: z.string(),
    linkedid: z.string(),
    direction: z.string(),
    status: z.string(),
    reason: z.enum(['missed', 'abandoned', 'needs_callback']),
    needsCallback: z.boolean(),
    startedAt: z.string(),
    number: z.string().nullable().openapi({ description: 'the customer number as stored' }),
    e164: z.string().nullable().openapi({ example: '+79161234567' }),
    queue: z.string().nullable(),
    operatorEndpoint: z.string().nullable(),
    timeToCallbackSec: z
      .number()
      .nullable()
      .openapi({ description: 'start of this call → start of the call that reached the customer' }),
    reachedBy: CallbackReach.nullable(),
  })
  .openapi('CallbackItem');

const CallbackList = z
  .object({
    items: z.array(CallbackItem),
    owed: z.number().int(),
    done: z.number().int().nullable(),
  })
  .openapi('CallbackList');

/** Query: strict, so a misspelt `include_done` is a 400 rather than silently ignored. */
const CallbackQuery = z.strictObject({
  include_done: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true')
    .openapi({ param: { name: 'include_done', in: 'query' }, description: 'also list calls reached again' }),
  limit: z
    .string()
    .regex(/^[1-9][0-9]{0,3}$/, 'an integer 1..5000')
    .transform(Number)
    .refine((n) => n <= 5000, 'at most 5000')
    .optional()
    .openapi({ param: { name: 'limit', in: 'query' }, example: '500' }),
});

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
    const list = await listCallbacks(deps.db, c.get('user'), {
      includeDone: include_done,
      limit: limit ?? 1000,
    });
    return c.json(list, 200);
  });
}
