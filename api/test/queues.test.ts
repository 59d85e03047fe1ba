import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiTestKit, openApiTestKit } from './support/api-test-kit.ts';

/**
 * Queue settings over real PostgreSQL: supervisors see only their queues on their server, admins
 * all, operators none; admins change display name, IANA time zone and the service-level threshold,
 * with validation (400, nothing changed) and an audit row per change.
 */
let kit: ApiTestKit;
let admin: string;
let supervisor: string;
let operator: string;
let lonelySupervisor: string;

interface Queue {
  id: number;
  serverId: string;
  name: string;
  displayName: string;
  timeZone: string;
  serviceLevelSec: number;
}

beforeAll(async () => {
  kit = await openApiTestKit();
  const db = kit.stores.postgres.db;
  // A second server with a queue of the same name: a pbx1 supervisor of `support` must not see it.
  await db
    .insertInto('app.asterisk_servers')
    .values({ id: 'pbx2', name: 'PBX 2', cel_schema: 'asterisk_pbx2' })
    .onConflict((oc) => oc.doNothing())
    .execute();
  await db
    .insertInto('app.queues')
    .values({ server_id: 'pbx2', name: 'support', display_name: 'support' })
    .onConflict((oc) => oc.doNothing())
    .execute();
  admin = (await kit.user({ login: 'queue-admin', role: 'admin' })).token;
  supervisor = (await kit.user({ login: 'queue-supervisor', role: 'supervisor', queues: ['support'] })).token;
  lonelySupervisor = (await kit.user({ login: 'queue-supervisor-2', role: 'supervisor' })).token;
  operator = (await kit.user({ login: 'queue-operator', role: 'operator', endpoint: '101' })).token;
});
afterAll(async () => {
  await kit?.dispose();
});

async function listQueues(token: string): Promise<Queue[]> {
  const res = await kit.request('/queues', { token });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: Queue[] }).items;
}

async function patch(path: string, json: unknown, token = admin) {
  const res = await kit.request(path, { method: 'PATCH', token, json });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const queueRows = () => kit.stores.postgres.db.selectFrom('app.queues').selectAll().orderBy('id').execute();
const auditRows = () =>
  kit.stores.postgres.db
    .selectFrom('app.audit_log')
    .selectAll()
    .where('action', '=', 'queue_change')
    .execute();

describe('queues: reading', () => {
  it('shows admins every queue with its settings', async () => {
    const queues = await listQueues(admin);
    expect(queues.map((q) => `${q.serverId}/${q.name}`)).toEqual([
      'pbx1/sales',
      'pbx1/support',
      'pbx2/support',
    ]);
    expect(queues[0]).toEqual({
      id: expect.any(Number),
      serverId: 'pbx1',
      name: 'sales',
      displayName: 'sales',
      timeZone: 'Europe/Moscow',
      serviceLevelSec: 20,
    });
  });

  it('shows a supervisor only their queues on their server', async () => {
    expect((await listQueues(supervisor)).map((q) => `${q.serverId}/${q.name}`)).toEqual(['pbx1/support']);
    expect(await listQueues(lonelySupervisor)).toEqual([]);
  });

  it('shows an operator their server’s queues (names and zones for their calls) and the installation zone; 401 without a token', async () => {
    const res = await kit.request('/queues', { token: operator });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      items: { serverId: string; name: string }[];
      defaultTimeZone: string;
    };
    expect(body.items.map((q) => `${q.serverId}/${q.name}`)).toEqual(['pbx1/sales', 'pbx1/support']);
    expect(body.defaultTimeZone).toMatch(/^[A-Za-z_]+(\/[A-Za-z_]+)*$/);
    const anonymous = await kit.request('/queues');
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: string }).error).toBe('unauthorized');
  });
});

