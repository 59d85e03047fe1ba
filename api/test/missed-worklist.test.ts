import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { median } from '../src/callbacks/missed-worklist.ts';
import { type ApiTestKit, openApiTestKit } from './support/api-test-kit.ts';

/**
 * GET /callbacks/worklist over the bundled captures (31 calls on 21 November 2026, 04:21–04:33
 * UTC). Lost inbound calls, counted by hand from the captures: support 9 abandoned + 2 missed,
 * sales 4 missed, and scenario 15's IVR abandon (no queue) — 16 in all, 10 abandoned, 6 missed,
 * every caller a mobile number. Nobody in the captures calls a lost caller back, so this file
 * points two real answered calls at lost callers (restored afterwards), in the local forms the
 * normalisation must see through:
 *
 * - scenario 06's answered outbound call (04:24:22.033, by 102) dials 89161234569 — scenario 03's
 *   abandoned caller 79161234569 (04:22:42.714): called back after 99.319 s;
 * - scenario 08's answered inbound call (1795235183.36, 04:26:23.729, operator 102) comes from
 *   +7 916 123-45-71 — scenario 04's missed caller 79161234571 (04:23:37.229): reached again when
 *   the customer called in, after 166.500 s.
 */

const S03 = '1795234962.8';
const S04 = '1795235017.15';
const S06 = '1795235062.25';
const S06_BUSY = '1795235085.27';
const S08 = '1795235183.36';
const DAY = `from=${encodeURIComponent('2026-11-21T00:00:00+03:00')}&to=${encodeURIComponent('2026-11-22T00:00:00+03:00')}`;

interface Item {
  callId: number;
  linkedid: string;
  status: string;
  queue: string | null;
  queueWaitSec: number | null;
  e164: string | null;
  callbackAttempts: number;
  reachedAgain: {
    callId: number;
    direction: string;
    startedAt: string;
    operatorEndpoint: string | null;
    operatorName: string | null;
    afterSec: number;
  } | null;
}
interface Body {
  kpi: Record<string, number | null>;
  total: number;
  items: Item[];
}

let kit: ApiTestKit;
const tokens: Record<string, string> = {};
const idOf = new Map<string, number>();
const original = new Map<string, { src: string | null; dst: string | null }>();

async function worklist(who: string, query = DAY): Promise<Body> {
  const res = await kit.request(`/callbacks/worklist?${query}`, { token: tokens[who]! });
  expect(res.status).toBe(200);
  return (await res.json()) as Body;
}

beforeAll(async () => {
  kit = await openApiTestKit();
  const db = kit.stores.postgres.db;
  for (const r of await db
    .selectFrom('app.calls')
    .select(['id', 'linkedid', 'src_number', 'dst_number'])
    .execute()) {
    idOf.set(r.linkedid, r.id);
    original.set(r.linkedid, { src: r.src_number, dst: r.dst_number });
  }
  tokens.admin = (await kit.user({ login: 'w-admin', role: 'admin' })).token;
  tokens.support = (await kit.user({ login: 'w-support', role: 'supervisor', queues: ['support'] })).token;
  tokens.sales = (await kit.user({ login: 'w-sales', role: 'supervisor', queues: ['sales'] })).token;
  tokens.op101 = (await kit.user({ login: 'w-op101', role: 'operator', endpoint: '101' })).token;
}, 300_000);

afterAll(async () => {
  await kit?.dispose();
});

