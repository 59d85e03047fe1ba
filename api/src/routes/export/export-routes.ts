import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { ApiDeps, ApiEnv } from '../../api-deps.ts';
import { audit } from '../../audit/audit-log.ts';
import { clientIp } from '../../auth/request-origin.ts';
import { authenticate } from '../../middleware/authenticate/authenticate.ts';
import { requireRole } from '../../middleware/require-role/require-role.ts';
import { errorResponses } from '../calls/call-schemas.ts';
import { callsCsvStream, type ExportHooks, exportRecords } from './call-export.ts';
import { ExportCallsQuery } from './export-schemas.ts';

/**
 * The export routes: `GET /export/calls.csv` streams the calls of `GET /calls`'s filters as CSV
 * for admins (every call) and supervisors (their queues' calls, scoped in SQL); operators get 403.
 * The request is validated and audited (action `export`, with the filters) before the first byte,
 * so a bad filter is a JSON 400 and every export that starts leaves a row; the row count is not
 * known then and is not recorded.
 */

const exportCallsRoute = createRoute({
  method: 'get',
  path: '/export/calls.csv',
  tags: ['export'],
  security: [{ bearer: [] }],
  summary: 'Calls in your scope under the GET /calls filters, as a streamed CSV (UTF-8 with BOM)',
  request: { query: ExportCallsQuery },
  responses: {
    200: {
      description: 'the CSV: header row, then one row per call, oldest first',
      content: { 'text/csv': { schema: z.string() } },
    },
    ...errorResponses(400, 401, 403),
  },
});

/** `calls-2025-03-01_2025-03-31.csv` for a range, `calls-<today>.csv` otherwise (UTC dates). */
export function exportFileName(filters: { from?: string; to?: string }, now = new Date()): string {
  const day = (iso: string) => new Date(iso).toISOString().slice(0, 10);
  if (filters.from && filters.to) return `calls-${day(filters.from)}_${day(filters.to)}.csv`;
  if (filters.from) return `calls-${day(filters.from)}_${day(now.toISOString())}.csv`;
  return `calls-${day(now.toISOString())}.csv`;
}

/**
 * The `/export` route group, registered with `app.route('/', exportRoutes(deps))`. `hooks` lets
 * tests watch the page reader; production passes none.
 */
export function exportRoutes(deps: ApiDeps, hooks: ExportHooks = {}) {
  const app = new OpenAPIHono<ApiEnv>();
  const log = deps.log ?? console.error;
  app.use('/export/*', authenticate({ secret: deps.config.jwtSecret }), requireRole('admin', 'supervisor'));

  return app.openapi(exportCallsRoute, async (c) => {
    const { lang, ...filters } = c.req.valid('query');
    const user = c.get('user');
    await audit(deps.db, {
      user: { id: user.id, login: user.login },
      action: 'export',
      target: 'calls',
      ip: clientIp(c),
      details: { format: 'csv', filters },
    });
    const body = callsCsvStream(
      exportRecords(deps.db, user, filters, hooks),
      (error) => {
        // The client left (closed the download): the stream was cancelled or aborted, not failed.
        const { code, name } = (error ?? {}) as { code?: string; name?: string };
        if (code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ABORT_ERR' || name === 'AbortError') return;
        log(`export of calls failed mid-stream: ${error instanceof Error ? error.message : String(error)}`);
      },
      lang,
    );
    return c.body(body, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${exportFileName(filters)}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
  });
}
