import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { ApiDeps, ApiEnv } from '../../api-deps.ts';
import { audit } from '../../audit/audit-log.ts';
import { clientIp } from '../../auth/request-origin.ts';
import { authenticate } from '../../middleware/authenticate/authenticate.ts';
import { requireRole } from '../../middleware/require-role/require-role.ts';
import type { Db } from '../calls/call-repository.ts';
import { errorResponses } from '../calls/call-schemas.ts';
import {
  callsCsvStream,
  type ExportHooks,
  exportRecords,
  resolveExportLanguage,
  userLanguage,
} from './call-export.ts';
import { callsXlsxStream } from './call-export-xlsx.ts';
import { ExportCallsQuery } from './export-schemas.ts';

/**
 * The export routes: `GET /export/calls.csv` streams the calls of `GET /calls`'s filters as CSV
 * and `GET /export/calls.xlsx` as an Excel workbook, for admins (every call) and supervisors (their
 * queues' calls, scoped in SQL); operators get 403. The locale (`locale`, alias `lang`, else the
 * user's stored language, else `en`) sets headers, words and number format.
 * The request is validated and audited (action `export`, with the filters) before the first byte,
 * so a bad filter is a JSON 400 and every export that starts leaves a row; the row count is not
 * known then and is not recorded.
 */

/** The media type of an .xlsx workbook. */
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const exportCallsRoute = createRoute({
  method: 'get',
  path: '/export/calls.csv',
  tags: ['export'],
  security: [{ bearer: [] }],
  summary:
    'Calls in your scope under the GET /calls filters, as a streamed CSV (UTF-8 with BOM; `locale=ru`: `;`, decimal comma, Russian headers and values)',
  request: { query: ExportCallsQuery },
  responses: {
    200: {
      description: 'the CSV: header row, then one row per call, oldest first',
      content: { 'text/csv': { schema: z.string() } },
    },
    ...errorResponses(400, 401, 403),
  },
});

const exportXlsxRoute = createRoute({
  method: 'get',
  path: '/export/calls.xlsx',
  tags: ['export'],
  security: [{ bearer: [] }],
  summary:
    'Calls in your scope under the GET /calls filters, as an Excel workbook: the calls, then a sheet with the period and filters',
  request: { query: ExportCallsQuery },
  responses: {
    200: {
      description:
        'the workbook: sheet 1 the calls (the CSV columns; numbers as numbers, times as dates), sheet 2 the period, filters, who exported it and the count',
      content: { [XLSX_TYPE]: { schema: z.string().openapi({ format: 'binary' }) } },
    },
    ...errorResponses(400, 401, 403),
  },
});

/** `calls-2025-03-01_2025-03-31.csv` for a range, `calls-<today>.csv` otherwise (UTC dates). */
export function exportFileName(
  filters: { from?: string; to?: string },
  now = new Date(),
  extension: 'csv' | 'xlsx' = 'csv',
): string {
  const day = (iso: string) => new Date(iso).toISOString().slice(0, 10);
  if (filters.from && filters.to) return `calls-${day(filters.from)}_${day(filters.to)}.${extension}`;
  if (filters.from) return `calls-${day(filters.from)}_${day(now.toISOString())}.${extension}`;
  return `calls-${day(now.toISOString())}.${extension}`;
}

/**
 * Names for the filter values the parameters sheet shows, keyed `filter:value`: the queue's display
 * name, the operator's name (with the endpoint), dictionary names for ids.
 */
async function filterLabels(db: Db, filters: Record<string, unknown>): Promise<Record<string, string>> {
  const labels: Record<string, string> = {};
  if (typeof filters.queue === 'string') {
    const q = await db
      .selectFrom('app.queues')
      .where('name', '=', filters.queue)
      .select('display_name')
      .executeTakeFirst();
    if (q) labels[`queue:${filters.queue}`] = `${q.display_name} (${filters.queue})`;
  }
  if (typeof filters.operator === 'string') {
    const o = await db
      .selectFrom('app.operators')
      .where('endpoint', '=', filters.operator)
      .select('name')
      .executeTakeFirst();
    if (o) labels[`operator:${filters.operator}`] = `${o.name} (${filters.operator})`;
  }
  const dictionaries = [
    ['purpose_id', 'app.call_purposes'],
    ['category_id', 'app.call_categories'],
    ['subcategory_id', 'app.call_subcategories'],
    ['tag_id', 'app.call_tags'],
  ] as const;
  for (const [key, table] of dictionaries) {
    const id = filters[key];
    if (typeof id !== 'number') continue;
    const row = await db.selectFrom(table).where('id', '=', id).select('name').executeTakeFirst();
    if (row) labels[`${key}:${id}`] = row.name;
  }
  return labels;
}

/**
 * The `/export` route group, registered with `app.route('/', exportRoutes(deps))`. `hooks` lets
 * tests watch the page reader; production passes none.
 */
export function exportRoutes(deps: ApiDeps, hooks: ExportHooks = {}) {
  const app = new OpenAPIHono<ApiEnv>();
  const log = deps.log ?? console.error;
  app.use('/export/*', authenticate({ secret: deps.config.jwtSecret }), requireRole('admin', 'supervisor'));

  const onStreamError = (error: unknown) => {
    // The client left (closed the download): the stream was cancelled or aborted, not failed.
    const { code, name } = (error ?? {}) as { code?: string; name?: string };
    if (code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ABORT_ERR' || name === 'AbortError') return;
    log(`export of calls failed mid-stream: ${error instanceof Error ? error.message : String(error)}`);
  };

  return app
    .openapi(exportCallsRoute, async (c) => {
      const { lang, locale, ...filters } = c.req.valid('query');
      const user = c.get('user');
      const language = resolveExportLanguage({ locale, lang }, await userLanguage(deps.db, user.id));
      await audit(deps.db, {
        user: { id: user.id, login: user.login },
        action: 'export',
        target: 'calls',
        ip: clientIp(c),
        details: { format: 'csv', locale: language, filters },
      });
      const body = callsCsvStream(exportRecords(deps.db, user, filters, hooks), onStreamError, language);
      return c.body(body, 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${exportFileName(filters)}"`,
        'content-language': language,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
    })
    .openapi(exportXlsxRoute, async (c) => {
      const { lang, locale, ...filters } = c.req.valid('query');
      const user = c.get('user');
      const language = resolveExportLanguage({ locale, lang }, await userLanguage(deps.db, user.id));
      await audit(deps.db, {
        user: { id: user.id, login: user.login },
        action: 'export',
        target: 'calls',
        ip: clientIp(c),
        details: { format: 'xlsx', locale: language, filters },
      });
      const exportedAt = new Date();
      const body = callsXlsxStream(
        exportRecords(deps.db, user, filters, hooks),
        { filters, login: user.login, exportedAt, labels: await filterLabels(deps.db, filters) },
        language,
        onStreamError,
      );
      return c.body(body, 200, {
        'content-type': XLSX_TYPE,
        'content-disposition': `attachment; filename="${exportFileName(filters, exportedAt, 'xlsx')}"`,
        'content-language': language,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
    });
}
