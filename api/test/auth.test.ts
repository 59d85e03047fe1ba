import { OpenAPIHono } from '@hono/zod-openapi';
import bcrypt from 'bcryptjs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEnv } from '../src/app.ts';
import { verifyAccessToken } from '../src/auth/access-token.ts';
import { BCRYPT_COST, hashPassword, verifyPassword } from '../src/auth/password-hash.ts';
import { hashRefreshToken } from '../src/auth/refresh-tokens.ts';
import { type UserSpec, upsertUser } from '../src/auth/users-repository.ts';
import { errorHandler } from '../src/errors/error-handler.ts';
import { SlidingWindowLimiter } from '../src/middleware/rate-limit/sliding-window-limiter.ts';
import { authRoutes, BAD_CREDENTIALS } from '../src/routes/auth/auth-routes.ts';
import { REFRESH_COOKIE } from '../src/routes/auth/auth-schemas.ts';
import { type ApiTestKit, openApiTestKit } from './support/api-test-kit.ts';

/** Sign-in: login, refresh rotation and reuse detection, logout, audit rows, login rate limits. */
let kit: ApiTestKit;
beforeAll(async () => {
  kit = await openApiTestKit();
});
afterAll(async () => {
  await kit?.dispose();
});

const db = () => kit.stores.postgres.db;

/** A user who can sign in (cost 4 keeps the tests quick; the cost is read from the hash). */
async function addUser(spec: Partial<UserSpec> & { login: string; password: string }): Promise<number> {
  const { id } = await upsertUser(db(), {
    role: 'operator',
    displayName: '',
    serverId: 'pbx1',
    endpoint: null,
    queues: [],
    ...spec,
    passwordHash: await hashPassword(spec.password, 4),
  });
  return id;
}

interface SetCookie {
  value: string;
  attributes: Map<string, string>;
}

/** The refresh cookie of a response's Set-Cookie headers, attribute names lower-cased. */
function refreshCookie(res: Response): SetCookie | undefined {
  for (const line of res.headers.getSetCookie()) {
    const [pair = '', ...attrs] = line.split(';').map((s) => s.trim());
    const eq = pair.indexOf('=');
    if (pair.slice(0, eq) !== REFRESH_COOKIE) continue;
    const attributes = new Map<string, string>();
    for (const attr of attrs) {
      const [name = '', value = ''] = attr.split('=');
      attributes.set(name.toLowerCase(), value);
    }
    return { value: pair.slice(eq + 1), attributes };
  }
  return undefined;
}

const login = (body: unknown, headers: Record<string, string> = {}) =>
  kit.request('/auth/login', { method: 'POST', json: body, headers });

const withCookie = (path: string, token: string) =>
  kit.request(path, { method: 'POST', headers: { cookie: `${REFRESH_COOKIE}=${token}` } });

async function signIn(loginName: string, password: string): Promise<{ access: string; refresh: string }> {
  const res = await login({ login: loginName, password });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { accessToken: string };
  return { access: body.accessToken, refresh: refreshCookie(res)!.value };
}

