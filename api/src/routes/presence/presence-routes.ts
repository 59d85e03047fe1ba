import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { ApiDeps, ApiEnv } from '../../api-deps.ts';
import { ApiError, notFound } from '../../errors/api-error.ts';
import { authenticate } from '../../middleware/authenticate/authenticate.ts';
import { requireRole } from '../../middleware/require-role/require-role.ts';
import { createReason, deleteReason, listReasons, updateReason } from '../../presence/presence-reasons.ts';
import { presenceReport } from '../../presence/presence-report.ts';
import { PresenceService } from '../../presence/presence-service.ts';
import { findOperatorByEndpoint, findVisibleOperator, listPresence } from '../../presence/presence-store.ts';
import { actor } from '../dictionaries/audit-change.ts';
import { checkPeriod } from '../reports/report-schemas.ts';
import {
  OperatorParams,
  PresenceChangeBody,
  PresenceChangeResultSchema,
  PresenceListSchema,
  PresenceReportQuery,
  PresenceReportSchema,
  presenceErrors,
  ReasonCreateBody,
  ReasonEntrySchema,
  ReasonListSchema,
  ReasonParams,
  ReasonUpdateBody,
} from './presence-schemas.ts';

/**
 * Operator presence (README.md, "Operator presence"; the rules in api/src/presence/):
 * - `GET /presence`: current presence in your scope — admin all operators, supervisor the members of
 *   their queues (AMI-reported membership and the calls history, presence/queue-membership.ts),
 *   operator themself;
 * - `GET /presence/reasons`: the pause reasons;
 * - `PUT /me/presence` (operator): your own state; `PUT /presence/{operatorId}` (supervisor within
 *   scope, admin): someone else's. Applied to Asterisk's queues (QueuePause) first, then recorded;
 *   `presence.changed` on `GET /live/events`;
 * - `GET /reports/presence?from&to[&operator]`: seconds available / paused by reason and pauses per
 *   operator, intervals clipped to the period, the current one counted up to now.
 */

const security = [{ bearer: [] }];
const tags = ['presence'];

/**
 * The presence routes listed above. Mount with `app.route('/', presenceRoutes(deps))`; `deps.live`
 * (when set) receives `presence.changed`.
 */
