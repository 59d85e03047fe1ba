import { ARCHIVE_CHANNEL } from '@callcenter/archive/requests';
import {
  countArchiveRuns,
  insertRequestedRun,
  loadArchiveRun,
  loadArchiveRuns,
} from '@callcenter/archive/runs';
import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { sql } from 'kysely';
import type { ApiDeps, ApiEnv } from '../../api-deps.ts';
import { ApiError, notFound } from '../../errors/api-error.ts';
import { authenticate } from '../../middleware/authenticate/authenticate.ts';
import { requireRole } from '../../middleware/require-role/require-role.ts';
import { errorResponses } from '../dictionaries/route-schemas.ts';
import {
  ArchiveRun,
  ArchiveRunIdParams,
  ArchiveRunList,
  ArchiveRunRequested,
  ArchiveRunsQuery,
} from './archive-schemas.ts';

const security = [{ bearer: [] }];
const tags = ['archive'];

/**
 * The nightly archive's run records for admins (docs/operations.md#backups-archive-and-restore): `GET /archive/runs` (newest first, with
 * each run's steps, when the archive last succeeded and whether ARCHIVE_DIR is set),
 * `GET /archive/runs/{id}`, and `POST /archive/runs` ("run now": a 'requested' run the main job
 * picks up through NOTIFY callcenter_archive, as `callcenter archive --now` hands it over; 409
 * `archive_unconfigured` without ARCHIVE_DIR, `archive_busy` while a run is requested or running).
 * Others 403.
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

  const runNow = createRoute({
    method: 'post',
    path: '/archive/runs',
    tags,
    security,
    summary: 'Ask the main job for an archive run now (admin only)',
    middleware: [...guard],
    responses: {
      202: {
        description: 'requested: the main job starts it',
        content: { 'application/json': { schema: ArchiveRunRequested } },
      },
      ...errorResponses(401, 403, 409),
    },
  });

  return app
    .openapi(runNow, async (c) => {
      const archive = deps.config.archive;
      if (!archive?.dir) {
        throw new ApiError(409, 'archive_unconfigured', 'ARCHIVE_DIR is not set: the archive has no target');
      }
      const busy = await deps.db
        .selectFrom('app.archive_runs')
        .select('id')
        .where('status', 'in', ['requested', 'running'])
        .executeTakeFirst();
      if (busy)
        throw new ApiError(409, 'archive_busy', `archive run ${busy.id} is already requested or running`);
      const user = c.get('user');
      const id = await insertRequestedRun(deps.db, {
        target: archive.dir,
        timeZone: archive.timeZone,
        requestedBy: `${user.login} (web)`,
      });
      await sql`SELECT pg_notify(${ARCHIVE_CHANNEL}, ${String(id)})`.execute(deps.db);
      return c.json({ id }, 202);
    })
    .openapi(list, async (c) => {
      const archive = deps.config.archive;
      const q = c.req.valid('query');
      const [items, total, [lastSuccess]] = await Promise.all([
        loadArchiveRuns(deps.db, q),
        countArchiveRuns(deps.db, q.status),
        loadArchiveRuns(deps.db, { limit: 1, offset: 0, status: 'succeeded' }),
      ]);
      return c.json(
        {
          items,
          total,
          limit: q.limit,
          offset: q.offset,
          last_success_at: lastSuccess?.finished_at ?? null,
          configured: Boolean(archive?.dir),
          target: archive?.dir ?? null,
        },
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
