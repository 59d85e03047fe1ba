import { sign, verify } from 'hono/jwt';
import { type AuthUser, ROLES, type Role } from './auth-user.ts';

/**
 * Short-lived access tokens: JWT signed with HS256 — named explicitly on both sides, as hono/jwt
 * requires (docs/architecture.md#known-sharp-edges). Claims carry what role checks need, so routes do not
 * read the users table on every request; a role or scope change takes effect at the next refresh.
 */
export const ACCESS_TOKEN_ALG = 'HS256';

interface Claims {
  sub: string;
  login: string;
  role: Role;
  endpoint: string | null;
  server: string;
  queues: string[];
  /** Present (true) only while the user must change the password. */
  pwc?: true;
  iat: number;
  exp: number;
}

/** Signs a token valid for `ttlSec` seconds from `nowSec` (UTC epoch seconds). */
export function signAccessToken(
  user: AuthUser,
  secret: string,
  ttlSec: number,
  nowSec = Math.floor(Date.now() / 1000),
) {
  const claims: Claims = {
    sub: String(user.id),
    login: user.login,
    role: user.role,
    endpoint: user.endpoint,
    server: user.serverId,
    queues: user.queues,
    ...(user.mustChangePassword ? { pwc: true as const } : {}),
    iat: nowSec,
    exp: nowSec + ttlSec,
  };
  return sign({ ...claims }, secret, ACCESS_TOKEN_ALG);
}

/** Verifies a token; throws (hono/jwt's errors) when it is invalid or expired. */
export async function verifyAccessToken(token: string, secret: string): Promise<AuthUser> {
  const claims = (await verify(token, secret, ACCESS_TOKEN_ALG)) as unknown as Claims;
  if (!ROLES.includes(claims.role)) throw new Error('unknown role in token');
  return {
    id: Number(claims.sub),
    login: claims.login,
    role: claims.role,
    endpoint: claims.endpoint ?? null,
    serverId: claims.server,
    queues: Array.isArray(claims.queues) ? claims.queues : [],
    mustChangePassword: claims.pwc === true,
  };
}