export function presenceRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>();
  const auth = authenticate({ secret: deps.config.jwtSecret });
  const service = new PresenceService({
    db: deps.db,
    asterisk: deps.asterisk ?? null,
    live: deps.live ?? null,
    log: deps.log,
  });

  const list = createRoute({
    method: 'get',
    path: '/presence',
    tags,
    security,
    summary: 'Current presence of the operators in your scope',
    middleware: [auth],
    responses: {
      200: {
        description: 'operators by server and endpoint',
        content: { 'application/json': { schema: PresenceListSchema } },
      },
      ...presenceErrors(401),
    },
  });
  app.openapi(list, async (c) => c.json({ operators: await listPresence(deps.db, c.get('user')) }, 200));

  const reasons = createRoute({
    method: 'get',
    path: '/presence/reasons',
    tags,
    security,
    summary: 'Pause reasons (code for requests, label for people)',
    middleware: [auth],
    responses: {
      200: { description: 'in display order', content: { 'application/json': { schema: ReasonListSchema } } },
      ...presenceErrors(401),
    },
  });
  app.openapi(reasons, async (c) => c.json({ reasons: await listReasons(deps.db) }, 200));

  const createReasonRoute = createRoute({
    method: 'post',
    path: '/presence/reasons',
    tags,
    security,
    summary: 'Add a pause reason, or restore a removed one (admin)',
    middleware: [auth, requireRole('admin')],
    request: { body: { required: true, content: { 'application/json': { schema: ReasonCreateBody } } } },
    responses: {
      201: { description: 'the reason', content: { 'application/json': { schema: ReasonEntrySchema } } },
      ...presenceErrors(400, 401, 403, 409),
    },
  });
  app.openapi(createReasonRoute, async (c) =>
    c.json(await createReason(deps.db, actor(c), c.req.valid('json')), 201),
  );

  const updateReasonRoute = createRoute({
    method: 'patch',
    path: '/presence/reasons/{code}',
    tags,
    security,
    summary: 'Relabel or reorder a pause reason (admin; the code never changes)',
    middleware: [auth, requireRole('admin')],
    request: {
      params: ReasonParams,
      body: { required: true, content: { 'application/json': { schema: ReasonUpdateBody } } },
    },
    responses: {
      200: {
        description: 'the reason as changed',
        content: { 'application/json': { schema: ReasonEntrySchema } },
      },
      ...presenceErrors(400, 401, 403, 404),
    },
  });
  app.openapi(updateReasonRoute, async (c) =>
    c.json(await updateReason(deps.db, actor(c), c.req.valid('param').code, c.req.valid('json')), 200),
  );

  const deleteReasonRoute = createRoute({
    method: 'delete',
    path: '/presence/reasons/{code}',
    tags,
    security,
    summary: 'Remove a pause reason (admin; past pauses keep it)',
    middleware: [auth, requireRole('admin')],
    request: { params: ReasonParams },
    responses: { 204: { description: 'removed' }, ...presenceErrors(400, 401, 403, 404) },
  });
  app.openapi(deleteReasonRoute, async (c) => {
    await deleteReason(deps.db, actor(c), c.req.valid('param').code);
    return c.body(null, 204);
  });

  const changeResponses = {
    200: {
      description: 'the new presence, and whether Asterisk applied it',
      content: { 'application/json': { schema: PresenceChangeResultSchema } },
    },
  };
  const body = { required: true, content: { 'application/json': { schema: PresenceChangeBody } } };

  const changeMine = createRoute({
    method: 'put',
    path: '/me/presence',
    tags,
    security,
    summary: 'Set your own presence: available, paused with a reason, offline (operator)',
    middleware: [auth, requireRole('operator')],
    request: { body },
    responses: { ...changeResponses, ...presenceErrors(400, 401, 403, 409, 502, 503) },
  });
  app.openapi(changeMine, async (c) => {
    const user = c.get('user');
    const operator = user.endpoint
      ? await findOperatorByEndpoint(deps.db, user.serverId, user.endpoint)
      : undefined;
    if (!operator) {
      throw new ApiError(
        409,
        'not_an_operator',
        `your endpoint ${user.endpoint ?? '(none)'} on ${user.serverId} is not a registered operator`,
      );
    }
    return c.json(await service.change(user, operator, c.req.valid('json')), 200);
  });

  const changeOther = createRoute({
    method: 'put',
    path: '/presence/{operatorId}',
    tags,
    security,
    summary: "Set an operator's presence (supervisor: members of your queues; admin: anyone)",
    middleware: [auth, requireRole('supervisor', 'admin')],
    request: { params: OperatorParams, body },
    responses: { ...changeResponses, ...presenceErrors(400, 401, 403, 404, 502, 503) },
  });
  app.openapi(changeOther, async (c) => {
    const user = c.get('user');
    const { operatorId } = c.req.valid('param');
    const operator = await findVisibleOperator(deps.db, user, operatorId);
    if (!operator) throw notFound(`no active operator with id ${operatorId} in your scope`);
    return c.json(await service.change(user, operator, c.req.valid('json')), 200);
  });

  const report = createRoute({
    method: 'get',
    path: '/reports/presence',
    tags: ['reports', ...tags],
    security,
    summary: 'Seconds available and paused (by reason) and pauses per operator in a period',
    middleware: [auth],
    request: { query: PresenceReportQuery },
    responses: {
      200: {
        description: 'per operator in your scope',
        content: { 'application/json': { schema: PresenceReportSchema } },
      },
      ...presenceErrors(400, 401),
    },
  });
  app.openapi(report, async (c) => {
    const query = c.req.valid('query');
    const { from, to } = checkPeriod(query);
    return c.json(
      await presenceReport(deps.db, c.get('user'), { from, to, operatorId: query.operator }),
      200,
    );
  });

  return app;
}
