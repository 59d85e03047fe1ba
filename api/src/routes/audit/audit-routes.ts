import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { type SqlBool, sql } from 'kysely';
import type { ApiDeps, ApiEnv } from '../../api-deps.ts';
import { authenticate } from '../../middleware/authenticate/authenticate.ts';
import { requireRole } from '../../middleware/require-role/require-role.ts';
import { ErrorBody } from '../calls/call-schemas.ts';
import { type AuditEntry, AuditListQuery, AuditListResponse } from './audit-schemas.ts';

/**
 * `GET /audit` (admins only): app.audit_log newest first (`at`, then `id`, descending), filtered
 * by time, login, action and target, one limit/offset page at a time with the total.
 */

const errorContent = { 'application/json': { schema: ErrorBody } };

const listRoute = createRoute({
  method: 'get',
  path: '/audit',
  tags: ['audit'],
  security: [{ bearer: [] }],
  summary: 'The audit log, newest first (admin only)',
  request: { query: AuditListQuery },
  responses: {
    200: {
      description: 'one page and the total',
      content: { 'application/json': { schema: AuditListResponse } },
    },
    400: { description: 'the query is not valid', content: errorContent },
    401: { description: 'no or invalid access token', content: errorContent },
    403: { description: 'needs the role admin', content: errorContent },
  },
});

/** Reads one page of the audit log; values are always bound parameters. */
export async function listAudit(deps: ApiDeps, q: AuditListQuery) {
  let query = deps.db.selectFrom('app.audit_log as a');
  // Bound as text and cast in SQL, so microseconds in the bounds are kept.
  if (q.from) query = query.where(sql<SqlBool>`${sql.ref('a.at')} >= ${q.from}::timestamptz`);
  if (q.to) query = query.where(sql<SqlBool>`${sql.ref('a.at')} < ${q.to}::timestamptz`);
  if (q.login) query = query.where(sql`lower(a.login)`, '=', q.login.toLowerCase());
  if (q.action) query = query.where('a.action', '=', q.action);
  if (q.target) query = query.where('a.target', '=', q.target);
  const [rows, count] = await Promise.all([
    query
      .select(sql<Date>`${sql.ref('a.at')}`.as('at'))
      .select(['a.id', 'a.user_id', 'a.login', 'a.action', 'a.target', 'a.ip', 'a.details'])
      .orderBy('a.at', 'desc')
      .orderBy('a.id', 'desc')
      .limit(q.limit)
      .offset(q.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const items: AuditEntry[] = rows.map((r) => ({
    id: Number(r.id),
    at: r.at.toISOString(),
    user_id: r.user_id === null ? null : Number(r.user_id),
    login: r.login,
    action: r.action,
    target: r.target,
    ip: r.ip,
    details: r.details,
  }));
  return { items, total: Number(count.n), limit: q.limit, offset: q.offset };
}

/** The audit route group, registered with `app.route('/', auditRoutes(deps))`. */
export function auditRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>();
  app.use('/audit', authenticate({ secret: deps.config.jwtSecret }), requireRole('admin'));
  return app.openapi(listRoute, async (c) => c.json(await listAudit(deps, c.req.valid('query')), 200));
}
