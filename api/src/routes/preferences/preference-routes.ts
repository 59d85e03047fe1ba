import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { sql } from 'kysely';
import type { ApiDeps, ApiEnv } from '../../api-deps.ts';
import { notFound } from '../../errors/api-error.ts';
import { authenticate } from '../../middleware/authenticate/authenticate.ts';
import { errorResponses } from '../dictionaries/route-schemas.ts';

/**
 * What a person keeps for themselves (sql/postgres/014_user_preferences.sql), every role, their
 * own rows only:
 * - `GET/PUT /me/preferences`: the language the server answers in when a request does not say
 *   (exports, e-mailed reports) and the e-mail address scheduled reports go to;
 * - `GET /me/filters?page=reports|journal`, `PUT /me/filters` (by name: saving a name again
 *   replaces it), `DELETE /me/filters/{id}`: named filters of the reports and the journal, as the
 *   page puts them in its URL (at most 50 parameters, values of at most 200 characters).
 */

const Preferences = z
  .object({
    language: z.enum(['ru', 'en']).nullable(),
    email: z.string().nullable(),
  })
  .openapi('Preferences');

const PreferencesBody = z
  .strictObject({
    language: z.enum(['ru', 'en']).nullable().optional(),
    email: z.email().max(254).nullable().optional(),
  })
  .openapi('PreferencesBody');

const Page = z.enum(['reports', 'journal']);
/** A page's filter as its URL parameters (name → value). */
const FilterParams = z
  .record(z.string().regex(/^[a-z_]{1,32}$/, 'a URL parameter name'), z.string().max(200))
  .refine((f) => Object.keys(f).length <= 50, 'at most 50 parameters');

const SavedFilter = z
  .object({
    id: z.number(),
    page: Page,
    name: z.string(),
    filters: z.record(z.string(), z.string()),
    updated_at: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('SavedFilter');

const SaveFilterBody = z
  .strictObject({ page: Page, name: z.string().trim().min(1).max(100), filters: FilterParams })
  .openapi('SaveFilterBody');

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const getPreferences = createRoute({
  method: 'get',
  path: '/me/preferences',
  tags: ['preferences'],
  security: [{ bearer: [] }],
  summary: 'Your language and e-mail address',
  responses: { 200: json(Preferences, 'your preferences'), ...errorResponses(401) },
});

const putPreferences = createRoute({
  method: 'put',
  path: '/me/preferences',
  tags: ['preferences'],
  security: [{ bearer: [] }],
  summary: 'Set your language (exports and e-mailed reports use it) and e-mail address; null clears',
  request: { body: { content: { 'application/json': { schema: PreferencesBody } }, required: true } },
  responses: { 200: json(Preferences, 'your preferences'), ...errorResponses(400, 401) },
});

const listFilters = createRoute({
  method: 'get',
  path: '/me/filters',
  tags: ['preferences'],
  security: [{ bearer: [] }],
  summary: 'Your saved filters of a page, by name',
  request: { query: z.strictObject({ page: Page }) },
  responses: { 200: json(z.array(SavedFilter), 'your saved filters'), ...errorResponses(400, 401) },
});

const saveFilter = createRoute({
  method: 'put',
  path: '/me/filters',
  tags: ['preferences'],
  security: [{ bearer: [] }],
  summary: 'Save a filter under a name (the same name on the same page is replaced)',
  request: { body: { content: { 'application/json': { schema: SaveFilterBody } }, required: true } },
  responses: { 200: json(SavedFilter, 'the saved filter'), ...errorResponses(400, 401) },
});

const deleteFilter = createRoute({
  method: 'delete',
  path: '/me/filters/{id}',
  tags: ['preferences'],
  security: [{ bearer: [] }],
  summary: 'Delete one of your saved filters',
  request: {
    params: z.object({
      id: z
        .string()
        .regex(/^[1-9][0-9]{0,14}$/)
        .transform(Number),
    }),
  },
  responses: { 204: { description: 'deleted' }, ...errorResponses(401, 404) },
});

/** Mount with `app.route('/', preferenceRoutes(deps))`. */
export function preferenceRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>();
  const auth = authenticate({ secret: deps.config.jwtSecret });
  app.use('/me/preferences', auth);
  app.use('/me/filters', auth);
  app.use('/me/filters/*', auth);
  const { db } = deps;
  const savedRow = (r: {
    id: number;
    page: 'reports' | 'journal';
    name: string;
    filters: unknown;
    updated_at: Date;
  }) => ({
    id: r.id,
    page: r.page,
    name: r.name,
    filters: r.filters as Record<string, string>,
    updated_at: r.updated_at.toISOString(),
  });

  return app
    .openapi(getPreferences, async (c) => {
      const row = await db
        .selectFrom('app.users')
        .where('id', '=', c.get('user').id)
        .select(['language', 'email'])
        .executeTakeFirstOrThrow();
      return c.json(row, 200);
    })
    .openapi(putPreferences, async (c) => {
      const body = c.req.valid('json');
      const row = await db
        .updateTable('app.users')
        .set({ ...body, updated_at: sql`now()` })
        .where('id', '=', c.get('user').id)
        .returning(['language', 'email'])
        .executeTakeFirstOrThrow();
      return c.json(row, 200);
    })
    .openapi(listFilters, async (c) => {
      const rows = await db
        .selectFrom('app.saved_filters')
        .where('user_id', '=', c.get('user').id)
        .where('page', '=', c.req.valid('query').page)
        .select(['id', 'page', 'name', 'filters', 'updated_at'])
        .orderBy('name')
        .execute();
      return c.json(rows.map(savedRow), 200);
    })
    .openapi(saveFilter, async (c) => {
      const { page, name, filters } = c.req.valid('json');
      const row = await db
        .insertInto('app.saved_filters')
        .values({ user_id: c.get('user').id, page, name, filters: JSON.stringify(filters) })
        .onConflict((oc) =>
          oc.columns(['user_id', 'page', 'name']).doUpdateSet({
            filters: JSON.stringify(filters),
            updated_at: sql`now()`,
          }),
        )
        .returning(['id', 'page', 'name', 'filters', 'updated_at'])
        .executeTakeFirstOrThrow();
      return c.json(savedRow(row), 200);
    })
    .openapi(deleteFilter, async (c) => {
      const result = await db
        .deleteFrom('app.saved_filters')
        .where('id', '=', c.req.valid('param').id)
        .where('user_id', '=', c.get('user').id)
        .executeTakeFirst();
      if (result.numDeletedRows === 0n) throw notFound('no such saved filter of yours');
      return c.body(null, 204);
    });
}