describe('GET /callbacks/worklist', () => {
  it('lists the 16 lost inbound calls, newest first, with their wait; nobody reached again yet', async () => {
    const body = await worklist('admin');
    expect(body.kpi).toEqual({
      lost: 16,
      abandoned: 10,
      missed: 6,
      withNumber: 16,
      owed: 16,
      reached: 0,
      reachedShare: 0,
      calledBack: 0,
      calledBackShare: 0,
      medianTimeToCallbackSec: null,
    });
    expect(body.total).toBe(16);
    const starts = body.items.map((i) => i.callId);
    expect(body.items).toHaveLength(16);
    expect(new Set(starts).size).toBe(16);
    const s03 = body.items.find((i) => i.linkedid === S03)!;
    expect(s03).toMatchObject({
      status: 'abandoned',
      queue: 'support',
      e164: '+79161234569',
      reachedAgain: null,
    });
    expect(s03.queueWaitSec).toBeCloseTo(7.006, 3);
    // Scenario 15 abandoned in the IVR: no queue, no queue wait.
    expect(body.items[0]).toMatchObject({ linkedid: '1795235572.99', queue: null, queueWaitSec: null });
  });

  it('a lost caller reached again by a callback (8… form) or by calling in again, with the KPI', async () => {
    const db = kit.stores.postgres.db;
    await db
      .updateTable('app.calls')
      .set({ dst_number: '89161234569' })
      .where('linkedid', 'in', [S06, S06_BUSY])
      .execute();
    await db
      .updateTable('app.calls')
      .set({ src_number: '+7 916 123-45-71' })
      .where('linkedid', '=', S08)
      .execute();
    try {
      const body = await worklist('admin');
      const s03 = body.items.find((i) => i.linkedid === S03)!;
      expect(s03.reachedAgain).toMatchObject({
        callId: idOf.get(S06),
        direction: 'outbound',
        startedAt: '2026-11-21T04:24:22.033Z',
        operatorEndpoint: '102',
        operatorName: 'Operator 102',
      });
      expect(s03.reachedAgain!.afterSec).toBeCloseTo(99.319, 3);
      // The answered callback itself; the busy one came after it.
      expect(s03.callbackAttempts).toBe(1);
      const s04 = body.items.find((i) => i.linkedid === S04)!;
      expect(s04.reachedAgain).toMatchObject({
        callId: idOf.get(S08),
        direction: 'inbound',
        operatorEndpoint: '102',
      });
      expect(s04.reachedAgain!.afterSec).toBeCloseTo(166.5, 3);
      expect(s04.callbackAttempts).toBe(0);
      expect(body.kpi).toMatchObject({ lost: 16, withNumber: 16, reached: 2, owed: 14, calledBack: 1 });
      expect(body.kpi.reachedShare).toBeCloseTo(2 / 16, 9);
      expect(body.kpi.calledBackShare).toBeCloseTo(1 / 16, 9);
      expect(body.kpi.medianTimeToCallbackSec).toBeCloseTo((99.319 + 166.5) / 2, 3);

      const reached = await worklist('admin', `${DAY}&state=reached`);
      expect(reached.items.map((i) => i.linkedid).sort()).toEqual([S03, S04].sort());
      expect(reached.total).toBe(2);
      const owed = await worklist('admin', `${DAY}&state=owed&limit=5`);
      expect(owed.total).toBe(14);
      expect(owed.items).toHaveLength(5);
      expect(owed.kpi.lost).toBe(16);

      // GET /callbacks agrees: neither is owed any more.
      const res = await kit.request('/callbacks', { token: tokens.admin! });
      const owedIds = ((await res.json()) as { items: { linkedid: string }[] }).items.map((i) => i.linkedid);
      expect(owedIds).not.toContain(S03);
      expect(owedIds).not.toContain(S04);
    } finally {
      for (const linkedid of [S06, S06_BUSY, S08]) {
        const o = original.get(linkedid)!;
        await db
          .updateTable('app.calls')
          .set({ src_number: o.src, dst_number: o.dst })
          .where('linkedid', '=', linkedid)
          .execute();
      }
    }
  });

  it("a supervisor sees only their queues' lost calls; the queue filter narrows", async () => {
    const support = await worklist('support');
    expect(support.kpi).toMatchObject({ lost: 11, abandoned: 9, missed: 2 });
    expect(support.items.every((i) => i.queue === 'support')).toBe(true);
    const sales = await worklist('sales');
    expect(sales.kpi).toMatchObject({ lost: 4, abandoned: 0, missed: 4 });
    expect(sales.items.every((i) => i.queue === 'sales')).toBe(true);
    // Another queue's filter gives a supervisor nothing of it.
    expect((await worklist('sales', `${DAY}&queue=support`)).kpi.lost).toBe(0);
    expect((await worklist('admin', `${DAY}&queue=sales`)).kpi.lost).toBe(4);
    // An operator: the lost calls that rang their phone.
    const op = await worklist('op101');
    expect(op.items.map((i) => i.linkedid)).toContain(S03);
    expect(op.items.every((i) => i.queue !== 'sales')).toBe(true);
  });

  it('an empty period, bad parameters and no token', async () => {
    const quiet = `from=${encodeURIComponent('2026-11-22T00:00:00Z')}&to=${encodeURIComponent('2026-11-23T00:00:00Z')}`;
    expect((await worklist('admin', quiet)).kpi).toMatchObject({
      lost: 0,
      reachedShare: null,
      medianTimeToCallbackSec: null,
    });
    expect((await kit.request(`/callbacks/worklist?${DAY}`)).status).toBe(401);
    for (const q of [
      `${DAY}&state=maybe`,
      `${DAY}&limit=0`,
      `${DAY}&includeDone=true`,
      'from=2026-11-21T00:00:00Z',
    ]) {
      const res = await kit.request(`/callbacks/worklist?${q}`, { token: tokens.admin! });
      expect(res.status, q).toBe(400);
    }
  });

  it('median of the times to callback', () => {
    expect(median([])).toBeNull();
    expect(median([5])).toBe(5);
    expect(median([9, 1, 5])).toBe(5);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
