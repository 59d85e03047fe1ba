import type { MiddlewareHandler } from 'hono';
import type { Role } from '../../auth/auth-user.ts';
import { forbidden } from '../../errors/api-error.ts';
import type { ApiVariables } from '../authenticate/authenticate.ts';

/** Allows only the given roles (after `authenticate`); 403 with the API's error body otherwise. */
export function requireRole(...roles: Role[]): MiddlewareHandler<{ Variables: ApiVariables }> {
  return async function requireRoleOf(c, next) {
    const user = c.get('user');
    if (!user || !roles.includes(user.role)) throw forbidden(`this needs the role ${roles.join(' or ')}`);
    await next();
  };
}
