import { type ApiTestKit, openApiTestKit } from '@callcenter/api/testing/kit';
import { REFRESH_COOKIE } from '@callcenter/api/user-admin';
import bcrypt from 'bcryptjs';
import { Command } from 'commander';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { userCommand } from '../src/commands/user-command.ts';

/**
 * `callcenter user add`, run in-process through commander against the kit's PostgreSQL
 * (DATABASE_URL), then signing in through the API with what it created.
 */
let kit: ApiTestKit;
const savedEnv = { DATABASE_URL: process.env.DATABASE_URL, DATA_DIR: process.env.DATA_DIR };

beforeAll(async () => {
  kit = await openApiTestKit();
  process.env.DATABASE_URL = kit.stores.postgres.url;
  process.env.DATA_DIR = kit.stores.config.dataDir;
});
afterAll(async () => {
  for (const [name, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await kit?.dispose();
});
afterEach(() => {
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

/** Runs `callcenter user add ARGS…`; returns what it printed and the exit code it set. */
async function userAdd(...args: string[]): Promise<{ out: string[]; err: string[]; exitCode: number }> {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: unknown) => void out.push(String(line)));
  vi.spyOn(console, 'error').mockImplementation((line: unknown) => void err.push(String(line)));
  const program = new Command('callcenter').exitOverride().addCommand(userCommand());
  process.exitCode = undefined;
  try {
    await program.parseAsync(['user', 'add', ...args], { from: 'user' });
  } finally {
    vi.restoreAllMocks();
  }
  const exitCode = typeof process.exitCode === 'number' ? process.exitCode : 0;
  process.exitCode = undefined;
  return { out, err, exitCode };
}

const login = (loginName: string, password: string) =>
  kit.request('/auth/login', { method: 'POST', json: { login: loginName, password } });

const userRow = (loginName: string) =>
  kit.stores.postgres.db
    .selectFrom('app.users')
    .selectAll()
    .where(sql<string>`lower(login)`, '=', loginName.toLowerCase())
    .executeTakeFirst();

const refreshCookieOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .find((c) => c.startsWith(`${REFRESH_COOKIE}=`))!
    .split(';')[0]!;

describe('callcenter user add', () => {
  it('creates a user who can then sign in, and updates it on a second run', async () => {
    const created = await userAdd(
      '--login',
      'Sup1',
      '--password',
      'sup-pass-123',
      '--role',
      'supervisor',
      '--queues',
      'sales, support,sales',
      '--server-id',
      'pbx1',
      '--name',
      'Sue Pervisor',
    );
    expect(created.exitCode).toBe(0);
    expect(created.out).toHaveLength(1);
    expect(created.out[0]).toMatch(/^created user Sup1 \(#\d+\): supervisor on pbx1, queues sales,support$/);
    const row = (await userRow('sup1'))!;
    expect(row).toMatchObject({
      login: 'Sup1',
      role: 'supervisor',
      display_name: 'Sue Pervisor',
      active: true,
    });
    expect(bcrypt.getRounds(row.password_hash)).toBe(12);

    const signedIn = await login('sup1', 'sup-pass-123');
    expect(signedIn.status).toBe(200);
    const session = (await signedIn.json()) as { user: unknown };
    expect(session.user).toEqual({
      id: row.id,
      login: 'Sup1',
      role: 'supervisor',
      displayName: 'Sue Pervisor',
      endpoint: null,
      queues: ['sales', 'support'],
      mustChangePassword: false,
    });
    const cookie = refreshCookieOf(signedIn);

    // Same password, new scope: the session survives and its next refresh carries the new scope.
    const rescoped = await userAdd(
      '--login',
      'sup1',
      '--password',
      'sup-pass-123',
      '--role',
      'supervisor',
      '--queues',
      'vip',
    );
    expect(rescoped.exitCode).toBe(0);
    expect(rescoped.out).toEqual([`updated user sup1 (#${row.id}): supervisor on pbx1, queues vip`]);
    const refreshed = await kit.request('/auth/refresh', { method: 'POST', headers: { cookie } });
    expect(refreshed.status).toBe(200);
    expect(
      ((await refreshed.json()) as { user: { queues: string[]; displayName: string } }).user,
    ).toMatchObject({
      queues: ['vip'],
      displayName: 'Sue Pervisor',
    });
    const nextCookie = refreshCookieOf(refreshed);

    // New password and role: the old password stops working and every session ends.
    const updated = await userAdd(
      '--login',
      'SUP1',
      '--password',
      'new-pass-456',
      '--role',
      'operator',
      '--endpoint',
      '102',
    );
    expect(updated.exitCode).toBe(0);
    expect(updated.out).toEqual([
      `updated user SUP1 (#${row.id}): operator on pbx1, endpoint 102; password changed, 1 session(s) signed out`,
    ]);
    expect(
      (await kit.request('/auth/refresh', { method: 'POST', headers: { cookie: nextCookie } })).status,
    ).toBe(401);
    expect((await login('sup1', 'sup-pass-123')).status).toBe(401);
    const again = await login('sup1', 'new-pass-456');
    expect(again.status).toBe(200);
    expect(((await again.json()) as { user: unknown }).user).toEqual({
      id: row.id,
      login: 'SUP1',
      role: 'operator',
      displayName: 'Sue Pervisor',
      endpoint: '102',
      queues: [],
      mustChangePassword: false,
    });
    const count = await kit.stores.postgres.db
      .selectFrom('app.users')
      .select(sql<string>`count(*)`.as('n'))
      .where(sql<string>`lower(login)`, '=', 'sup1')
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it('creates an admin with the acceptance form of the command', async () => {
    const res = await userAdd('--login', 'admin', '--password', 'admin-pass-1', '--role', 'admin');
    expect(res).toMatchObject({ exitCode: 0, err: [] });
    expect(res.out[0]).toMatch(/^created user admin \(#\d+\): admin on pbx1, all calls$/);
    expect((await login('admin', 'admin-pass-1')).status).toBe(200);
  });

  it('asks for a new password at the first sign-in only with --must-change-password (docs/roles.md#sign-in)', async () => {
    const res = await userAdd(
      '--login',
      'op-temp',
      '--password',
      'temp-pass-1',
      '--role',
      'operator',
      '--endpoint',
      '103',
      '--must-change-password',
    );
    expect(res.exitCode).toBe(0);
    expect(res.out[0]).toMatch(/; a new password is chosen at the first sign-in$/);
    const first = (await (await login('op-temp', 'temp-pass-1')).json()) as {
      user: { mustChangePassword: boolean };
    };
    expect(first.user.mustChangePassword).toBe(true);
    // A console run without the flag is the administrator's decision: the password is kept as is.
    await userAdd(
      '--login',
      'op-temp',
      '--password',
      'temp-pass-2',
      '--role',
      'operator',
      '--endpoint',
      '103',
    );
    const again = (await (await login('op-temp', 'temp-pass-2')).json()) as {
      user: { mustChangePassword: boolean };
    };
    expect(again.user.mustChangePassword).toBe(false);
  });

  it('warns about an operator without an endpoint and a supervisor without queues, but creates them', async () => {
    const op = await userAdd('--login', 'op-noend', '--password', 'op-pass-123', '--role', 'operator');
    expect(op.exitCode).toBe(0);
    expect(op.err.join('\n')).toMatch(/warning: operator op-noend has no --endpoint/);
    expect(op.out[0]).toMatch(/endpoint \(none\)$/);
    const sup = await userAdd('--login', 'sup-noq', '--password', 'sup-pass-123', '--role', 'supervisor');
    expect(sup.exitCode).toBe(0);
    expect(sup.err.join('\n')).toMatch(/warning: supervisor sup-noq has no --queues/);
    expect(await userRow('op-noend')).toBeDefined();
    expect(await userRow('sup-noq')).toBeDefined();
  });

  it.each([
    [['--role', 'root'], /--role must be one of operator, supervisor, admin/],
    [['--role', 'operator', '--queues', 'sales'], /--queues applies to supervisors only/],
    [['--role', 'admin', '--server-id', 'pbx9'], /unknown --server-id "pbx9"; configured: pbx1/],
    [['--role', 'admin', '--login', 'has space'], /--login "has space" must be/],
    [['--role', 'admin', '--password', 'p'.repeat(73)], /longer than 72 bytes/],
    [['--role', 'operator', '--endpoint', 'PJSIP/101'], /--endpoint "PJSIP\/101"/],
  ])('refuses %j with exit code 2 and writes nothing', async (args, message) => {
    const base = { '--login': 'refused-user', '--password': 'refused-pass-1' };
    const flags = [...args];
    for (const [flag, value] of Object.entries(base)) if (!flags.includes(flag)) flags.push(flag, value);
    const res = await userAdd(...flags);
    expect(res.exitCode).toBe(2);
    expect(res.out).toEqual([]);
    expect(res.err.join('\n')).toMatch(message);
    expect(await userRow('refused-user')).toBeUndefined();
    expect(await userRow('has space')).toBeUndefined();
  });
});