const count = async (table: 'app.audit_log' | 'app.refresh_tokens' | 'app.users') =>
  Number((await db().selectFrom(table).select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);

const auditRows = (loginName: string) =>
  db()
    .selectFrom('app.audit_log')
    .select(['user_id', 'login', 'action', 'ip', 'details'])
    .where(sql<string>`lower(login)`, '=', loginName.toLowerCase())
    .orderBy('id')
    .execute();

describe('password hashing', () => {
  it('uses bcrypt at cost 12 and refuses what bcrypt would truncate', async () => {
    const hash = await hashPassword('s3cret-pass');
    expect(bcrypt.getRounds(hash)).toBe(BCRYPT_COST);
    expect(BCRYPT_COST).toBe(12);
    expect(await verifyPassword('s3cret-pass', hash)).toBe(true);
    expect(await verifyPassword('s3cret-pasS', hash)).toBe(false);
    expect(await verifyPassword('s3cret-pass', 'not-a-hash')).toBe(false);
    expect(await verifyPassword('s3cret-pass', null)).toBe(false);
    await expect(hashPassword('x'.repeat(73))).rejects.toThrow(/72 bytes/);
    const long = 'y'.repeat(72);
    expect(await verifyPassword(`${long}extra`, await hashPassword(long, 4))).toBe(false);
  });
});

describe('POST /auth/login', () => {
  it('signs in: a valid access token, the user, and a hashed refresh token in a strict cookie', async () => {
    const id = await addUser({
      login: 'Alice',
      password: 'alice-pass-1',
      role: 'supervisor',
      displayName: 'Alice A.',
      queues: ['support', 'sales'],
    });
    const res = await login(
      { login: 'alice', password: 'alice-pass-1' },
      { 'x-forwarded-for': '203.0.113.7' },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { accessToken: string; user: unknown };
    expect(body.user).toEqual({
      id,
      login: 'Alice',
      role: 'supervisor',
      displayName: 'Alice A.',
      endpoint: null,
      queues: ['sales', 'support'],
      mustChangePassword: false,
    });
    expect(await verifyAccessToken(body.accessToken, kit.config.jwtSecret)).toEqual({
      id,
      login: 'Alice',
      role: 'supervisor',
      endpoint: null,
      serverId: 'pbx1',
      queues: ['sales', 'support'],
      mustChangePassword: false,
    });
    await expect(
      verifyAccessToken(body.accessToken, 'another-secret-of-sufficient-length-0123456789'),
    ).rejects.toThrow();

    const cookie = refreshCookie(res)!;
    expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cookie.attributes.get('path')).toBe('/auth');
    expect(cookie.attributes.has('httponly')).toBe(true);
    expect(cookie.attributes.get('samesite')).toBe('Strict');
    expect(cookie.attributes.get('max-age')).toBe(String(kit.config.refreshTokenTtlSec));
    expect(cookie.attributes.has('secure')).toBe(false);

    const stored = await db()
      .selectFrom('app.refresh_tokens')
      .select([
        'token_hash',
        'revoked_at',
        'ip',
        sql<number>`extract(epoch from expires_at - now())`.as('ttl'),
      ])
      .where('user_id', '=', id)
      .execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.token_hash).toBe(hashRefreshToken(cookie.value));
    expect(stored[0]!.token_hash).not.toContain(cookie.value);
    expect(stored[0]!.revoked_at).toBeNull();
    expect(stored[0]!.ip).toBe('203.0.113.7');
    expect(Number(stored[0]!.ttl)).toBeGreaterThan(kit.config.refreshTokenTtlSec - 60);

    expect(await auditRows('alice')).toEqual([
      { user_id: id, login: 'Alice', action: 'login', ip: '203.0.113.7', details: {} },
    ]);
  });

  it('marks the cookie Secure when the request came over https', async () => {
    await addUser({ login: 'secure-sam', password: 'sam-pass-123' });
    const direct = await kit.app.request('https://api.example/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'secure-sam', password: 'sam-pass-123' }),
    });
    expect(direct.status).toBe(200);
    expect(refreshCookie(direct)!.attributes.has('secure')).toBe(true);
    const proxied = await login(
      { login: 'secure-sam', password: 'sam-pass-123' },
      { 'x-forwarded-proto': 'https' },
    );
    expect(refreshCookie(proxied)!.attributes.has('secure')).toBe(true);
  });

  it('answers a wrong password, an unknown login and a deactivated user alike, and audits each', async () => {
    const id = await addUser({ login: 'bruno', password: 'bruno-pass-1' });
    const expected = { error: 'unauthorized', message: BAD_CREDENTIALS };

    const wrong = await login({ login: 'bruno', password: 'nope' }, { 'x-forwarded-for': '198.51.100.1' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual(expected);
    expect(refreshCookie(wrong)).toBeUndefined();

    const unknown = await login({ login: 'nobody-here', password: 'nope' });
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toEqual(expected);

    await db().updateTable('app.users').set({ active: false }).where('id', '=', id).execute();
    const inactive = await login({ login: 'bruno', password: 'bruno-pass-1' });
    expect(inactive.status).toBe(401);
    expect(await inactive.json()).toEqual(expected);
    await db().updateTable('app.users').set({ active: true }).where('id', '=', id).execute();

    expect(await auditRows('bruno')).toEqual([
      {
        user_id: id,
        login: 'bruno',
        action: 'login_failed',
        ip: '198.51.100.1',
        details: { reason: 'wrong_password' },
      },
      { user_id: id, login: 'bruno', action: 'login_failed', ip: null, details: { reason: 'inactive' } },
    ]);
    expect(await auditRows('nobody-here')).toEqual([
      {
        user_id: null,
        login: 'nobody-here',
        action: 'login_failed',
        ip: null,
        details: { reason: 'unknown_login' },
      },
    ]);
    expect(
      await db().selectFrom('app.refresh_tokens').select('id').where('user_id', '=', id).execute(),
    ).toEqual([]);
  });

  it.each([
    [
      'an unknown field',
      JSON.stringify({ login: 'alice', password: 'alice-pass-1', admin: true }),
      'validation_failed',
    ],
    ['a wrong type', JSON.stringify({ login: 42, password: 'alice-pass-1' }), 'validation_failed'],
    ['a missing field', JSON.stringify({ login: 'alice' }), 'validation_failed'],
    ['an empty password', JSON.stringify({ login: 'alice', password: '' }), 'validation_failed'],
    ['an array', JSON.stringify([{ login: 'alice', password: 'alice-pass-1' }]), 'validation_failed'],
    ['malformed JSON', '{"login": "alice", "password": ', 'bad_request'],
    ['an empty body', '', 'bad_request'],
  ])('refuses %s with 400 and changes nothing', async (_, body, code) => {
    const before = [await count('app.audit_log'), await count('app.refresh_tokens')];
    const res = await kit.app.request('/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(400);
    const error = (await res.json()) as { error: string; message: string };
    expect(error.error).toBe(code);
    expect(typeof error.message).toBe('string');
    expect(refreshCookie(res)).toBeUndefined();
    expect([await count('app.audit_log'), await count('app.refresh_tokens')]).toEqual(before);
  });

  it('refuses a missing body with 400 and a non-JSON body with 415', async () => {
    const before = await count('app.audit_log');
    const missing = await kit.app.request('/auth/login', { method: 'POST' });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: string }).error).toBe('validation_failed');
    const text = await kit.app.request('/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'login=alice&password=x',
    });
    expect(text.status).toBe(415);
    expect(((await text.json()) as { error: string }).error).toBe('unsupported_media_type');
    expect(await count('app.audit_log')).toBe(before);
  });
});

