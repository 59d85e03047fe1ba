import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDemoUsers } from '../src/auth/demo-users.ts';
import { type ApiTestKit, openApiTestKit } from './support/api-test-kit.ts';

/**
 * Forced password change at the first sign-in (docs/roles.md#sign-in): the demo users (passwords
 * printed in the job's log) and users whose password an administrator chose must pick their own
 * before anything else; PUT /me/password is the one route open to them meanwhile.
 */
let kit: ApiTestKit;
let demo: Map<string, string>;
beforeAll(async () => {
  kit = await openApiTestKit();
  const created = await ensureDemoUsers(kit.stores.postgres.db, () => {}, { cost: 4 });
  demo = new Map(created.map((u) => [u.login, u.password]));
});
afterAll(async () => {
  await kit?.dispose();
});

interface SessionBody {
  accessToken: string;
  user: { login: string; mustChangePassword: boolean };
}

async function login(name: string, password: string): Promise<Response> {
  return kit.request('/auth/login', { method: 'POST', json: { login: name, password } });
}

const changePassword = (token: string, currentPassword: string, newPassword: string) =>
  kit.request('/me/password', { method: 'PUT', token, json: { currentPassword, newPassword } });

describe('forced password change', () => {
  it('a demo operator signs in, is held to PUT /me/password, and is free once the password is theirs', async () => {
    const printed = demo.get('operator101')!;
    const first = await login('operator101', printed);
    expect(first.status).toBe(200);
    const session = (await first.json()) as SessionBody;
    expect(session.user).toMatchObject({ login: 'operator101', mustChangePassword: true });

    for (const path of ['/calls', '/me/preferences', '/presence']) {
      const refused = await kit.request(path, { token: session.accessToken });
      expect(refused.status, path).toBe(403);
      expect(await refused.json()).toMatchObject({ error: 'password_change_required' });
    }

    const wrong = await changePassword(session.accessToken, 'not-the-printed-one', 'a-new-secret-1');
    expect(wrong.status).toBe(400);
    // A wrong current password has its own code (the page says which field is wrong).
    expect(await wrong.json()).toMatchObject({ error: 'wrong_current_password' });
    const same = await changePassword(session.accessToken, printed, printed);
    expect(same.status).toBe(400);
    expect(await same.json()).toMatchObject({ error: 'validation_failed' });
    const short = await changePassword(session.accessToken, printed, 'short');
    expect(short.status).toBe(400);
    expect(await short.json()).toMatchObject({ error: 'validation_failed' });

    const changed = await changePassword(session.accessToken, printed, 'a-new-secret-1');
    expect(changed.status).toBe(200);
    const fresh = (await changed.json()) as SessionBody;
    expect(fresh.user.mustChangePassword).toBe(false);
    expect(changed.headers.get('set-cookie')).toMatch(/cc_refresh=/);
    expect((await kit.request('/calls', { token: fresh.accessToken })).status).toBe(200);

    expect((await login('operator101', printed)).status).toBe(401);
    const again = await login('operator101', 'a-new-secret-1');
    expect(again.status).toBe(200);
    expect(((await again.json()) as SessionBody).user.mustChangePassword).toBe(false);

    const audit = await kit.stores.postgres.db
      .selectFrom('app.audit_log')
      .select('action')
      .where('action', 'in', ['password_change', 'password_change_failed'])
      .execute();
    expect(audit.map((r) => r.action).sort()).toEqual(['password_change', 'password_change_failed']);
  });

  it('a user an administrator creates or gives a password must change it; an admin changing their own need not', async () => {
    const adminLogin = (await login('admin', demo.get('admin')!)) as Response;
    const adminFirst = (await adminLogin.json()) as SessionBody;
    const adminSession = (await (
      await changePassword(adminFirst.accessToken, demo.get('admin')!, 'admin-own-secret')
    ).json()) as SessionBody;
    const admin = adminSession.accessToken;

    const created = await kit.request('/users', {
      method: 'POST',
      token: admin,
      json: { login: 'new-op', password: 'chosen-by-admin', role: 'operator', endpoint: '103' },
    });
    expect(created.status).toBe(201);
    const newcomer = (await (await login('new-op', 'chosen-by-admin')).json()) as SessionBody;
    expect(newcomer.user.mustChangePassword).toBe(true);
    const changed = (await (
      await changePassword(newcomer.accessToken, 'chosen-by-admin', 'my-own-secret')
    ).json()) as SessionBody;
    expect(changed.user.mustChangePassword).toBe(false);

    // The administrator resets it: the user must change it again.
    const { id } = (await created.json()) as { id: number };
    const reset = await kit.request(`/users/${id}`, {
      method: 'PATCH',
      token: admin,
      json: { password: 'reset-by-admin' },
    });
    expect(reset.status).toBe(200);
    expect(
      ((await (await login('new-op', 'reset-by-admin')).json()) as SessionBody).user.mustChangePassword,
    ).toBe(true);

    // The administrator's own new password is theirs.
    const self = await kit.stores.postgres.db
      .selectFrom('app.users')
      .select('id')
      .where('login', '=', 'admin')
      .executeTakeFirstOrThrow();
    const own = await kit.request(`/users/${self.id}`, {
      method: 'PATCH',
      token: admin,
      json: { password: 'admin-next-secret' },
    });
    expect(own.status).toBe(200);
    expect(
      ((await (await login('admin', 'admin-next-secret')).json()) as SessionBody).user.mustChangePassword,
    ).toBe(false);
  });
});
