import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAccessToken } from '../src/auth/access-token.ts';
import { DEMO_USERS, demoPassword, ensureDemoUsers } from '../src/auth/demo-users.ts';
import { findUserByLogin } from '../src/auth/users-repository.ts';
import { type ApiTestKit, openApiTestKit } from './support/api-test-kit.ts';

/** Demo users of the embedded defaults: created once on an empty table, passwords printed once. */
let kit: ApiTestKit;
beforeAll(async () => {
  kit = await openApiTestKit();
});
afterAll(async () => {
  await kit?.dispose();
});

const db = () => kit.stores.postgres.db;
const userCount = async () =>
  Number(
    (await db().selectFrom('app.users').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n,
  );

/** The login → password pairs of the printed lines. */
function printedPasswords(lines: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of lines) {
    const match = /login (\S+)\s+password (\S+)/.exec(line);
    if (match) out.set(match[1]!, match[2]!);
  }
  return out;
}

describe('ensureDemoUsers', () => {
  it('makes 12-character base64url passwords', () => {
    const passwords = new Set(Array.from({ length: 50 }, demoPassword));
    expect(passwords.size).toBe(50);
    for (const p of passwords) expect(p).toMatch(/^[A-Za-z0-9_-]{12}$/);
  });

  it('creates the demo users once, prints their passwords, and they sign in', async () => {
    expect(await userCount()).toBe(0);
    const lines: string[] = [];
    const created = await ensureDemoUsers(db(), (line) => lines.push(line), { cost: 4 });
    expect(created.map((u) => u.login)).toEqual([
      'admin',
      'supervisor',
      'operator101',
      'operator102',
      'operator103',
    ]);
    expect(await userCount()).toBe(DEMO_USERS.length);

    const printed = printedPasswords(lines);
    expect([...printed.keys()]).toEqual(created.map((u) => u.login));
    for (const user of created) expect(printed.get(user.login)).toBe(user.password);

    const supervisor = await findUserByLogin(db(), 'supervisor');
    expect(supervisor).toMatchObject({ role: 'supervisor', serverId: 'pbx1', queues: ['sales', 'support'] });
    expect(supervisor?.passwordHash).toMatch(/^\$2[aby]\$04\$/);
    expect(supervisor?.passwordHash).not.toContain(printed.get('supervisor'));
    expect(await findUserByLogin(db(), 'operator102')).toMatchObject({ role: 'operator', endpoint: '102' });

    for (const [login, password] of [
      ['admin', printed.get('admin')],
      ['operator101', printed.get('operator101')],
    ] as const) {
      const res = await kit.request('/auth/login', { method: 'POST', json: { login, password } });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { accessToken: string };
      const claims = await verifyAccessToken(body.accessToken, kit.config.jwtSecret);
      expect(claims.login).toBe(login);
    }
    const wrong = await kit.request('/auth/login', {
      method: 'POST',
      json: { login: 'admin', password: 'not-the-printed-one' },
    });
    expect(wrong.status).toBe(401);

    // A later start: users exist, nothing is created or printed.
    const again: string[] = [];
    expect(await ensureDemoUsers(db(), (line) => again.push(line), { cost: 4 })).toEqual([]);
    expect(again).toEqual([]);
    expect(await userCount()).toBe(DEMO_USERS.length);
  });
});
