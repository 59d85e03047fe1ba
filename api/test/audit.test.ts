import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiTestKit, openApiTestKit } from './support/api-test-kit.ts';

/**
 * `GET /audit` over real PostgreSQL: admins only, newest first, filters by time, login (any case),
 * action and target, limit/offset pages with the total, and 400 for a bad query. Rows are seeded
 * with known times so order and time filters are checked exactly.
 */
let kit: ApiTestKit;
let admin: string;
let supervisor: string;
let operator: string;

interface Entry {
  id: number;
  at: string;
  user_id: number | null;
  login: string;
  action: string;
  target: string | null;
  ip: string | null;
  details: unknown;
}
interface Page {
  items: Entry[];
  total: number;
  limit: number;
  offset: number;
}

/** Seeded rows: times in 2030 so nothing written by the API during the test falls among them. */
const SEED = [
  { at: '2030-01-01T10:00:00.000Z', login: 'Audit-Alice', action: 'recording_listen', target: 'call:1' },
  { at: '2030-01-01T11:00:00.000Z', login: 'audit-bob', action: 'recording_download', target: 'call:2' },
  { at: '2030-01-01T12:00:00.000Z', login: 'audit-alice', action: 'card_edit', target: 'call:1' },
  { at: '2030-01-01T13:00:00.000Z', login: 'audit-alice', action: 'recording_listen', target: 'call:3' },
  { at: '2030-01-01T13:00:00.000Z', login: 'audit-bob', action: 'recording_listen', target: 'call:3' },
];
const IN_2030 = 'from=2030-01-01T00:00:00Z&to=2030-01-02T00:00:00Z';

async function page(query: string, token = admin): Promise<Page> {
  const res = await kit.request(`/audit?${query}`, { token });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Page;
}

beforeAll(async () => {
  kit = await openApiTestKit();
  admin = (await kit.user({ login: 'audit-admin', role: 'admin' })).token;
  supervisor = (await kit.user({ login: 'audit-sup', role: 'supervisor', queues: ['support'] })).token;
  operator = (await kit.user({ login: 'audit-op', role: 'operator', endpoint: '101' })).token;
  await kit.stores.postgres.db
    .insertInto('app.audit_log')
    .values(
      SEED.map((s) => ({
        at: s.at as never, // the schema types `at` as generated; an explicit time is what these tests need
        user_id: null,
        login: s.login,
        action: s.action,
        target: s.target,
        ip: '192.0.2.1',
        details: JSON.stringify({ seeded: true }),
      })),
    )
    .execute();
});
afterAll(async () => {
  await kit?.dispose();
});

describe('GET /audit: who may read it', () => {
  it('401 without a token', async () => {
    expect((await kit.request('/audit')).status).toBe(401);
  });

  it('403 for operators and supervisors', async () => {
    for (const token of [operator, supervisor]) {
      const res = await kit.request('/audit', { token });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: string }).error).toBe('forbidden');
    }
  });
});

describe('GET /audit: listing', () => {
  it('returns the rows in the window newest first (time, then id)', async () => {
    const p = await page(IN_2030);
    expect(p.total).toBe(5);
    expect(p.items.map((i) => i.at)).toEqual([
      '2030-01-01T13:00:00.000Z',
      '2030-01-01T13:00:00.000Z',
      '2030-01-01T12:00:00.000Z',
      '2030-01-01T11:00:00.000Z',
      '2030-01-01T10:00:00.000Z',
    ]);
    // Same time: the later row (bob's, inserted last) first.
    expect(p.items[0]?.login).toBe('audit-bob');
    expect(p.items[0]!.id).toBeGreaterThan(p.items[1]!.id);
    expect(p.items[0]).toMatchObject({
      ip: '192.0.2.1',
      target: 'call:3',
      details: { seeded: true },
      user_id: null,
    });
  });

  it('filters by from (inclusive) and to (exclusive)', async () => {
    const p = await page('from=2030-01-01T11:00:00Z&to=2030-01-01T13:00:00Z');
    expect(p.items.map((i) => i.at)).toEqual(['2030-01-01T12:00:00.000Z', '2030-01-01T11:00:00.000Z']);
    expect(p.total).toBe(2);
    expect((await page('from=2031-01-01T00:00:00Z')).total).toBe(0);
  });

  it('filters by login, case-insensitively, and by action and target', async () => {
    const alice = await page(`${IN_2030}&login=AUDIT-ALICE`);
    expect(alice.total).toBe(3);
    expect(new Set(alice.items.map((i) => i.login.toLowerCase()))).toEqual(new Set(['audit-alice']));
    const listens = await page(`${IN_2030}&action=recording_listen`);
    expect(listens.total).toBe(3);
    expect(listens.items.every((i) => i.action === 'recording_listen')).toBe(true);
    const both = await page(`${IN_2030}&login=audit-alice&action=recording_listen`);
    expect(both.items.map((i) => i.target)).toEqual(['call:3', 'call:1']);
    const target = await page(`${IN_2030}&target=call:1`);
    expect(target.items.map((i) => i.action)).toEqual(['card_edit', 'recording_listen']);
    expect((await page(`${IN_2030}&action=nothing_like_this`)).items).toEqual([]);
  });

  it('pages with limit and offset, keeping the total', async () => {
    const all = await page(IN_2030);
    const first = await page(`${IN_2030}&limit=2`);
    const second = await page(`${IN_2030}&limit=2&offset=2`);
    const last = await page(`${IN_2030}&limit=2&offset=4`);
    expect([first.total, second.total, last.total]).toEqual([5, 5, 5]);
    expect(first.limit).toBe(2);
    expect(second.offset).toBe(2);
    expect([...first.items, ...second.items, ...last.items].map((i) => i.id)).toEqual(
      all.items.map((i) => i.id),
    );
    expect(last.items).toHaveLength(1);
  });

  it('shows the rows the API itself writes (an operator listening to a recording)', async () => {
    const before = await page('action=recording_listen&login=audit-op');
    expect(before.total).toBe(0);
    const call = await kit.stores.postgres.db
      .selectFrom('app.calls')
      .select('id')
      .where('linkedid', '=', '1795234908.0')
      .executeTakeFirstOrThrow();
    mkdirSync(kit.config.recordingsDir, { recursive: true });
    writeFileSync(join(kit.config.recordingsDir, '20261121-042148-in-1795234908.0.wav'), Buffer.alloc(64, 1));
    const res = await kit.request(`/calls/${call.id}/recording`, {
      token: operator,
      headers: { 'x-forwarded-for': '198.51.100.20' },
    });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    const after = await page('action=recording_listen&login=audit-op');
    expect(after.total).toBe(1);
    expect(after.items[0]).toMatchObject({
      target: `call:${call.id}`,
      ip: '198.51.100.20',
      login: 'audit-op',
    });
    expect(after.items[0]?.user_id).toBeTypeOf('number');
  });

  it('400 for a bad query', async () => {
    for (const q of [
      'limit=501',
      'limit=0',
      'limit=abc',
      'offset=-1',
      'from=yesterday',
      'from=2030-01-02T00:00:00Z&to=2030-01-01T00:00:00Z',
      'unknown=1',
    ]) {
      const res = await kit.request(`/audit?${q}`, { token: admin });
      expect(res.status, q).toBe(400);
      expect(((await res.json()) as { error: string }).error, q).toBe('validation_failed');
    }
  });
});
