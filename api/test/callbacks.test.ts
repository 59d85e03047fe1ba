import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalisePhoneNumber } from '../src/callbacks/phone-number.ts';
import { type ApiTestKit, openApiTestKit } from './support/api-test-kit.ts';

/**
 * GET /callbacks over the bundled captures. Inbound callers are 7916…, outbound calls dial the
 * local 8916… form: scenario 06 (answered, 102 → 89161234567) reaches the caller of scenario 01
 * (79161234567) again; scenario 03's caller 79161234569 abandoned in `support` and nobody called.
 */
const L = {
  s01: '1795234908.0', // inbound answered, support, caller 79161234567
  s03: '1795234962.8', // inbound abandoned, support (101 102 103 rung), caller 79161234569
  s04: '1795234985.12', // inbound answered, sales
  s06: '1795235062.25', // outbound answered, 102 → 89161234567
  s13: '1795235552.97', // internal 101 → 102
};

interface Item {
  callId: number;
  linkedid: string;
  reason: string;
  number: string | null;
  e164: string | null;
  startedAt: string;
  timeToCallbackSec: number | null;
  reachedBy: { callId: number; direction: string; startedAt: string } | null;
}
interface ListBody {
  items: Item[];
  owed: number;
  done: number | null;
}

let kit: ApiTestKit;
let admin: string;
const idOf = new Map<string, number>();
const startOf = new Map<string, Date>();

async function list(token: string, query = ''): Promise<ListBody> {
  const res = await kit.request(`/callbacks${query}`, { token });
  expect(res.status).toBe(200);
  return (await res.json()) as ListBody;
}
const linkedids = (body: ListBody) => body.items.map((i) => i.linkedid);

beforeAll(async () => {
  kit = await openApiTestKit();
  admin = (await kit.user({ login: 'cb-admin', role: 'admin' })).token;
  const rows = await kit.stores.postgres.db
    .selectFrom('app.calls')
    .select(['id', 'linkedid', 'started_at'])
    .execute();
  for (const r of rows) {
    idOf.set(r.linkedid, r.id);
    startOf.set(r.linkedid, r.started_at);
  }
});

afterAll(async () => {
  await kit?.dispose();
});

describe('phone numbers', () => {
  it('normalises Russian local formats to one E.164 number and leaves extensions alone', () => {
    expect(normalisePhoneNumber('89161234567')).toBe('+79161234567');
    expect(normalisePhoneNumber('79161234567')).toBe('+79161234567');
    expect(normalisePhoneNumber('+7 (916) 123-45-67')).toBe('+79161234567');
    expect(normalisePhoneNumber('101')).toBeNull();
    expect(normalisePhoneNumber(null)).toBeNull();
  });
});

