import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { ApiDeps, ApiEnv } from '../../api-deps.ts';
import { audit } from '../../audit/audit-log.ts';
import { authenticate } from '../../middleware/authenticate/authenticate.ts';
import { requireRole } from '../../middleware/require-role/require-role.ts';
import { actor } from '../dictionaries/audit-change.ts';
import { errorResponses } from '../dictionaries/route-schemas.ts';
import { qualityReport } from './quality-report.ts';
import { QualityReportSchema, RederiveBody, RederiveResultSchema } from './quality-schemas.ts';
import { rederiveCalls } from './rederive-calls.ts';

const security = [{ bearer: [] }];

/**
 * Data quality for admins (quality-report.ts, rederive-calls.ts): `GET /quality` and
 * `POST /quality/rederive`, the latter audited as `rederive`. Others get 403.
 */
export function qualityRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>();
  const guard = [authenticate({ secret: deps.config.jwtSecret }), requireRole('admin')] as const;

  const report = createRoute({
    method: 'get',
    path: '/quality',
    tags: ['quality'],
    security,
    summary: 'Quarantined rows, idle-timeout calls, calls per reconciler version',
    middleware: [...guard],
    responses: {
      200: { description: 'the report', content: { 'application/json': { schema: QualityReportSchema } } },
      ...errorResponses(401, 403),
    },
  });

  const rederive = createRoute({
    method: 'post',
    path: '/quality/rederive',
    tags: ['quality'],
    security,
    summary: 'Re-derive stored calls from their CEL/CDR rows (card fields are never touched)',
    middleware: [...guard],
    request: { body: { required: false, content: { 'application/json': { schema: RederiveBody } } } },
    responses: {
      200: { description: 'counts', content: { 'application/json': { schema: RederiveResultSchema } } },
      ...errorResponses(400, 401, 403),
    },
  });

  return app
    .openapi(report, async (c) => c.json(await qualityReport(deps.db), 200))
    .openapi(rederive, async (c) => {
      const body = c.req.valid('json') ?? {};
      const result = await rederiveCalls(deps.db, deps.pool, body);
      const who = actor(c);
      await audit(deps.db, {
        user: { id: who.user.id, login: who.user.login },
        action: 'rederive',
        target: null,
        ip: who.ip,
        details: {
          callIds: body.callIds ?? null,
          selected: result.selected,
          updated: result.updated,
          unchanged: result.unchanged,
        },
      });
      return c.json(result, 200);
    });
}
