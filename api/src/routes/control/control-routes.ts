import { AriRestClient } from '@callcenter/asterisk/ari';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ApiDeps, ApiEnv } from '../../api-deps.ts';
import { audit } from '../../audit/audit-log.ts';
import { clientIp } from '../../auth/request-origin.ts';
import { ApiError, notFound } from '../../errors/api-error.ts';
import { authenticate } from '../../middleware/authenticate/authenticate.ts';
import { requireRole } from '../../middleware/require-role/require-role.ts';
import { findVisibleOperator } from '../../presence/presence-store.ts';
import { ErrorBodySchema, errorResponses } from '../dictionaries/route-schemas.ts';
import { ARI_UNAVAILABLE_MESSAGE, CallControl } from './call-control.ts';
import {
  ChannelParam,
  ControlResult,
  ListenBody,
  ListenResult,
  OriginateBody,
  TransferBody,
} from './control-schemas.ts';

/**
 * `/control/...`: click-to-call, hold/unhold, hang up and blind transfer through Asterisk's ARI
 * (README.md, "Live calls"), for the web app's call controls. Who may act on which channel: call-control.ts (your
 * own phone's channels; admins any). Every action is audited (`call_originate`, `call_hold`,
 * `call_unhold`, `call_hangup`, `call_transfer`, `call_listen`). `POST /control/listen` (supervisors
 * within their scope and admins, from their own phone) listens in on an operator's call with
 * Asterisk's ChanSpy (call-control.ts). Without ARI_URL every route answers 503, except
 * `GET /control/status`, which says whether call control is available so the web app can disable
 * its call buttons with the reason instead of failing on click.
 */

const statusRoute = createRoute({
  method: 'get',
  path: '/control/status',
  tags: ['control'],
  security: [{ bearer: [] }],
  summary: 'Whether call control through ARI is available (ARI_URL set)',
  responses: {
    200: {
      description: '`available: false` with `reason: "no_ari"` when ARI_URL is not set',
      content: {
        'application/json': {
          schema: z.object({ available: z.boolean(), reason: z.enum(['no_ari']).optional() }),
        },
      },
    },
    ...errorResponses(401),
  },
});

const asteriskErrors = {
  502: {
    description: 'Asterisk is unreachable or failed',
    content: { 'application/json': { schema: ErrorBodySchema } },
  },
  503: {
    description: 'ARI is not configured (ARI_URL)',
    content: { 'application/json': { schema: ErrorBodySchema } },
  },
} as const;

const originateRoute = createRoute({
  method: 'post',
  path: '/control/originate',
  tags: ['control'],
  security: [{ bearer: [] }],
  summary: 'Click-to-call: ring your own phone, then dial the number',
  request: { body: { content: { 'application/json': { schema: OriginateBody } }, required: true } },
  responses: {
    200: { description: 'your phone rings', content: { 'application/json': { schema: ControlResult } } },
    ...errorResponses(400, 401, 409),
    ...asteriskErrors,
  },
});

const channelRoute = (action: 'hold' | 'unhold' | 'hangup', summary: string) =>
  createRoute({
    method: 'post',
    path: `/control/channels/{channelId}/${action}`,
    tags: ['control'],
    security: [{ bearer: [] }],
    summary,
    request: { params: ChannelParam },
    responses: {
      200: { description: 'done', content: { 'application/json': { schema: ControlResult } } },
      ...errorResponses(400, 401, 403, 404, 409),
      ...asteriskErrors,
    },
  });

const transferRoute = createRoute({
  method: 'post',
  path: '/control/channels/{channelId}/transfer',
  tags: ['control'],
  security: [{ bearer: [] }],
  summary: 'Blind transfer: send the other party to a number or extension, and leave the call',
  request: {
    params: ChannelParam,
    body: { content: { 'application/json': { schema: TransferBody } }, required: true },
  },
  responses: {
    200: { description: 'done', content: { 'application/json': { schema: ControlResult } } },
    ...errorResponses(400, 401, 403, 404, 409),
    ...asteriskErrors,
  },
});

