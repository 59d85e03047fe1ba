import { z } from '@hono/zod-openapi';
import { ROLES } from '../../auth/auth-user.ts';
import { NewPassword } from '../users/user-schemas.ts';

/** Request and response shapes of /auth/*, shared by validation and the OpenAPI document. */

/** Name of the httpOnly cookie holding the refresh token (sent only to /auth/*). */
export const REFRESH_COOKIE = 'cc_refresh';

/** POST /auth/login body. Unknown fields are refused (400), not ignored. */
export const LoginRequest = z
  .strictObject({
    login: z.string().trim().min(1).max(200).openapi({ example: 'alice' }),
    password: z.string().min(1).max(1024).openapi({ example: 'correct horse battery staple' }),
  })
  .openapi('LoginRequest');

/**
 * The signed-in user: id, login, role, display name, phone endpoint (operators) and the queues a
 * supervisor may see.
 */
export const SessionUser = z
  .object({
    id: z.number().int(),
    login: z.string(),
    role: z.enum(ROLES),
    displayName: z.string(),
    endpoint: z.string().nullable().openapi({ description: "the operator's phone endpoint, e.g. 101" }),
    queues: z.array(z.string()).openapi({ description: 'queues a supervisor may see' }),
    mustChangePassword: z.boolean().openapi({
      description:
        'the user must choose a new password (PUT /me/password) before anything else; every other route answers 403 password_change_required',
    }),
  })
  .openapi('SessionUser');

/** PUT /me/password body: the password in use and the new one (8+ characters, at most 72 bytes). */
export const PasswordChangeRequest = z
  .strictObject({
    currentPassword: z.string().min(1).max(1024),
    newPassword: NewPassword,
  })
  .refine((b) => b.newPassword !== b.currentPassword, {
    message: 'the new password must differ from the current one',
    path: ['newPassword'],
  })
  .openapi('PasswordChangeRequest');

/** The answer to a login or a refresh: a bearer token for `Authorization` and who it is for. */
export const Session = z
  .object({
    accessToken: z.string().openapi({ description: 'JWT (HS256); send as Authorization: Bearer …' }),
    user: SessionUser,
  })
  .openapi('Session');

/** The API's one error body (errors/api-error.ts). */
export const ErrorResponse = z.object({
  error: z.string().openapi({ example: 'unauthorized' }),
  message: z.string(),
  details: z.unknown().optional(),
});

/** The refresh-token cookie the auth routes read (httpOnly, set by login and refresh). */
export const RefreshCookie = z.object({
  [REFRESH_COOKIE]: z
    .string()
    .optional()
    .openapi({ description: 'refresh token, set by /auth/login and /auth/refresh (httpOnly)' }),
});

/** An OpenAPI response entry with the API's error body and the given description. */
export const errorContent = (description: string) => ({
  description,
  content: { 'application/json': { schema: ErrorResponse } },
});