describe('queues: settings', () => {
  it('lets an admin change display name, time zone and threshold, audited', async () => {
    const support = (await listQueues(admin)).find((q) => q.serverId === 'pbx1' && q.name === 'support')!;
    const res = await patch(`/queues/${support.id}`, {
      displayName: '  Поддержка  ',
      timeZone: 'Asia/Yekaterinburg',
      serviceLevelSec: 30,
    });
    expect(res).toEqual({
      status: 200,
      body: { ...support, displayName: 'Поддержка', timeZone: 'Asia/Yekaterinburg', serviceLevelSec: 30 },
    });
    expect((await listQueues(supervisor))[0]).toMatchObject({
      displayName: 'Поддержка',
      serviceLevelSec: 30,
    });

    expect((await patch(`/queues/${support.id}`, { timeZone: 'UTC' })).body.timeZone).toBe('UTC');
    expect((await patch(`/queues/${support.id}`, { serviceLevelSec: 600 })).body.serviceLevelSec).toBe(600);
    expect((await patch(`/queues/${support.id}`, { serviceLevelSec: 1 })).body.serviceLevelSec).toBe(1);

    const audit = await auditRows();
    expect(audit.map((a) => [a.target, a.login])).toEqual([
      [`queues:${support.id}`, 'queue-admin'],
      [`queues:${support.id}`, 'queue-admin'],
      [`queues:${support.id}`, 'queue-admin'],
      [`queues:${support.id}`, 'queue-admin'],
    ]);
    expect(audit[0]!.details).toMatchObject({
      before: { displayName: 'support', timeZone: 'Europe/Moscow', serviceLevelSec: 20 },
      after: { displayName: 'Поддержка', timeZone: 'Asia/Yekaterinburg', serviceLevelSec: 30 },
    });
  });

  it('refuses bad settings with 400 and the error body, changing nothing', async () => {
    const before = await queueRows();
    const auditBefore = (await auditRows()).length;
    const id = before[0]!.id;
    const cases: unknown[] = [
      { timeZone: 'Mars/Olympus' },
      { timeZone: '+03:00' },
      { timeZone: 'EST' },
      { timeZone: 'europe/moscow' },
      { timeZone: '' },
      { timeZone: 3 },
      { serviceLevelSec: 0 },
      { serviceLevelSec: 601 },
      { serviceLevelSec: -5 },
      { serviceLevelSec: 20.5 },
      { serviceLevelSec: '20' },
      { serviceLevelSec: 1e15 },
      { displayName: '' },
      { displayName: 'x'.repeat(201) },
      { name: 'renamed' },
      { serverId: 'pbx2' },
      {},
      [],
      null,
    ];
    for (const json of cases) {
      const res = await patch(`/queues/${id}`, json);
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect(typeof res.body.error).toBe('string');
      expect(typeof res.body.message).toBe('string');
    }
    for (const path of ['/queues/1 OR 1=1', '/queues/abc', '/queues/-1', '/queues/99999999999999999999']) {
      expect((await patch(path, { serviceLevelSec: 25 })).status, path).toBe(400);
    }
    const malformed = await kit.app.request(`/queues/${id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: '{"serviceLevelSec": 25',
    });
    expect(malformed.status).toBe(400);
    expect(await queueRows()).toEqual(before);
    expect(await auditRows()).toHaveLength(auditBefore);
  });

  it('answers 404 for an unknown queue and 403 for non-admins', async () => {
    const missing = await patch('/queues/999999', { serviceLevelSec: 25 });
    expect(missing).toMatchObject({ status: 404, body: { error: 'not_found' } });
    const before = await queueRows();
    const id = before[0]!.id;
    expect((await patch(`/queues/${id}`, { serviceLevelSec: 25 }, supervisor)).status).toBe(403);
    expect((await patch(`/queues/${id}`, { serviceLevelSec: 25 }, operator)).status).toBe(403);
    const anonymous = await kit.request(`/queues/${id}`, { method: 'PATCH', json: { serviceLevelSec: 25 } });
    expect(anonymous.status).toBe(401);
    expect(await queueRows()).toEqual(before);
  });

  it('is documented in /openapi.json', async () => {
    const doc = (await (await kit.request('/openapi.json')).json()) as { paths: Record<string, object> };
    expect(Object.keys(doc.paths['/queues'] ?? {})).toEqual(['get']);
    expect(Object.keys(doc.paths['/queues/{id}'] ?? {})).toEqual(['patch']);
  });
});
