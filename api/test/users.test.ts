import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../src/auth/password-hash.ts';
import { type ApiTestKit, openApiTestKit } from './support/api-test-kit.ts';

/** /users: admin-only user management over real Postgres. */

interface User {
  id: number;
  login: string;
  role: string;
  displayName: string;
  serverId: string;
  endpoint: string | null;
  queues: string[];
  active: boolean;
}

let kit: ApiTestKit;
let admin: string;
let adminId: number;
let supervisor: string;
let operator: string;

const post = (json: unknown, token = admin) => kit.request('/users', { method: 'POST', token, json });
const patch = (id: number, json: unknown, token = admin) =>
  kit.request(`/users/${id}`, { method: 'PATCH', token, json });
const login = (name: string, password: string) =>
  kit.request('/auth/login', { method: 'POST', json: { login: name, password } });
const hashOf = async (id: number) =>
  (
    await kit.stores.postgres.db
      .selectFrom('app.users')
      .select('password_hash')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  ).password_hash;

beforeAll(async () => {
  kit = await openApiTestKit();
  const a = await kit.user({ login: 'u-admin', role: 'admin' });
  admin = a.token;
  adminId = a.user.id;
  supervisor = (await kit.user({ login: 'u-sup', role: 'supervisor', queues: ['support'] })).token;
  operator = (await kit.user({ login: 'u-op', role: 'operator', endpoint: '101' })).token;
});

afterAll(async () => {
  await kit?.dispose();
});

describe('roles', () => {
  it('refuses operators and supervisors (403) and anonymous callers (401)', async () => {
    for (const token of [operator, supervisor]) {
      expect((await kit.request('/users', { token })).status).toBe(403);
      expect((await post({ login: 'x1', password: 'long-enough', role: 'admin' }, token)).status).toBe(403);
      expect((await patch(adminId, { role: 'operator' }, token)).status).toBe(403);
    }
    expect((await kit.request('/users')).status).toBe(401);
    const logins = (await kit.stores.postgres.db.selectFrom('app.users').select('login').execute()).map(
      (r) => r.login,
    );
    expect(logins).not.toContain('x1');
  });
});

