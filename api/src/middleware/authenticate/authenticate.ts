import type { MiddlewareHandler } from 'hono';
import { verifyAccessToken } from '../../auth/access-token.ts';
import type { AuthUser } from '../../auth/auth-user.ts';
import { ApiError, unauthorized } from '../../errors/api-error.ts';

/** Variables the API's middleware puts on the context. */
export interface ApiVariables {
  user: AuthUser;
}

/**
 * Requires `Authorization: Bearer <access token>` and puts the user on the context; 401 with the
 * API's error body otherwise. `EventSource` cannot send headers, so `?access_token=` is accepted
 * where a route opts in (live events).
 *
 * A user who must change the password (docs/roles.md#sign-in) gets 403 `password_change_required`
 * everywhere but on a route that opts in with `allowPasswordChange` (PUT /me/password).
 */
export function authenticate(options: {
  secret: string;
  allowQueryToken?: boolean;
  allowPasswordChange?: boolean;
}): MiddlewareHandler<{ Variables: ApiVariables }> {
  return async function authenticateRequest(c, next) {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const token = match?.[1] ?? (options.allowQueryToken ? c.req.query('access_token') : undefined);
    if (!token) throw unauthorized('send Authorization: Bearer <access token> (POST /auth/login)');
    let user: AuthUser;
    try {
      user = await verifyAccessToken(token, options.secret);
    } catch {
      throw unauthorized('the access token is invalid or expired; refresh it (POST /auth/refresh)');
    }
    if (user.mustChangePassword && !options.allowPasswordChange) {
      throw new ApiError(
        403,
        'password_change_required',
        'choose a new password first (PUT /me/password with currentPassword and newPassword)',
      );
    }
    c.set('user', user);
    await next();
  };
}
