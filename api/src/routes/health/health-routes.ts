import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { sql } from 'kysely';
import type { ApiDeps, ApiEnv } from '../../api-deps.ts';

/** GET /health: the database answers (no authentication; for load balancers and compose). */
const route = createRoute({
  method: 'get',
  path: '/health',
  tags: ['health'],
  responses: {
    200: {
      description: 'the API and its database are up',
      content: {
        'application/json': { schema: z.object({ status: z.literal('ok'), database: z.literal('ok') }) },
      },
    },
  },
});

/**
 * `GET /health`: 200 `{status: 'ok', database: 'ok'}` when the API can query PostgreSQL; no token
 * needed.
 */
export function healthRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>();
  return app.openapi(route, async (c) => {
    await sql`SELECT 1`.execute(deps.db);
    return c.json({ status: 'ok' as const, database: 'ok' as const }, 200);
  });
}