describe('CRUD', () => {
  let created: User;

  it('creates a user with a bcrypt hash, never returned, and audits it', async () => {
    const res = await post({
      login: 'Op-New',
      password: 'first-password',
      role: 'operator',
      endpoint: '104',
      displayName: 'New Operator',
    });
    expect(res.status).toBe(201);
    created = (await res.json()) as User;
    expect(created).toEqual({
      id: expect.any(Number),
      login: 'Op-New',
      role: 'operator',
      displayName: 'New Operator',
      serverId: 'pbx1',
      endpoint: '104',
      queues: [],
      active: true,
    });
    expect(JSON.stringify(created)).not.toContain('password');
    const hash = await hashOf(created.id);
    expect(hash).toMatch(/^\$2[ab]\$12\$/);
    expect(await verifyPassword('first-password', hash)).toBe(true);
    expect((await login('op-new', 'first-password')).status).toBe(200);

    const audit = await kit.stores.postgres.db
      .selectFrom('app.audit_log')
      .selectAll()
      .where('action', '=', 'user_change')
      .where('target', '=', `user:${created.id}`)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ user_id: adminId, login: 'u-admin', details: { op: 'create' } });
    expect(JSON.stringify(audit[0]!.details)).not.toContain('$2');
  });

  it('lists users with their queues', async () => {
    const sup = await post({
      login: 'sup-new',
      password: 'sup-password',
      role: 'supervisor',
      queues: ['sales', 'support'],
    });
    expect(sup.status).toBe(201);
    const res = await kit.request('/users', { token: admin });
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as { items: User[] };
    expect(items.find((u) => u.login === 'sup-new')).toMatchObject({
      role: 'supervisor',
      queues: ['sales', 'support'],
    });
    expect(items.find((u) => u.login === 'Op-New')).toMatchObject({ endpoint: '104', active: true });
    expect(JSON.stringify(items)).not.toMatch(/password|\$2[ab]\$/);
  });

  it('refuses users who could do nothing: an operator without an endpoint, a supervisor without queues', async () => {
    const noPhone = await post({ login: 'idle-op', password: 'long-enough', role: 'operator' });
    expect(noPhone.status).toBe(400);
    expect(JSON.stringify(await noPhone.json())).toContain('endpoint');
    const noQueues = await post({ login: 'idle-sup', password: 'long-enough', role: 'supervisor' });
    expect(noQueues.status).toBe(400);
    expect(JSON.stringify(await noQueues.json())).toContain('queues');
    expect(
      (await post({ login: 'idle-sup', password: 'long-enough', role: 'supervisor', queues: [] })).status,
    ).toBe(400);
  });

  it('refuses a login taken in another case (409)', async () => {
    const res = await post({ login: 'op-NEW', password: 'other-password', role: 'admin' });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: string }).error).toBe('conflict');
  });

  it('refuses bad input (400)', async () => {
    const bad = [
      { login: 'short', password: 'short', role: 'operator' },
      { login: 'has space', password: 'long-enough', role: 'operator' },
      { login: 'ok1', password: 'long-enough', role: 'root' },
      { login: 'ok2', password: 'long-enough', role: 'operator', queues: ['support'] },
      { login: 'ok3', password: 'x'.repeat(73), role: 'operator' },
      { login: 'ok4', password: 'long-enough', role: 'operator', isAdmin: true },
      { login: 'ok5', password: 'long-enough', role: 'operator', serverId: 'no-such-pbx' },
      { password: 'long-enough', role: 'operator' },
    ];
    for (const json of bad) expect((await post(json)).status, JSON.stringify(json)).toBe(400);
    for (const json of [{}, { role: 'god' }, { active: 'no' }, { password: 'short' }, { login: 'rename' }]) {
      expect((await patch(created.id, json)).status, JSON.stringify(json)).toBe(400);
    }
    expect((await patch(created.id, { queues: ['sales'] })).status).toBe(400);
    expect(
      (await kit.request('/users/abc', { method: 'PATCH', token: admin, json: { active: true } })).status,
    ).toBe(400);
    expect((await patch(999_999, { active: false })).status).toBe(404);
  });

  it('changes role, queues, endpoint and name; absent fields stay', async () => {
    const res = await patch(created.id, {
      role: 'supervisor',
      queues: ['sales'],
      endpoint: null,
      displayName: 'Lead',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id: created.id,
      login: 'Op-New',
      role: 'supervisor',
      queues: ['sales'],
      endpoint: null,
      displayName: 'Lead',
      active: true,
    });
  });

  it('changes the password (old one stops working) and deactivates softly', async () => {
    const before = await hashOf(created.id);
    expect((await patch(created.id, { password: 'second-password' })).status).toBe(200);
    expect(await hashOf(created.id)).not.toBe(before);
    expect((await login('Op-New', 'first-password')).status).toBe(401);
    expect((await login('Op-New', 'second-password')).status).toBe(200);

    const res = await patch(created.id, { active: false });
    expect(res.status).toBe(200);
    expect(((await res.json()) as User).active).toBe(false);
    expect((await login('Op-New', 'second-password')).status).toBe(401);
    const row = await kit.stores.postgres.db
      .selectFrom('app.users')
      .select('active')
      .where('id', '=', created.id)
      .executeTakeFirst();
    expect(row).toEqual({ active: false });
    const changes = await kit.stores.postgres.db
      .selectFrom('app.audit_log')
      .select('details')
      .where('action', '=', 'user_change')
      .where('target', '=', `user:${created.id}`)
      .orderBy('id')
      .execute();
    expect(changes.map((c) => (c.details as { op: string }).op)).toEqual([
      'create',
      'update',
      'update',
      'update',
    ]);
  });
});
