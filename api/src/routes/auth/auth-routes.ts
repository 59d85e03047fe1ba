import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { sql } from 'kysely';
import type { ApiDeps, ApiEnv } from '../../api-deps.ts';
import { audit } from '../../audit/audit-log.ts';
import { signAccessToken } from '../../auth/access-token.ts';
import { hashPassword, verifyPassword } from '../../auth/password-hash.ts';
import {
  deleteExpiredRefreshTokens,
  issueRefreshToken,
  revokeAllRefreshTokens,
  revokeRefreshToken,
  rotateRefreshToken,
} from '../../auth/refresh-tokens.ts';
import { clientIp, isHttps, userAgent } from '../../auth/request-origin.ts';
import { findUserById, findUserByLogin, toAuthUser, type UserRecord } from '../../auth/users-repository.ts';
import { ApiError, unauthorized } from '../../errors/api-error.ts';
import { authenticate } from '../../middleware/authenticate/authenticate.ts';
import { LoginRateLimiter, type LoginRateLimits } from '../../middleware/rate-limit/login-rate-limit.ts';
import {
  errorContent,
  LoginRequest,
  PasswordChangeRequest,
  REFRESH_COOKIE,
  RefreshCookie,
  Session,
} from './auth-schemas.ts';

/**
 * Sign-in (docs/roles.md): POST /auth/login trades a login and password for a short-lived
 * access token (body) and a refresh token (httpOnly, SameSite=Strict cookie scoped to /auth);
 * POST /auth/refresh rotates the refresh token and issues a new access token from the user's
 * current row; POST /auth/logout revokes it. Login outcomes go to app.audit_log; failed login attempts
 * are rate-limited per login and per IP in this process's memory.
 */
export interface AuthRoutesOptions {
  /** Overrides of the login limits (default 5 failures per login, 20 failures per IP, 15 min). */
  limits?: Partial<LoginRateLimits>;
  /** Clock of the rate limiter, epoch milliseconds (tests). */
  now?: () => number;
}

/** Same answer for an unknown login, a wrong password and a deactivated user: no enumeration. */
export const BAD_CREDENTIALS = 'wrong login or password';

const SESSION_ENDED = 'the session has expired or was ended; sign in again (POST /auth/login)';

const sessionResponse = {
  description: 'signed in: an access token and who it is for; the refresh token is in Set-Cookie',
  headers: {
    'Set-Cookie': {
      description: `${REFRESH_COOKIE}=…; Path=/auth; HttpOnly; SameSite=Strict; Max-Age=… (Secure over https)`,
      schema: { type: 'string' as const },
    },
  },
  content: { 'application/json': { schema: Session } },
};

const loginRoute = createRoute({
  method: 'post',
  path: '/auth/login',
  tags: ['auth'],
  summary: 'Sign in with a login and password',
  request: {
    body: { required: true, content: { 'application/json': { schema: LoginRequest } } },
  },
  responses: {
    200: sessionResponse,
    400: errorContent('the body is not valid JSON or not {login, password} (unknown fields are refused)'),
    401: errorContent('wrong login or password, or the user is deactivated (one message for all)'),
    415: errorContent('the body is not application/json'),
    429: {
      ...errorContent('too many attempts for this login or from this address; see Retry-After'),
      headers: { 'Retry-After': { description: 'seconds to wait', schema: { type: 'integer' as const } } },
    },
  },
});

const refreshRoute = createRoute({
  method: 'post',
  path: '/auth/refresh',
  tags: ['auth'],
  summary: 'Trade the refresh cookie for a new access token and a new refresh cookie',
  description:
    'The presented refresh token is revoked. Presenting a revoked one again ends every session of the user.',
  request: { cookies: RefreshCookie },
  responses: {
    200: sessionResponse,
    401: errorContent('no refresh cookie, or it is unknown, expired, revoked or its user deactivated'),
  },
});

const logoutRoute = createRoute({
  method: 'post',
  path: '/auth/logout',
  tags: ['auth'],
  summary: 'Revoke the refresh cookie and clear it',
  request: { cookies: RefreshCookie },
  responses: { 204: { description: 'signed out (also when there was no session)' } },
});

const passwordRoute = createRoute({
  method: 'put',
  path: '/me/password',
  tags: ['auth'],
  security: [{ bearer: [] }],
  summary: 'Choose a new password (required after an administrator set one, and for the demo users)',
  description:
    'Checks the current password, stores the new one (bcrypt), clears the forced change, ends every other session of the user and answers a new session (the refresh cookie is replaced). The one route open to a user who must change the password.',
  request: {
    body: { required: true, content: { 'application/json': { schema: PasswordChangeRequest } } },
  },
  responses: {
    200: sessionResponse,
    400: errorContent(
      '`wrong_current_password`: the current password is not right; `validation_failed`: the new one is too short, too long or the same',
    ),
    401: errorContent('no or an invalid access token'),
  },
});

/**
 * The session routes (docs/roles.md): `POST /auth/login` (rate-limited: failures per login, all
 * attempts per client address; 429 when over), `POST /auth/refresh` (rotates the httpOnly refresh
 * cookie; a reused token revokes the session), `POST /auth/logout` and `PUT /me/password` (a new
 * password; the only route open while the user must change it, docs/roles.md#sign-in). Login and refresh answer a
 * {@link Session}: a short-lived HS256 access token and the user.
 */
