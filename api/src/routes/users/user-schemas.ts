import { z } from '@hono/zod-openapi';
import { ROLES } from '../../auth/auth-user.ts';
import { MAX_PASSWORD_BYTES, passwordTooLong } from '../../auth/password-hash.ts';
import { displayText, idParam } from '../dictionaries/route-schemas.ts';

/**
 * Request and response shapes of /users (the same rules as `callcenter user add`): strict bodies,
 * so an unknown field is a 400.
 */

/** Shortest password accepted from an admin. */
export const MIN_PASSWORD_LENGTH = 8;

const login = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9._@-]{1,64}$/, '1-64 letters, digits, . _ @ -')
  .openapi({ example: 'op101' });

/** A new password: at least 8 characters, at most bcrypt's 72 bytes (POST /users, PUT /me/password). */
export const NewPassword = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`)
  .refine((p) => !passwordTooLong(p), `at most ${MAX_PASSWORD_BYTES} bytes (bcrypt reads no more)`)
  .openapi({ example: 'correct horse battery' });

const endpoint = z
  .string()
  .trim()
  .regex(/^[^\s/,]{1,64}$/, '1-64 characters without spaces, / or ,')
  .nullable()
  .openapi({ description: "the operator's phone endpoint, e.g. 101", example: '101' });

const queues = z
  .array(
    z
      .string()
      .trim()
      .regex(/^[^\s,]{1,128}$/, '1-128 characters without spaces or commas'),
  )
  .max(200)
  .openapi({ description: 'queues a supervisor sees', example: ['support'] });

const serverId = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'an Asterisk server id')
  .openapi({ description: "default: the admin's own server", example: 'pbx1' });

/** `/users/{id}` path: a positive integer id. */
export const UserIdParams = z.object({ id: idParam('user') });

/**
 * One user as admins see it: login, role, display name, server, phone endpoint, a supervisor's
 * queues and whether the account is active (never the password hash).
 */
export const UserSchema = z
  .object({
    id: z.number().int(),
    login: z.string(),
    role: z.enum(ROLES),
    displayName: z.string(),
    serverId: z.string(),
    endpoint: z.string().nullable(),
    queues: z.array(z.string()),
    active: z.boolean(),
  })
  .openapi('User');

/** `GET /users`. */
export const UserListSchema = z.object({ items: z.array(UserSchema) }).openapi('UserList');

/** A supervisor is the only role with queues. */
const queuesOnlyForSupervisors = (body: { role?: string; queues?: string[] }) =>
  body.role === undefined || body.role === 'supervisor' || (body.queues ?? []).length === 0;

/**
 * `POST /users` body: login, password (at least 8 characters, at most bcrypt's 72 bytes), role,
 * and optionally endpoint, queues (supervisors only), display name and server.
 */
export const CreateUserBody = z
  .strictObject({
    login,
    password: NewPassword,
    role: z.enum(ROLES),
    endpoint: endpoint.optional(),
    queues: queues.optional(),
    displayName: displayText.optional(),
    serverId: serverId.optional(),
  })
  .refine(queuesOnlyForSupervisors, { message: 'queues apply to supervisors only', path: ['queues'] })
  // A user who could do nothing is refused (docs/roles.md): an operator works calls of a phone,
  // a supervisor sees the calls of queues.
  .refine((body) => body.role !== 'operator' || !!body.endpoint, {
    message: 'an operator needs a phone endpoint: they see and work the calls of that phone',
    path: ['endpoint'],
  })
  .refine((body) => body.role !== 'supervisor' || (body.queues ?? []).length > 0, {
    message: 'a supervisor needs at least one queue: they see the calls and reports of their queues',
    path: ['queues'],
  })
  .openapi('CreateUser');

/**
 * `PATCH /users/{id}` body: at least one of role, endpoint, queues (supervisors only), display
 * name, active, password.
 */
export const UpdateUserBody = z
  .strictObject({
    role: z.enum(ROLES).optional(),
    endpoint: endpoint.optional(),
    queues: queues.optional(),
    displayName: displayText.optional(),
    active: z.boolean().optional(),
    password: NewPassword.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'send at least one field to change' })
  .refine(queuesOnlyForSupervisors, { message: 'queues apply to supervisors only', path: ['queues'] })
  .openapi('UpdateUser');
