import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { ApiDeps, ApiEnv } from '../../api-deps.ts';
import { hashPassword } from '../../auth/password-hash.ts';
import { authenticate } from '../../middleware/authenticate/authenticate.ts';
import { requireRole } from '../../middleware/require-role/require-role.ts';
import { actor } from '../dictionaries/audit-change.ts';
import { errorResponses } from '../dictionaries/route-schemas.ts';
import { CreateUserBody, UpdateUserBody, UserIdParams, UserListSchema, UserSchema } from './user-schemas.ts';
import { createUser, listUsers, updateUser } from './user-store.ts';

const security = [{ bearer: [] }];
const tags = ['users'];

/**
 * User administration (admins only; others 403): `GET /users`, `POST /users`,
 * `PATCH /users/{id}` (user-store.ts). Passwords are bcrypt-hashed (auth/password-hash.ts) and
 * never returned; deactivation is `PATCH {active: false}`.
 */
export function userRoutes(deps: ApiDeps) {
  const app = new OpenAPIHono<ApiEnv>();
  const guard = [authenticate({ secret: deps.config.jwtSecret }), requireRole('admin')] as const;

  const list = createRoute({
    method: 'get',
    path: '/users',
    tags,
    security,
    summary: 'Every user with role, endpoint, queues and whether active',
    middleware: [...guard],
    responses: {
      200: { description: 'the users', content: { 'application/json': { schema: UserListSchema } } },
      ...errorResponses(401, 403),
    },
  });

  const create = createRoute({
    method: 'post',
    path: '/users',
    tags,
    security,
    summary: 'Create a user (login unique ignoring case)',
    middleware: [...guard],
    request: { body: { required: true, content: { 'application/json': { schema: CreateUserBody } } } },
    responses: {
      201: { description: 'the new user', content: { 'application/json': { schema: UserSchema } } },
      ...errorResponses(400, 401, 403, 409),
    },
  });

  const patch = createRoute({
    method: 'patch',
    path: '/users/{id}',
    tags,
    security,
    summary: 'Change role, endpoint, queues, name, password or active (absent fields stay)',
    middleware: [...guard],
    request: {
      params: UserIdParams,
      body: { required: true, content: { 'application/json': { schema: UpdateUserBody } } },
    },
    responses: {
      200: {
        description: 'the user after the change',
        content: { 'application/json': { schema: UserSchema } },
      },
      ...errorResponses(400, 401, 403, 404),
    },
  });

  return app
    .openapi(list, async (c) => c.json({ items: await listUsers(deps.db) }, 200))
    .openapi(create, async (c) => {
      const body = c.req.valid('json');
      const who = actor(c);
      const user = await createUser(deps.db, who, {
        login: body.login,
        passwordHash: await hashPassword(body.password),
        role: body.role,
        displayName: body.displayName ?? '',
        serverId: body.serverId ?? who.user.serverId,
        endpoint: body.endpoint ?? null,
        queues: body.queues ?? [],
        // The administrator chose this password: the user replaces it at the first sign-in.
        mustChangePassword: true,
      });
      return c.json(user, 201);
    })
    .openapi(patch, async (c) => {
      const { id } = c.req.valid('param');
      const { password, ...rest } = c.req.valid('json');
      const user = await updateUser(deps.db, actor(c), id, {
        ...rest,
        ...(password !== undefined && { passwordHash: await hashPassword(password) }),
      });
      return c.json(user, 200);
    });
}
