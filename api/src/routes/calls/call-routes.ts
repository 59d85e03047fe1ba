import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { ApiDeps, ApiEnv } from '../../api-deps.ts';
import { clientIp } from '../../auth/request-origin.ts';
import { cancelOnAbort } from '../../db/cancel-on-abort.ts';
import { notFound } from '../../errors/api-error.ts';
import { authenticate } from '../../middleware/authenticate/authenticate.ts';
import { createManualCall, updateCard } from './call-card-writes.ts';
import { decodeCursor } from './call-cursor.ts';
import { explainCall } from './call-explain.ts';
import { getCallCard, listCalls } from './call-repository.ts';
import {
  CallCard,
  CallExplanation,
  CallIdParams,
  CallListQuery,
  CallListResponse,
  CreateCallBody,
  errorResponses,
  UpdateCardBody,
} from './call-schemas.ts';

/**
 * The call-card routes (docs/roles.md#route-families): list, read, edit and create cards. Every route needs an
 * access token; what a user sees and edits is limited in SQL by their role's scope
 * (scope/call-scope.ts), and a call outside it answers 404.
 */

const security = [{ bearer: [] }];
const tags = ['calls'];

const listRoute = createRoute({
  method: 'get',
  path: '/calls',
  tags,
  security,
  summary: 'Calls in your scope, filtered, one keyset page at a time',
  request: { query: CallListQuery },
  responses: {
    200: {
      description: 'one page and the total',
      content: { 'application/json': { schema: CallListResponse } },
    },
    ...errorResponses(400, 401),
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/calls/{id}',
  tags,
  security,
  summary: 'One call’s card with attempts, transfers, segments and holds',
  request: { params: CallIdParams },
  responses: {
    200: { description: 'the card', content: { 'application/json': { schema: CallCard } } },
    ...errorResponses(400, 401, 404),
  },
});

const explainRoute = createRoute({
  method: 'get',
  path: '/calls/{id}/explain',
  tags,
  security,
  summary: 'Why the call came out as it did: its CEL and CDR rows and the reconciler’s decisions',
  description:
    'The card as `GET /calls/{id}`, the CEL rows (every linkedid of the call, `cel.id` order) and CDR rows ' +
    'it was derived from, and one decision per field (status, direction, operator, answered_at, talk_sec, ' +
    'every attempt, every transfer, closed_by): the rule of docs/reconciliation.md that decided it and the ' +
    '`cel.id`s it read. Same scope as the card.',
  request: { params: CallIdParams },
  responses: {
    200: { description: 'the explanation', content: { 'application/json': { schema: CallExplanation } } },
    ...errorResponses(400, 401, 404),
  },
});

const putRoute = createRoute({
  method: 'put',
  path: '/calls/{id}',
  tags,
  security,
  summary: 'Edit a card (absent fields stay as they are; `version` is required)',
  request: {
    params: CallIdParams,
    body: { required: true, content: { 'application/json': { schema: UpdateCardBody } } },
  },
  responses: {
    200: {
      description: 'the saved card (version + 1)',
      content: { 'application/json': { schema: CallCard } },
    },
    ...errorResponses(400, 401, 404, 409, 422),
  },
});

const postRoute = createRoute({
  method: 'post',
  path: '/calls',
  tags,
  security,
  summary: 'Enter a call the telephony did not see (e.g. taken on a mobile) with its card',
  request: { body: { required: true, content: { 'application/json': { schema: CreateCallBody } } } },
  responses: {
    201: { description: 'the new call’s card', content: { 'application/json': { schema: CallCard } } },
    ...errorResponses(400, 401, 403, 422),
  },
});

/** The `/calls` route group, registered on the app with `app.route('/', callRoutes(deps))`. */
export function callRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>();
  const auth = authenticate({ secret: deps.config.jwtSecret });
  // Paths, not '*': this group is mounted at '/', where '*' would cover every route of the app.
  app.use('/calls', auth);
  app.use('/calls/*', auth);

  return app
    .openapi(listRoute, async (c) => {
      const { sort, order, limit, cursor, ...filters } = c.req.valid('query');
      const after = cursor === undefined ? undefined : decodeCursor(cursor, sort);
      // The client hanging up cancels the statements (db/cancel-on-abort.ts).
      const page = await cancelOnAbort(deps.db, deps.pool, c.req.raw.signal, (db) =>
        listCalls(db, c.get('user'), filters, { sort, order, limit, after }, deps.db),
      );
      return c.json(page, 200);
    })
    .openapi(getRoute, async (c) => {
      const { id } = c.req.valid('param');
      const card = await getCallCard(deps.db, c.get('user'), id);
      if (!card) throw notFound(`no call ${id}`);
      return c.json(card, 200);
    })
    .openapi(explainRoute, async (c) => {
      const { id } = c.req.valid('param');
      const explanation = await explainCall(deps, c.get('user'), id);
      if (!explanation) throw notFound(`no call ${id}`);
      return c.json(explanation, 200);
    })
    .openapi(putRoute, async (c) => {
      const { id } = c.req.valid('param');
      const card = await updateCard(
        deps.db,
        { user: c.get('user'), ip: clientIp(c) },
        id,
        c.req.valid('json'),
      );
      return c.json(card, 200);
    })
    .openapi(postRoute, async (c) => {
      const card = await createManualCall(
        deps.db,
        { user: c.get('user'), ip: clientIp(c) },
        c.req.valid('json'),
      );
      return c.json(card, 201);
    });
}