describe('GET /callbacks', () => {
  it('needs a token and refuses unknown parameters', async () => {
    expect((await kit.request('/callbacks')).status).toBe(401);
    expect((await kit.request('/callbacks?includeDone=true', { token: admin })).status).toBe(400);
  });

  it("owes scenario 03's abandoned caller, oldest first, and not scenario 01's answered caller", async () => {
    const body = await list(admin);
    const s03 = body.items.find((i) => i.linkedid === L.s03);
    expect(s03).toMatchObject({
      reason: 'abandoned',
      e164: '+79161234569',
      timeToCallbackSec: null,
      reachedBy: null,
    });
    expect(linkedids(body)).not.toContain(L.s01);
    expect(body.items.every((i) => i.reachedBy === null)).toBe(true);
    expect(body.owed).toBe(body.items.length);
    const starts = body.items.map((i) => i.startedAt);
    expect(starts).toEqual([...starts].sort());
  });

  it('a needs_callback card is settled by a later answered call to the 8… form of its number', async () => {
    // Scenario 01's caller (79161234567) was called back by scenario 06 (→ 89161234567).
    await kit.stores.postgres.db
      .updateTable('app.calls')
      .set({ needs_callback: true })
      .where('linkedid', '=', L.s01)
      .execute();
    try {
      expect(linkedids(await list(admin))).not.toContain(L.s01);
      const done = await list(admin, '?include_done=true');
      const s01 = done.items.find((i) => i.linkedid === L.s01);
      const seconds = (startOf.get(L.s06)!.getTime() - startOf.get(L.s01)!.getTime()) / 1000;
      expect(seconds).toBeGreaterThan(0);
      expect(s01).toMatchObject({
        reason: 'needs_callback',
        e164: '+79161234567',
        reachedBy: { callId: idOf.get(L.s06), direction: 'outbound' },
      });
      expect(s01!.timeToCallbackSec).toBeCloseTo(seconds, 3);
    } finally {
      await kit.stores.postgres.db
        .updateTable('app.calls')
        .set({ needs_callback: false })
        .where('linkedid', '=', L.s01)
        .execute();
    }
  });

  it('an internal call marked needs_callback stays owed: an extension is never reached again', async () => {
    await kit.stores.postgres.db
      .updateTable('app.calls')
      .set({ needs_callback: true })
      .where('linkedid', '=', L.s13)
      .execute();
    try {
      const s13 = (await list(admin)).items.find((i) => i.linkedid === L.s13);
      expect(s13).toMatchObject({ reason: 'needs_callback', e164: null, reachedBy: null });
    } finally {
      await kit.stores.postgres.db
        .updateTable('app.calls')
        .set({ needs_callback: false })
        .where('linkedid', '=', L.s13)
        .execute();
    }
  });

  it('operators and supervisors see only the callbacks of their calls', async () => {
    const op101 = (await kit.user({ login: 'cb-op101', role: 'operator', endpoint: '101' })).token;
    const nobody = (await kit.user({ login: 'cb-op999', role: 'operator', endpoint: '999' })).token;
    const support = (await kit.user({ login: 'cb-sup', role: 'supervisor', queues: ['support'] })).token;
    const sales = (await kit.user({ login: 'cb-sales', role: 'supervisor', queues: ['sales'] })).token;
    expect(linkedids(await list(op101))).toContain(L.s03);
    expect((await list(nobody)).items).toEqual([]);
    expect((await list(nobody)).owed).toBe(0);
    expect(linkedids(await list(support))).toContain(L.s03);
    const salesList = await list(sales);
    expect(linkedids(salesList)).not.toContain(L.s03);
    const adminOwed = (await list(admin)).owed;
    expect(salesList.owed).toBeLessThan(adminOwed);

    await kit.stores.postgres.db
      .updateTable('app.calls')
      .set({ needs_callback: true })
      .where('linkedid', '=', L.s04)
      .execute();
    try {
      expect(linkedids(await list(sales))).toContain(L.s04);
      expect(linkedids(await list(support))).not.toContain(L.s04);
    } finally {
      await kit.stores.postgres.db
        .updateTable('app.calls')
        .set({ needs_callback: false })
        .where('linkedid', '=', L.s04)
        .execute();
    }
  });

  it('a later answered outbound call to the 8… form takes the abandoned caller off the list', async () => {
    const abandonedAt = startOf.get(L.s03)!;
    const calledAt = new Date(abandonedAt.getTime() + 754_000);
    const before = await list(admin);
    // An earlier answered call to the same number settles nothing.
    await insertCall('cb-earlier', new Date(abandonedAt.getTime() - 60_000), 'answered');
    // A later call that was not answered settles nothing either.
    await insertCall('cb-busy', new Date(abandonedAt.getTime() + 100_000), 'busy');
    expect(linkedids(await list(admin))).toContain(L.s03);

    await insertCall('cb-later', calledAt, 'answered');
    const after = await list(admin);
    expect(linkedids(after)).not.toContain(L.s03);
    expect(after.owed).toBe(before.owed - 1);

    const done = await list(admin, '?include_done=true');
    const s03 = done.items.find((i) => i.linkedid === L.s03);
    expect(s03).toMatchObject({
      timeToCallbackSec: 754,
      reachedBy: { direction: 'outbound', startedAt: calledAt.toISOString() },
    });
    expect(done.done).toBe(done.items.filter((i) => i.reachedBy !== null).length);
    expect(done.owed).toBe(after.owed);
  });
});

/** An outbound call from 102 to scenario 03's caller in the local 8… form. */
async function insertCall(linkedid: string, startedAt: Date, status: 'answered' | 'busy') {
  await kit.stores.postgres.db
    .insertInto('app.calls')
    .values({
      server_id: 'pbx1',
      linkedid,
      uniqueid: linkedid,
      linkedids: [linkedid],
      direction: 'outbound',
      status,
      started_at: startedAt,
      answered_at: status === 'answered' ? startedAt : null,
      src_number: '102',
      dst_number: '89161234569',
      operator_endpoint: '102',
      duration_sec: 0,
      wait_sec: 0,
      talk_sec: 0,
      hold_sec: 0,
      queues: [],
      recordings: [],
      flags: [],
      reconciler_version: 'test',
      derived_hash: sql<string>`md5(${linkedid})`,
    })
    .execute();
}