describe('POST /auth/refresh and /auth/logout', () => {
  it('rotates the refresh token and reads the current role and queues', async () => {
    const id = await addUser({
      login: 'rita',
      password: 'rita-pass-1',
      role: 'supervisor',
      queues: ['sales'],
    });
    const first = await signIn('rita', 'rita-pass-1');

    await upsertUser(db(), {
      login: 'rita',
      passwordHash: (
        await db()
          .selectFrom('app.users')
          .select('password_hash')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).password_hash,
      role: 'supervisor',
      displayName: 'Rita',
      serverId: 'pbx1',
      endpoint: null,
      queues: ['sales', 'vip'],
    });
    const res = await withCookie('/auth/refresh', first.refresh);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      accessToken: string;
      user: { queues: string[]; displayName: string };
    };
    expect(body.user.queues).toEqual(['sales', 'vip']);
    expect(body.user.displayName).toBe('Rita');
    expect((await verifyAccessToken(body.accessToken, kit.config.jwtSecret)).queues).toEqual([
      'sales',
      'vip',
    ]);
    const next = refreshCookie(res)!;
    expect(next.value).not.toBe(first.refresh);
    expect(next.attributes.get('path')).toBe('/auth');
    expect(next.attributes.has('httponly')).toBe(true);
    expect(next.attributes.get('samesite')).toBe('Strict');

    const rows = await db()
      .selectFrom('app.refresh_tokens')
      .select(['token_hash', 'revoked_at'])
      .where('user_id', '=', id)
      .orderBy('id')
      .execute();
    expect(rows.map((r) => [r.token_hash, r.revoked_at === null])).toEqual([
      [hashRefreshToken(first.refresh), false],
      [hashRefreshToken(next.value), true],
    ]);

    // The next rotation works from the new token.
    const again = await withCookie('/auth/refresh', next.value);
    expect(again.status).toBe(200);
  });

  it('treats a rotated token presented again as theft: every session of the user ends', async () => {
    const id = await addUser({ login: 'theo', password: 'theo-pass-1' });
    const laptop = await signIn('theo', 'theo-pass-1');
    const phone = await signIn('theo', 'theo-pass-1');
    const rotated = await withCookie('/auth/refresh', laptop.refresh);
    expect(rotated.status).toBe(200);
    const current = refreshCookie(rotated)!.value;

    const replay = await withCookie('/auth/refresh', laptop.refresh);
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { error: string }).error).toBe('unauthorized');
    expect(refreshCookie(replay)!.attributes.get('max-age')).toBe('0');

    expect((await withCookie('/auth/refresh', current)).status).toBe(401);
    expect((await withCookie('/auth/refresh', phone.refresh)).status).toBe(401);
    const live = await db()
      .selectFrom('app.refresh_tokens')
      .select('id')
      .where('user_id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
    expect(live).toEqual([]);
    expect((await auditRows('theo')).map((r) => r.action)).toContain('refresh_reuse');
    // Signing in again is still possible.
    await signIn('theo', 'theo-pass-1');
  });

  it('refuses a missing, unknown or expired refresh token, and a deactivated user', async () => {
    const missing = await kit.request('/auth/refresh', { method: 'POST' });
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: string }).error).toBe('unauthorized');
    expect((await withCookie('/auth/refresh', 'made-up-token')).status).toBe(401);

    const id = await addUser({ login: 'erin', password: 'erin-pass-1' });
    const expiring = await signIn('erin', 'erin-pass-1');
    const other = await signIn('erin', 'erin-pass-1');
    await db()
      .updateTable('app.refresh_tokens')
      .set({ expires_at: sql<Date>`now() - interval '1 second'` })
      .where('token_hash', '=', hashRefreshToken(expiring.refresh))
      .execute();
    expect((await withCookie('/auth/refresh', expiring.refresh)).status).toBe(401);
    // An expired token is no theft alarm: the other session lives on.
    expect((await withCookie('/auth/refresh', expiring.refresh)).status).toBe(401);
    const rotated = await withCookie('/auth/refresh', other.refresh);
    expect(rotated.status).toBe(200);

    await db().updateTable('app.users').set({ active: false }).where('id', '=', id).execute();
    expect((await withCookie('/auth/refresh', refreshCookie(rotated)!.value)).status).toBe(401);
  });

  it('logs out: revokes the token, clears the cookie, audits', async () => {
    const id = await addUser({ login: 'lou', password: 'lou-pass-12' });
    const session = await signIn('lou', 'lou-pass-12');
    const res = await withCookie('/auth/logout', session.refresh);
    expect(res.status).toBe(204);
    const cleared = refreshCookie(res)!;
    expect(cleared.value).toBe('');
    expect(cleared.attributes.get('max-age')).toBe('0');
    expect(cleared.attributes.get('path')).toBe('/auth');
    const row = await db()
      .selectFrom('app.refresh_tokens')
      .select('revoked_at')
      .where('token_hash', '=', hashRefreshToken(session.refresh))
      .executeTakeFirstOrThrow();
    expect(row.revoked_at).toBeInstanceOf(Date);
    expect((await auditRows('lou')).map((r) => [r.action, r.user_id])).toEqual([
      ['login', id],
      ['logout', id],
    ]);
    // A signed-out token presented again is treated like any revoked one: a theft alarm.
    expect((await withCookie('/auth/refresh', session.refresh)).status).toBe(401);
    expect((await auditRows('lou')).map((r) => r.action)).toEqual(['login', 'logout', 'refresh_reuse']);
    expect((await kit.request('/auth/logout', { method: 'POST' })).status).toBe(204);
  });
});

