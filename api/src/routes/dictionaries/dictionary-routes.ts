import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { ApiDeps, ApiEnv } from '../../api-deps.ts';
import { forbidden } from '../../errors/api-error.ts';
import { authenticate } from '../../middleware/authenticate/authenticate.ts';
import { requireRole } from '../../middleware/require-role/require-role.ts';
import { actor } from './audit-change.ts';
import {
  createBodySchema,
  DictionaryItemSchema,
  DictionaryListSchema,
  listQuerySchema,
  updateBodySchema,
} from './dictionary-schemas.ts';
import {
  createEntry,
  DICTIONARY_KINDS,
  type DictionaryKind,
  listEntries,
  restoreEntry,
  singular,
  softDeleteEntry,
  updateEntry,
} from './dictionary-store.ts';
import { errorResponses, idParam } from './route-schemas.ts';

/**
 * The call-card dictionaries (docs/roles.md#route-families): `/dictionaries/{purposes,categories,subcategories,tags}`.
 * Every role reads live entries; admins also see soft-deleted ones (`?include_deleted=true`) and
 * create, change, soft-delete and restore entries, each change audited (`dictionary_change`).
 */
export function dictionaryRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>();
  for (const kind of DICTIONARY_KINDS) addKindRoutes(app, deps, kind);
  return app;
}

const security = [{ bearer: [] }];

function addKindRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDeps, kind: DictionaryKind) {
  const auth = authenticate({ secret: deps.config.jwtSecret });
  const admin = requireRole('admin');
  const base = `/dictionaries/${kind}`;
  const noun = singular(kind);
  const tags = ['dictionaries'];
  const itemResponse = (description: string) => ({
    description,
    content: { 'application/json': { schema: DictionaryItemSchema } },
  });
  const params = z.object({ id: idParam(noun) });

  const list = createRoute({
    method: 'get',
    path: base,
    tags,
    security,
    summary: `List ${kind}`,
    description:
      `Live ${kind} ordered by sortOrder, then name. Admins may add include_deleted=true to also get ` +
      'soft-deleted entries (cards that used them still show them).',
    middleware: [auth],
    request: { query: listQuerySchema(kind) },
    responses: {
      200: {
        description: `the ${kind}`,
        content: { 'application/json': { schema: DictionaryListSchema } },
      },
      ...errorResponses(400, 401, 403),
    },
  });
  app.openapi(list, async (c) => {
    const query = c.req.valid('query');
    const includeDeleted = query.include_deleted === 'true';
    if (includeDeleted && c.get('user').role !== 'admin') {
      throw forbidden('include_deleted is for admins');
    }
    const items = await listEntries(deps.db, kind, {
      includeDeleted,
      ...(query.category_id !== undefined ? { categoryId: query.category_id } : {}),
    });
    return c.json({ items }, 200);
  });

  const create = createRoute({
    method: 'post',
    path: base,
    tags,
    security,
    summary: `Create a ${noun} (admin)`,
    middleware: [auth, admin],
    request: {
      body: { required: true, content: { 'application/json': { schema: createBodySchema(kind) } } },
    },
    responses: {
      201: itemResponse(`the new ${noun}`),
      ...errorResponses(400, 401, 403, 409),
    },
  });
  app.openapi(create, async (c) => {
    const item = await createEntry(deps.db, actor(c), kind, c.req.valid('json'));
    return c.json(item, 201);
  });

  const update = createRoute({
    method: 'patch',
    path: `${base}/{id}`,
    tags,
    security,
    summary: `Rename, reorder${kind === 'subcategories' ? ' or move' : ''} a ${noun} (admin)`,
    middleware: [auth, admin],
    request: {
      params,
      body: { required: true, content: { 'application/json': { schema: updateBodySchema(kind) } } },
    },
    responses: {
      200: itemResponse(`the ${noun} as changed`),
      ...errorResponses(400, 401, 403, 404, 409),
    },
  });
  app.openapi(update, async (c) => {
    const { id } = c.req.valid('param');
    const item = await updateEntry(deps.db, actor(c), kind, id, c.req.valid('json'));
    return c.json(item, 200);
  });

  const remove = createRoute({
    method: 'delete',
    path: `${base}/{id}`,
    tags,
    security,
    summary: `Soft-delete a ${noun} (admin)`,
    description:
      'Sets deletedAt: the entry leaves pickers but cards that used it still show it. ' +
      (kind === 'categories' ? 'A category with live subcategories is refused (409).' : ''),
    middleware: [auth, admin],
    request: { params },
    responses: {
      204: { description: 'deleted (or already deleted)' },
      ...errorResponses(400, 401, 403, 404, 409),
    },
  });
  app.openapi(remove, async (c) => {
    const { id } = c.req.valid('param');
    await softDeleteEntry(deps.db, actor(c), kind, id);
    return c.body(null, 204);
  });

  const restore = createRoute({
    method: 'post',
    path: `${base}/{id}/restore`,
    tags,
    security,
    summary: `Restore a soft-deleted ${noun} (admin)`,
    middleware: [auth, admin],
    request: { params },
    responses: {
      200: itemResponse(`the ${noun}, live again`),
      ...errorResponses(400, 401, 403, 404, 409),
    },
  });
  app.openapi(restore, async (c) => {
    const { id } = c.req.valid('param');
    const item = await restoreEntry(deps.db, actor(c), kind, id);
    return c.json(item, 200);
  });
}