export function authRoutes(deps: ApiDeps, options: AuthRoutesOptions = {}) {
  const { db, config } = deps;
  const limiter = new LoginRateLimiter(options.limits, options.now);
  const app = new OpenAPIHono<ApiEnv>();

  const cookieOptions = (c: Context) =>
    ({ path: '/auth', httpOnly: true, sameSite: 'Strict', secure: isHttps(c) }) as const;

  const startSession = async (c: Context, user: UserRecord, refreshToken: string) => {
    setCookie(c, REFRESH_COOKIE, refreshToken, { ...cookieOptions(c), maxAge: config.refreshTokenTtlSec });
    c.header('Cache-Control', 'no-store');
    const authUser = toAuthUser(user);
    return {
      accessToken: await signAccessToken(authUser, config.jwtSecret, config.accessTokenTtlSec),
      user: {
        id: user.id,
        login: user.login,
        role: user.role,
        displayName: user.displayName,
        endpoint: user.endpoint,
        queues: user.queues,
        mustChangePassword: user.mustChangePassword ?? false,
      },
    };
  };

  const endSession = (c: Context) => deleteCookie(c, REFRESH_COOKIE, cookieOptions(c));
  app.use('/me/password', authenticate({ secret: config.jwtSecret, allowPasswordChange: true }));

  return app
    .openapi(loginRoute, async (c) => {
      const { login, password } = c.req.valid('json');
      const ip = clientIp(c);
      limiter.admit(login, ip, c);
      const user = await findUserByLogin(db, login);
      const passwordOk = await verifyPassword(password, user?.passwordHash ?? null);
      if (!user || !passwordOk || !user.active) {
        limiter.failed(login, ip);
        const reason = !user ? 'unknown_login' : !passwordOk ? 'wrong_password' : 'inactive';
        await audit(db, {
          action: 'login_failed',
          user: { id: user?.id ?? null, login: user?.login ?? login },
          ip,
          details: { reason },
        });
        throw unauthorized(BAD_CREDENTIALS);
      }
      limiter.succeeded(login);
      const issued = await db.transaction().execute(async (trx) => {
        await deleteExpiredRefreshTokens(trx, user.id);
        await audit(trx, { action: 'login', user: { id: user.id, login: user.login }, ip });
        return issueRefreshToken(trx, user.id, config.refreshTokenTtlSec, { ip, userAgent: userAgent(c) });
      });
      return c.json(await startSession(c, user, issued.token), 200);
    })
    .openapi(refreshRoute, async (c) => {
      const token = c.req.valid('cookie')[REFRESH_COOKIE];
      if (!token) throw unauthorized('no refresh token; sign in (POST /auth/login)');
      const ip = clientIp(c);
      const outcome = await rotateRefreshToken(db, token, config.refreshTokenTtlSec, {
        ip,
        userAgent: userAgent(c),
      });
      if (outcome.status === 'rotated') {
        return c.json(await startSession(c, outcome.user, outcome.next.token), 200);
      }
      if (outcome.status === 'reused') {
        const user = await findUserById(db, outcome.userId);
        await audit(db, {
          action: 'refresh_reuse',
          user: { id: outcome.userId, login: user?.login ?? `#${outcome.userId}` },
          ip,
          details: { revokedSessions: outcome.revoked },
        });
      }
      endSession(c);
      throw unauthorized(SESSION_ENDED);
    })
    .openapi(passwordRoute, async (c) => {
      const { currentPassword, newPassword } = c.req.valid('json');
      const ip = clientIp(c);
      const user = await findUserById(db, c.get('user').id);
      if (!user?.active) throw unauthorized(SESSION_ENDED);
      if (!(await verifyPassword(currentPassword, user.passwordHash))) {
        await audit(db, { action: 'password_change_failed', user: { id: user.id, login: user.login }, ip });
        // Its own code, so the page can say which field is wrong (docs/roles.md#sign-in).
        throw new ApiError(400, 'wrong_current_password', 'the current password is not right');
      }
      const passwordHash = await hashPassword(newPassword);
      const issued = await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('app.users')
          .set({ password_hash: passwordHash, must_change_password: false, updated_at: sql`now()` })
          .where('id', '=', user.id)
          .execute();
        const revoked = await revokeAllRefreshTokens(trx, user.id);
        await audit(trx, {
          action: 'password_change',
          user: { id: user.id, login: user.login },
          ip,
          details: { refreshTokensRevoked: revoked },
        });
        return issueRefreshToken(trx, user.id, config.refreshTokenTtlSec, { ip, userAgent: userAgent(c) });
      });
      return c.json(
        await startSession(c, { ...user, passwordHash, mustChangePassword: false }, issued.token),
        200,
      );
    })
    .openapi(logoutRoute, async (c) => {
      const token = c.req.valid('cookie')[REFRESH_COOKIE];
      const userId = token ? await revokeRefreshToken(db, token) : null;
      if (userId !== null) {
        const user = await findUserById(db, userId);
        await audit(db, {
          action: 'logout',
          user: { id: userId, login: user?.login ?? `#${userId}` },
          ip: clientIp(c),
        });
      }
      endSession(c);
      return c.body(null, 204);
    });
}