describe('login rate limits', () => {
  it('answers 429 with Retry-After after 5 failures for a login, even to the right password', async () => {
    await addUser({ login: 'mallory-target', password: 'target-pass-1' });
    for (let i = 0; i < 5; i++) {
      expect((await login({ login: 'mallory-target', password: `guess-${i}` })).status).toBe(401);
    }
    const before = await count('app.audit_log');
    const res = await login({ login: 'MALLORY-TARGET', password: 'target-pass-1' });
    expect(res.status).toBe(429);
    const body = (await res.json()) as { error: string; message: string; details: { retryAfterSec: number } };
    const wait = body.details.retryAfterSec;
    expect(wait).toBeGreaterThan(800);
    expect(wait).toBeLessThanOrEqual(900);
    // People are told minutes, not "897 s".
    expect(body).toEqual({
      error: 'rate_limited',
      message: 'too many failed sign-in attempts; try again in 15 min',
      details: { retryAfterSec: wait, retryAfterMin: 15 },
    });
    expect(res.headers.get('retry-after')).toBe(String(wait));
    expect(await count('app.audit_log')).toBe(before);
    // Other logins from the same client are not affected.
    await addUser({ login: 'bystander', password: 'bystander-1' });
    expect((await login({ login: 'bystander', password: 'bystander-1' })).status).toBe(200);
  });

  it('clears a login’s failures when it signs in', async () => {
    await addUser({ login: 'forgetful', password: 'forgetful-1' });
    for (let i = 0; i < 4; i++) expect((await login({ login: 'forgetful', password: 'x' })).status).toBe(401);
    expect((await login({ login: 'forgetful', password: 'forgetful-1' })).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await login({ login: 'forgetful', password: 'x' })).status).toBe(401);
    expect((await login({ login: 'forgetful', password: 'forgetful-1' })).status).toBe(200);
  });

  it('counts failures per IP, never successes, and forgets them after the window (injected limits and clock)', async () => {
    let now = 1_000_000;
    const app = new OpenAPIHono<ApiEnv>();
    app.onError(errorHandler(() => {}));
    app.route(
      '/',
      authRoutes(
        { db: db(), pool: kit.stores.postgres.pool, clickhouse: null, config: kit.config },
        { limits: { failuresPerIp: 3, failuresPerLogin: 100, windowSec: 60 }, now: () => now },
      ),
    );
    await addUser({ login: 'ivy', password: 'ivy-pass-12' });
    const attempt = (ip: string, password = 'wrong') =>
      app.request('/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.9.9.9, ${ip}` },
        body: JSON.stringify({ login: 'ivy', password }),
      });
    // A clinic behind one NAT address: many people signing in successfully lock out no one.
    for (let i = 0; i < 10; i++) expect((await attempt('192.0.2.1', 'ivy-pass-12')).status).toBe(200);
    expect((await attempt('192.0.2.1')).status).toBe(401);
    now += 10_000;
    expect((await attempt('192.0.2.1')).status).toBe(401);
    expect((await attempt('192.0.2.1', 'ivy-pass-12')).status).toBe(200);
    expect((await attempt('192.0.2.1')).status).toBe(401);
    const limited = await attempt('192.0.2.1', 'ivy-pass-12');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('50');
    expect(((await limited.json()) as { details: unknown }).details).toEqual({
      retryAfterSec: 50,
      retryAfterMin: 1,
    });
    expect((await attempt('192.0.2.2')).status).toBe(401);
    now += 50_000;
    expect((await attempt('192.0.2.1', 'ivy-pass-12')).status).toBe(200);
  });

  it('SlidingWindowLimiter: counts per key in a sliding window and bounds its keys', () => {
    let now = 0;
    const limiter = new SlidingWindowLimiter({ limit: 2, windowMs: 1000, maxKeys: 3, now: () => now });
    limiter.hit('a');
    now = 400;
    limiter.hit('a');
    expect(limiter.retryAfterMs('a')).toBe(600);
    expect(limiter.retryAfterMs('b')).toBe(0);
    now = 1000;
    expect(limiter.retryAfterMs('a')).toBe(0);
    limiter.hit('a');
    expect(limiter.retryAfterMs('a')).toBe(400);
    limiter.reset('a');
    expect(limiter.retryAfterMs('a')).toBe(0);
    for (const key of ['k1', 'k2', 'k3', 'k4', 'k5']) limiter.hit(key);
    expect(limiter.size).toBe(3);
    expect(() => new SlidingWindowLimiter({ limit: 0, windowMs: 1 })).toThrow(RangeError);
  });
});

describe('OpenAPI', () => {
  it('documents the auth routes', async () => {
    const doc = (await (await kit.request('/openapi.json')).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    expect(Object.keys(doc.paths['/auth/login']!.post!.responses).sort()).toEqual([
      '200',
      '400',
      '401',
      '415',
      '429',
    ]);
    expect(doc.paths['/auth/refresh']?.post).toBeDefined();
    expect(doc.paths['/auth/logout']?.post).toBeDefined();
  });
});
