import { countArchiveRuns, loadArchiveRun, loadArchiveRuns } from '@callcenter/archive/runs';
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { ApiDeps, ApiEnv } from '../../api-deps.ts';
import { notFound } from '../../errors/api-error.ts';
import { authenticate } from '../../middleware/authenticate/authenticate.ts';
import { requireRole } from '../../middleware/require-role/require-role.ts';
import { errorResponses } from '../dictionaries/route-schemas.ts';
import { ArchiveRun, ArchiveRunIdParams, ArchiveRunList, ArchiveRunsQuery } from './archive-schemas.ts';

const security = [{ bearer: [] }];
const tags = ['archive'];

/**
 * The nightly archive's run records for admins (docs/operations.md#backups-archive-and-restore): `GET /archive/runs` (newest first, with
 * each run's steps and when the archive last succeeded) and `GET /archive/runs/{id}`. Others 403.
 */
export function archiveRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>();
  const guard = [authenticate({ secret: deps.config.jwtSecret }), requireRole('admin')] as const;

  const list = createRoute({
    method: 'get',
    path: '/archive/runs',
    tags,
    security,
    summary: 'Archive runs, newest first, with their steps (admin only)',
    middleware: [...guard],
    request: { query: ArchiveRunsQuery },
    responses: {
      200: {
        description: 'one page, the total and the last success',
        content: { 'application/json': { schema: ArchiveRunList } },
      },
      ...errorResponses(400, 401, 403),
    },
  });

  const one = createRoute({
    method: 'get',
    path: '/archive/runs/{id}',
    tags,
    security,
    summary: 'One archive run with its steps (admin only)',
    middleware: [...guard],
    request: { params: ArchiveRunIdParams },
    responses: {
      200: { description: 'the run', content: { 'application/json': { schema: ArchiveRun } } },
      ...errorResponses(400, 401, 403, 404),
    },
  });

  return app
    .openapi(list, async (c) => {
      const q = c.req.valid('query');
      const [items, total, [lastSuccess]] = await Promise.all([
        loadArchiveRuns(deps.db, q),
        countArchiveRuns(deps.db, q.status),
        loadArchiveRuns(deps.db, { limit: 1, offset: 0, status: 'succeeded' }),
      ]);
      return c.json(
        { items, total, limit: q.limit, offset: q.offset, last_success_at: lastSuccess?.finished_at ?? null },
        200,
      );
    })
    .openapi(one, async (c) => {
      const { id } = c.req.valid('param');
      const run = await loadArchiveRun(deps.db, id);
      if (!run) throw notFound(`no archive run ${id}`);
      return c.json(run, 200);
    });
}