const listenRoute = createRoute({
  method: 'post',
  path: '/control/listen',
  tags: ['control'],
  security: [{ bearer: [] }],
  summary: "Listen in on an operator's call (ChanSpy): your own phone rings, then you hear the call",
  description:
    'Supervisors (operators of their queues) and admins, from a phone endpoint of their own on the ' +
    'ARI server. `whisper` lets you talk to the operator only, `barge` to both sides. 409 `not_in_call` when the operator has no answered call now.',
  request: { body: { content: { 'application/json': { schema: ListenBody } }, required: true } },
  responses: {
    200: { description: 'your phone rings', content: { 'application/json': { schema: ListenResult } } },
    ...errorResponses(400, 401, 403, 404, 409),
    ...asteriskErrors,
  },
});

/** Mount with `app.route('/', controlRoutes(deps))`. */
export function controlRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>();
  const settings = deps.config.ari;
  const control = settings
    ? new CallControl(
        new AriRestClient({ url: settings.url, username: settings.username, password: settings.password }),
        settings,
      )
    : null;
  app.use('/control/*', authenticate({ secret: deps.config.jwtSecret }));
  // Before the ARI check: an operator is refused listening in whether or not ARI is configured.
  app.use('/control/listen', requireRole('supervisor', 'admin'));
  app.openapi(statusRoute, (c) =>
    c.json(control ? { available: true } : { available: false, reason: 'no_ari' as const }, 200),
  );
  app.use('/control/*', async function requireAri(c, next) {
    if (!control && c.req.path !== '/control/status') {
      throw new ApiError(503, 'ari_unavailable', ARI_UNAVAILABLE_MESSAGE);
    }
    await next();
  });

  const record = (
    c: Context<ApiEnv>,
    action: string,
    channelId: string,
    details: Record<string, unknown> = {},
  ) =>
    audit(deps.db, {
      user: c.get('user'),
      action,
      target: `channel:${channelId}`,
      ip: clientIp(c),
      details,
    });

  app.openapi(originateRoute, async (c) => {
    const { number } = c.req.valid('json');
    const channelId = await control!.originate(c.get('user'), number);
    await record(c, 'call_originate', channelId, { number });
    return c.json({ channelId, action: 'originate' as const }, 200);
  });
  for (const action of ['hold', 'unhold'] as const) {
    app.openapi(
      channelRoute(action, action === 'hold' ? 'Put your call on hold' : 'Take your call off hold'),
      async (c) => {
        const { channelId } = c.req.valid('param');
        await control!.hold(c.get('user'), channelId, action === 'hold');
        await record(c, `call_${action}`, channelId);
        return c.json({ channelId, action }, 200);
      },
    );
  }
  app.openapi(channelRoute('hangup', 'Hang up a channel of your phone'), async (c) => {
    const { channelId } = c.req.valid('param');
    await control!.hangup(c.get('user'), channelId);
    await record(c, 'call_hangup', channelId);
    return c.json({ channelId, action: 'hangup' as const }, 200);
  });
  app.openapi(transferRoute, async (c) => {
    const { channelId } = c.req.valid('param');
    const { to } = c.req.valid('json');
    const { transferee } = await control!.transfer(c.get('user'), channelId, to);
    await record(c, 'call_transfer', channelId, { to, transferee, kind: 'blind' });
    return c.json({ channelId, action: 'transfer' as const }, 200);
  });
  app.openapi(listenRoute, async (c) => {
    const { operator_id: operatorId, mode } = c.req.valid('json');
    const user = c.get('user');
    const operator = await findVisibleOperator(deps.db, user, operatorId);
    if (!operator) throw notFound(`no active operator with id ${operatorId} in your scope`);
    const { channelId, listenedChannel } = await control!.listen(user, operator, mode);
    await record(c, 'call_listen', channelId, { operator: operator.endpoint, mode, listenedChannel });
    return c.json({ channelId, action: 'listen' as const, listenedChannel, mode }, 200);
  });
  return app;
}
