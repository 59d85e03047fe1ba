import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAccessToken } from '../src/auth/access-token.ts';
import { type ApiTestKit, openApiTestKit } from './support/api-test-kit.ts';

/**
 * The call-card routes over the 31 calls of the bundled captures (fixtures/asterisk/scenarios).
 * Expected sets below are read off the scenario READMEs, by linkedid:
 *
 * | linkedid | scenario | status | queue | answered by | rung |
 * |---|---|---|---|---|---|
 * | 1795234908.0  | 01 | answered  | support | 101 | 101 102 103 |
 * | 1795234962.8  | 03 | abandoned | support | –   | 101 102 103 |
 * | 1795234985.12 | 04 | answered  | sales   | 103 | 102 103 |
 * | 1795235017.15 | 05 | missed    | support | –   | 101 102 103 (×3) |
 * | 1795235062.25 | 06 | answered  | –  (outbound 102 → 89161234567) | 102 | – |
 * | 1795235085.27 | 07 | busy      | –  (outbound 102 → 89161234568) | 102 | – |
 * | 1795235183.36 | 09 | answered  | support | 101, blind transfer to 102 | 101 102 103 |
 * | 1795235377.75 | 10 | answered  | support | 101, attended transfer to 102 | 101 102 103 |
 * | 1795235235.41 | 11 | answered  | support | 101 (hold) | 101 102 103 |
 * | 1795235269.45 … 1795235270.67 | 12 (burst, 20 calls) | see BURST below |
 * | 1795235552.97 | 13 | answered  | – (internal 101 → 102) | 101 caller | 102 |
 * | 1795235572.99 | 14 | abandoned | – (IVR, before any queue) | – | – |
 */
const L = {
  s01: '1795234908.0',
  s03: '1795234962.8',
  s04: '1795234985.12',
  s05: '1795235017.15',
  s06: '1795235062.25',
  s07: '1795235085.27',
  s09: '1795235183.36',
  s10: '1795235377.75',
  s11: '1795235235.41',
  s13: '1795235552.97',
  s14: '1795235572.99',
};
/** Burst (scenario 12): queue_log outcome per caller channel. */
const BURST = {
  support101: ['1795235269.45', '1795235270.51', '1795235270.55'], // A1 (102, 103 rung too), A3, A4: 101 answered
  support102: ['1795235269.46', '1795235269.48'], // B1 (103 rung too), C1: 102 answered
  support103: ['1795235269.47'], // A2: 103 answered
  sales102: ['1795235270.50'], // D1: 102 answered
  supportAbandoned: [
    '1795235270.49',
    '1795235270.52',
    '1795235270.53',
    '1795235270.56',
    '1795235270.57',
    '1795235270.60',
    '1795235270.61',
    '1795235270.63',
  ],
  supportMissed: ['1795235270.59'],
  salesMissed: ['1795235270.54', '1795235270.58', '1795235270.62', '1795235270.67'],
};
const ALL = [...Object.values(L), ...Object.values(BURST).flat()];
const SALES = [L.s04, ...BURST.sales102, ...BURST.salesMissed];
const SUPPORT = [
  L.s01,
  L.s03,
  L.s05,
  L.s09,
  L.s10,
  L.s11,
  ...BURST.support101,
  ...BURST.support102,
  ...BURST.support103,
  ...BURST.supportAbandoned,
  ...BURST.supportMissed,
];
/** 101 answered 01, 11, three burst calls and was rung in 03, 05, 09, 10; placed the internal call 13. */
const OP101 = [L.s01, L.s03, L.s05, L.s09, L.s10, L.s11, L.s13, ...BURST.support101];
/**
 * 102: rung in 01, 03, 04, 05, 09, 10 (took both transfers), 11, 13 (callee) and burst A1; placed
 * 06, 07; answered B1, C1, D1.
 */
const OP102 = [
  L.s01,
  L.s03,
  L.s04,
  L.s05,
  L.s06,
  L.s07,
  L.s09,
  L.s10,
  L.s11,
  L.s13,
  '1795235269.45',
  ...BURST.support102,
  ...BURST.sales102,
];
/** 103: answered 04 and A2; rung in 01, 03, 05, 09, 10, 11 and burst A1, B1. */
const OP103 = [
  L.s01,
  L.s03,
  L.s04,
  L.s05,
  L.s09,
  L.s10,
  L.s11,
  '1795235269.45',
  '1795235269.46',
  ...BURST.support103,
];

interface Summary {
  id: number;
  linkedid: string;
  status: string;
  queue: string | null;
  started_at: string;
  duration_sec: number;
  talk_sec: number;
  notes: string | null;
  version: number;
  card_complete: boolean;
}
interface ListBody {
  items: Summary[];
  total: number;
  nextCursor: string | null;
}
interface ErrorBody {
  error: string;
  message: string;
  details?: unknown;
}

let kit: ApiTestKit;
let admin: string;
let op101: string;
let op102: string;
let op103: string;
let salesSup: string;
let supportSup: string;
/** app.calls id by linkedid. */
const idOf = new Map<string, number>();
const dict = { sub1: 0, sub2: 0, tagVip: 0, tagSpam: 0, deletedPurpose: 0, deletedTag: 0 };

const db = () => kit.stores.postgres.db;
const json = async <T>(res: Response) => (await res.json()) as T;
const linkedids = (body: ListBody) => body.items.map((i) => i.linkedid).sort();
const sorted = (xs: string[]) => [...xs].sort();

async function list(token: string, params: Record<string, string> = {}) {
  const res = await kit.request(`/calls?${new URLSearchParams({ limit: '500', ...params })}`, { token });
  return { res, body: res.status === 200 ? await json<ListBody>(res) : null };
}

/** A fingerprint of everything the routes could write. */
async function snapshot() {
  const r = await sql<{ calls: string; outbox: number; audit: number; tags: number }>`
    SELECT (SELECT md5(string_agg(c::text, '|' ORDER BY c.id)) FROM app.calls c) AS calls,
           (SELECT count(*) FROM app.outbox)::int AS outbox,
           (SELECT count(*) FROM app.audit_log)::int AS audit,
           (SELECT count(*) FROM app.call_tag_links)::int AS tags`.execute(db());
  return r.rows[0];
}

async function card(token: string, linkedid: string) {
  const res = await kit.request(`/calls/${idOf.get(linkedid)}`, { token });
  expect(res.status).toBe(200);
  return json<Summary & Record<string, unknown>>(res);
}

function put(token: string, linkedid: string, body: unknown) {
  return kit.request(`/calls/${idOf.get(linkedid)}`, { method: 'PUT', token, json: body });
}

beforeAll(async () => {
  kit = await openApiTestKit();
  admin = (await kit.user({ login: 'boss', role: 'admin' })).token;
  op101 = (await kit.user({ login: 'op101', role: 'operator', endpoint: '101' })).token;
  op102 = (await kit.user({ login: 'op102', role: 'operator', endpoint: '102' })).token;
  op103 = (await kit.user({ login: 'op103', role: 'operator', endpoint: '103' })).token;
  salesSup = (await kit.user({ login: 'sup-sales', role: 'supervisor', queues: ['sales'] })).token;
  supportSup = (await kit.user({ login: 'sup-support', role: 'supervisor', queues: ['support'] })).token;
  for (const c of await db().selectFrom('app.calls').select(['id', 'linkedid']).execute())
    idOf.set(c.linkedid, c.id);

  const sub = (category_id: number, name: string) =>
    db()
      .insertInto('app.call_subcategories')
      .values({ category_id, name })
      .returning('id')
      .executeTakeFirstOrThrow();
  dict.sub1 = (await sub(1, 'Первичный приём')).id;
  dict.sub2 = (await sub(2, 'Сдача крови')).id;
  const tag = (name: string, deleted = false) =>
    db()
      .insertInto('app.call_tags')
      .values({ name, deleted_at: deleted ? new Date() : null })
      .returning('id')
      .executeTakeFirstOrThrow();
  dict.tagVip = (await tag('VIP')).id;
  dict.tagSpam = (await tag('Спам')).id;
  dict.deletedTag = (await tag('Старый тег', true)).id;
  dict.deletedPurpose = (
    await db()
      .insertInto('app.call_purposes')
      .values({ name: 'Устаревшая цель', deleted_at: new Date() })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
});
afterAll(async () => {
  await kit?.dispose();
});

describe('authentication', () => {
  it('answers 401 with the error body without a valid token', async () => {
    for (const [method, path] of [
      ['GET', '/calls'],
      ['GET', '/calls/1'],
      ['PUT', '/calls/1'],
      ['POST', '/calls'],
    ] as const) {
      const res = await kit.request(path, { method, json: method === 'GET' ? undefined : { version: 1 } });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect((await json<ErrorBody>(res)).error).toBe('unauthorized');
    }
    const forged = await kit.request('/calls', { token: `${admin.slice(0, -4)}AAAA` });
    expect(forged.status).toBe(401);
  });
});

describe('role scope', () => {
  it('the fixture holds the 31 calls the table above names', () => {
    expect(sorted([...idOf.keys()])).toEqual(sorted(ALL));
    expect(ALL).toHaveLength(31);
  });

  it('admin sees every call', async () => {
    const { body } = await list(admin);
    expect(body!.total).toBe(31);
    expect(linkedids(body!)).toEqual(sorted(ALL));
  });

  it.each([
    ['101', () => op101, OP101],
    ['102', () => op102, OP102],
    ['103', () => op103, OP103],
  ])('operator %s sees the calls they answered, placed or were rung for', async (_ep, token, expected) => {
    const { body } = await list(token());
    expect(linkedids(body!)).toEqual(sorted(expected));
    expect(body!.total).toBe(expected.length);
  });

  it('a supervisor sees the calls of their queues only', async () => {
    const sales = (await list(salesSup)).body!;
    expect(linkedids(sales)).toEqual(sorted(SALES));
    expect(sales.items.every((c) => c.queue === 'sales')).toBe(true);
    const support = (await list(supportSup)).body!;
    expect(linkedids(support)).toEqual(sorted(SUPPORT));
  });

  it('sees nothing on another server, without an endpoint or without queues', async () => {
    const secret = kit.config.jwtSecret;
    const other = await signAccessToken(
      { id: 9001, login: 'pbx2-op101', role: 'operator', endpoint: '101', serverId: 'pbx2', queues: [] },
      secret,
      600,
    );
    const otherSup = await signAccessToken(
      {
        id: 9002,
        login: 'pbx2-sup',
        role: 'supervisor',
        endpoint: null,
        serverId: 'pbx2',
        queues: ['sales'],
      },
      secret,
      600,
    );
    const noEndpoint = (await kit.user({ login: 'op-none', role: 'operator' })).token;
    const noQueues = (await kit.user({ login: 'sup-none', role: 'supervisor' })).token;
    for (const token of [other, otherSup, noEndpoint, noQueues]) {
      const { body } = await list(token);
      expect(body).toEqual({ items: [], total: 0, totalExact: true, nextCursor: null });
    }
    expect((await kit.request(`/calls/${idOf.get(L.s04)}`, { token: otherSup })).status).toBe(404);
  });

  it('answers 404, not 403, for a call outside the scope', async () => {
    // A3 of the burst: only 101 was rung.
    const onlyOp101 = idOf.get('1795235270.51');
    expect((await kit.request(`/calls/${onlyOp101}`, { token: op101 })).status).toBe(200);
    for (const token of [op102, op103, salesSup]) {
      const res = await kit.request(`/calls/${onlyOp101}`, { token });
      expect(res.status).toBe(404);
      expect((await json<ErrorBody>(res)).error).toBe('not_found');
    }
    expect((await kit.request(`/calls/${idOf.get(L.s04)}`, { token: supportSup })).status).toBe(404);
    expect((await kit.request('/calls/999999', { token: admin })).status).toBe(404);
    expect((await kit.request('/calls/abc', { token: admin })).status).toBe(400);
  });
});

describe('GET /calls/:id', () => {
  it('returns the card with attempts, transfers, segments and holds', async () => {
    const c = await card(admin, L.s10);
    expect(c).toMatchObject({
      linkedid: L.s10,
      status: 'answered',
      queue: 'support',
      operator_endpoint: '102',
      version: 1,
      card_complete: false,
      manual: false,
      has_recording: true,
    });
    const attempts = c.attempts as { operator_endpoint: string; outcome: string }[];
    expect(attempts.map((a) => `${a.operator_endpoint}:${a.outcome}`)).toEqual([
      '101:answered',
      '102:canceled',
      '103:canceled',
      '102:answered',
    ]);
    expect(c.transfers).toHaveLength(1);
    expect(c.segments).toHaveLength(2);
    expect(c.holds).toHaveLength(1);
    expect((await card(op103, L.s01)).attempts).toHaveLength(3);
  });
});

describe('GET /calls/:id/explain', () => {
  interface Explanation {
    call: Record<string, unknown>;
    cel: { id: number; event_type: string; uniqueid: string; linkedid: string; channel: string }[];
    cdr: { id: number; linkedid: string }[];
    decisions: { field: string; value: unknown; rule: string; evidence: number[] }[];
  }

  it('gives the card, its CEL and CDR rows, and the rule and rows behind each decision', async () => {
    const res = await kit.request(`/calls/${idOf.get(L.s10)}/explain`, { token: admin });
    expect(res.status).toBe(200);
    const e = await json<Explanation>(res);
    expect(Object.keys(e).sort()).toEqual(['call', 'cdr', 'cel', 'decisions']);
    expect(e.call).toEqual(await card(admin, L.s10));
    const linkedids = e.call.linkedids as string[];
    expect(e.cel.length).toBeGreaterThan(20);
    expect(e.cel.every((r) => linkedids.includes(r.linkedid))).toBe(true);
    expect(e.cdr.length).toBeGreaterThan(0);
    expect(e.cdr.every((r) => linkedids.includes(r.linkedid))).toBe(true);

    const celById = new Map(e.cel.map((r) => [r.id, r]));
    const decision = (field: string) => e.decisions.find((d) => d.field === field)!;
    // Scenario 10: the caller was bridged with 101, who transferred (attended) to 102.
    expect(decision('status')).toMatchObject({ value: 'answered', rule: 'docs/reconciliation.md#status' });
    expect(decision('status').evidence.map((id) => celById.get(id)?.event_type)).toEqual([
      'BRIDGE_ENTER',
      'BRIDGE_ENTER',
    ]);
    expect(decision('direction')).toMatchObject({
      value: 'inbound',
      rule: 'docs/reconciliation.md#direction',
    });
    expect(decision('operator')).toMatchObject({
      value: '102',
      rule: 'docs/reconciliation.md#numbers-and-operator',
    });
    expect(
      decision('operator').evidence.some((id) => celById.get(id)?.channel.startsWith('PJSIP/102-')),
    ).toBe(true);
    const attempts = e.call.attempts as { outcome: string }[];
    attempts.forEach((a, i) => {
      const d = decision(`attempts[${i}]`);
      expect(d).toMatchObject({ value: a.outcome, rule: 'docs/reconciliation.md#attempts' });
      expect(d.evidence.map((id) => celById.get(id)?.event_type)).toContain('CHAN_START');
    });
    const transfer = decision('transfers[0]');
    expect(transfer).toMatchObject({ value: '102', rule: 'docs/reconciliation.md#transfers' });
    expect(transfer.evidence.map((id) => celById.get(id)?.event_type)).toEqual(['ATTENDEDTRANSFER']);
    // Every cited row is one of the rows shown.
    for (const d of e.decisions) for (const id of d.evidence) expect(celById.has(id)).toBe(true);
  });

  it('explains an unanswered call from its offer and hangup rows', async () => {
    const e = await json<Explanation>(
      await kit.request(`/calls/${idOf.get(L.s03)}/explain`, { token: admin }),
    );
    const status = e.decisions.find((d) => d.field === 'status')!;
    expect(status.value).toBe('abandoned');
    const types = status.evidence.map((id) => e.cel.find((r) => r.id === id)?.event_type);
    expect(types).toContain('APP_START');
    expect(types).toContain('HANGUP');
  });

  it('answers 404 outside the scope and 400 for a bad id', async () => {
    const onlyOp101 = idOf.get('1795235270.51');
    expect((await kit.request(`/calls/${onlyOp101}/explain`, { token: op101 })).status).toBe(200);
    expect((await kit.request(`/calls/${onlyOp101}/explain`, { token: op102 })).status).toBe(404);
    expect((await kit.request(`/calls/${idOf.get(L.s04)}/explain`, { token: supportSup })).status).toBe(404);
    expect((await kit.request('/calls/999999/explain', { token: admin })).status).toBe(404);
    expect((await kit.request('/calls/abc/explain', { token: admin })).status).toBe(400);
  });
});

describe('GET /calls filters', () => {
  it('filters by status, queue, direction, operator, number and time', async () => {
    const abandoned = (await list(admin, { status: 'abandoned' })).body!;
    expect(linkedids(abandoned)).toEqual(sorted([L.s03, L.s14, ...BURST.supportAbandoned]));
    expect(abandoned.total).toBe(10);

    expect(linkedids((await list(admin, { queue: 'sales' })).body!)).toEqual(sorted(SALES));
    expect(linkedids((await list(admin, { direction: 'outbound' })).body!)).toEqual(sorted([L.s06, L.s07]));
    expect(linkedids((await list(admin, { operator: '101' })).body!)).toEqual(
      sorted([L.s01, L.s11, L.s13, ...BURST.support101]),
    );
    // Scenario 01's caller, as people type it; 102 is the caller of 06/07 and the callee of 13.
    expect(linkedids((await list(admin, { number: '+7 (916) 123-45-67' })).body!)).toEqual([L.s01]);
    expect(linkedids((await list(admin, { number: '102' })).body!)).toEqual(sorted([L.s06, L.s07, L.s13]));
    // Scenario 11 (04:27:15) and the burst (04:27:49-50); `to` is exclusive.
    const window = (await list(admin, { from: '2026-11-21T04:27:00Z', to: '2026-11-21T04:28:00Z' })).body!;
    expect(linkedids(window)).toEqual(sorted([L.s11, ...Object.values(BURST).flat()]));
    const edge = (await list(admin, { from: '2026-11-21T04:21:00Z', to: '2026-11-21T04:21:48.957Z' })).body!;
    expect(edge.total).toBe(0);
    // Filters combine, and with the scope.
    const combined = (await list(supportSup, { status: 'answered', operator: '102' })).body!;
    expect(linkedids(combined)).toEqual(sorted([L.s09, L.s10, ...BURST.support102]));
    expect((await list(salesSup, { operator: '101' })).body!.total).toBe(0);
  });

  it('filters by the IVR choice (docs/reconciliation.md#ivr-choice); `-` = no choice', async () => {
    // The READMEs: 2 leads to sales (scenario 04, burst group D), 1 to support; 06, 07 (outbound),
    // 13 (internal) had no menu and 14 hung up in it.
    expect(linkedids((await list(admin, { ivr_choice: '2' })).body!)).toEqual(sorted(SALES));
    const none = (await list(admin, { ivr_choice: '-' })).body!;
    expect(linkedids(none)).toEqual(sorted([L.s06, L.s07, L.s13, L.s14]));
    const one = (await list(admin, { ivr_choice: '1' })).body!;
    expect(one.total).toBe(ALL.length - SALES.length - 4);
    expect((one.items as unknown as { ivr_choice: string }[]).every((c) => c.ivr_choice === '1')).toBe(true);
    expect((await list(admin, { ivr_choice: '1', did: '74951234567', queue: 'sales' })).body!.total).toBe(0);
    expect((await list(admin, { ivr_choice: 'x'.repeat(201) })).res.status).toBe(400);
  });

  it('rejects invalid filters with 400 and the error body', async () => {
    const invalid: Record<string, string>[] = [
      { limit: '0' },
      { limit: '501' },
      { limit: 'ten' },
      { status: 'lost' },
      { direction: 'sideways' },
      { sort: 'linkedid' },
      { order: 'up' },
      { card: 'done' },
      { needs_callback: 'yes' },
      { purpose_id: '0' },
      { tag_id: '1.5' },
      { number: 'abc' },
      { from: 'yesterday' },
      { from: '2026-11-21T05:00:00Z', to: '2026-11-21T04:00:00Z' },
      { from: '2025-01-01T00:00:00Z', to: '2026-11-21T00:00:00Z' },
      { cursor: 'not a cursor!' },
      { cursor: Buffer.from('{"a":1}').toString('base64url') },
      { unknown: '1' },
    ];
    for (const params of invalid) {
      const res = await kit.request(`/calls?${new URLSearchParams(params)}`, { token: admin });
      expect(res.status, JSON.stringify(params)).toBe(400);
      expect((await json<ErrorBody>(res)).error).toBe('validation_failed');
    }
    const repeated = await kit.request('/calls?status=answered&status=busy', { token: admin });
    expect(repeated.status).toBe(400);
  });
});

describe('keyset pagination', () => {
  async function allPages(token: string, params: Record<string, string>) {
    const seen: Summary[] = [];
    const totals = new Set<number>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const { res, body } = await list(token, { ...params, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      totals.add(body!.total);
      seen.push(...body!.items);
      cursor = body!.nextCursor;
      pages++;
      expect(pages).toBeLessThan(100);
    } while (cursor);
    expect([...totals]).toEqual([seen.length]);
    return { seen, pages };
  }

  it('walks every call once, newest first, with the total on every page', async () => {
    const totals = new Set<number>();
    let cursor: string | null = null;
    const seen: Summary[] = [];
    do {
      const { body } = await list(admin, { limit: '7', ...(cursor ? { cursor } : {}) });
      totals.add(body!.total);
      seen.push(...body!.items);
      cursor = body!.nextCursor;
    } while (cursor);
    expect([...totals]).toEqual([31]);
    expect(seen).toHaveLength(31);
    expect(new Set(seen.map((c) => c.id)).size).toBe(31);
    const times = seen.map((c) => c.started_at);
    expect(times).toEqual([...times].sort().reverse());
  });

  it.each([
    ['duration_sec', 'asc', '2'],
    ['wait_sec', 'desc', '3'],
    ['talk_sec', 'asc', '4'],
    ['started_at', 'asc', '5'],
  ])('is stable under ties: sort=%s order=%s limit=%s', async (sort, order, limit) => {
    const { body: one } = await list(admin, { sort, order });
    const key = (c: Summary) => (c as unknown as Record<string, number | string>)[sort]!;
    // Reference order: (sort value, id), both in the requested direction.
    const expected = [...one!.items].sort((a, b) => {
      const d = key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id - b.id;
      return order === 'asc' ? d : -d;
    });
    expect(one!.items.map((c) => c.id)).toEqual(expected.map((c) => c.id));
    const { seen, pages } = await allPages(admin, { sort, order, limit });
    expect(seen.map((c) => c.id)).toEqual(expected.map((c) => c.id));
    expect(pages).toBe(Math.ceil(31 / Number(limit)));
  });

  it('pages within the scope and filters, and refuses a cursor of another sort', async () => {
    const { seen } = await allPages(op102, { limit: '4', status: 'answered' });
    expect(seen.map((c) => c.linkedid).sort()).toEqual(
      sorted([
        L.s01,
        L.s04,
        L.s06,
        L.s09,
        L.s10,
        L.s11,
        L.s13,
        '1795235269.45',
        ...BURST.support102,
        ...BURST.sales102,
      ]),
    );
    const { body } = await list(admin, { limit: '2' });
    const res = await kit.request(`/calls?sort=duration_sec&cursor=${body!.nextCursor}`, { token: admin });
    expect(res.status).toBe(400);
  });
});

describe('injection strings', () => {
  const NASTY = ["' OR 1=1 --", '%', '\\', '1; DROP TABLE app.calls; --', '%_\\%'];
  const PARAMS = [
    'from',
    'to',
    'operator',
    'queue',
    'status',
    'direction',
    'purpose_id',
    'category_id',
    'subcategory_id',
    'tag_id',
    'needs_callback',
    'card',
    'number',
    'q',
    'sort',
    'order',
    'limit',
    'cursor',
  ];

  it('answers 400 or an empty list, never 500, and changes nothing', async () => {
    const before = await snapshot();
    for (const name of PARAMS) {
      for (const value of NASTY) {
        for (const token of [admin, op101]) {
          const res = await kit.request(`/calls?${new URLSearchParams({ [name]: value })}`, { token });
          const body = (await res.json()) as ListBody & ErrorBody;
          if (res.status === 200) {
            expect(body.items, `${name}=${value}`).toEqual([]);
            expect(body.total).toBe(0);
          } else {
            expect(res.status, `${name}=${value}`).toBe(400);
            expect(body.error).toBe('validation_failed');
          }
        }
      }
    }
    for (const value of NASTY) {
      const res = await kit.request(`/calls/${encodeURIComponent(value)}`, { token: admin });
      expect([400, 404]).toContain(res.status);
      const putRes = await kit.request(`/calls/${encodeURIComponent(value)}`, {
        method: 'PUT',
        token: admin,
        json: { version: 1, notes: value },
      });
      expect([400, 404]).toContain(putRes.status);
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe('PUT /calls/:id', () => {
  it('saves a card: version + 1, outbox row, audit row with the changed fields', async () => {
    const id = idOf.get(L.s01)!;
    const res = await put(op101, L.s01, {
      purpose_id: 1,
      category_id: 1,
      subcategory_id: dict.sub1,
      tag_ids: [dict.tagVip],
      notes: 'Записан на приём к терапевту',
      needs_callback: true,
      resolved_first_call: true,
      complete: true,
      version: 1,
    });
    expect(res.status).toBe(200);
    const saved = await json<Record<string, unknown>>(res);
    expect(saved).toMatchObject({
      id,
      version: 2,
      purpose_id: 1,
      purpose_name: 'Запись на приём',
      category_name: 'Медицинские услуги',
      subcategory_name: 'Первичный приём',
      tags: [{ id: dict.tagVip, name: 'VIP' }],
      needs_callback: true,
      resolved_first_call: true,
      card_complete: true,
      card_updated_by: 'op101',
    });
    expect(saved.card_completed_at).toEqual(expect.any(String));
    expect((saved.attempts as unknown[]).length).toBe(3);

    const row = await db()
      .selectFrom('app.calls')
      .select(['version', 'notes', 'card_completed_at', 'card_updated_at', 'card_updated_by'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.version).toBe(2);
    expect(row.card_completed_at).toBeInstanceOf(Date);
    expect(row.card_updated_by).toBe('op101');
    const outbox = await db()
      .selectFrom('app.outbox')
      .select(['call_id', 'version'])
      .where('call_id', '=', id)
      .execute();
    expect(outbox).toEqual([{ call_id: id, version: 2 }]);
    const audit = await db()
      .selectFrom('app.audit_log')
      .select(['login', 'action', 'target', 'details'])
      .where('target', '=', `call:${id}`)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ login: 'op101', action: 'card_edit', target: `call:${id}` });
    const details = audit[0]!.details as {
      version: number;
      changes: Record<string, { from: unknown; to: unknown }>;
    };
    expect(details.version).toBe(2);
    expect(Object.keys(details.changes).sort()).toEqual(
      [
        'category_id',
        'complete',
        'needs_callback',
        'notes',
        'purpose_id',
        'resolved_first_call',
        'subcategory_id',
        'tag_ids',
      ].sort(),
    );
    expect(details.changes.purpose_id).toEqual({ from: null, to: 1 });

    // The edit shows in the list filters.
    expect(linkedids((await list(admin, { card: 'complete' })).body!)).toEqual([L.s01]);
    const incomplete = (await list(admin, { card: 'incomplete' })).body!;
    expect(incomplete.total).toBe(30);
    expect(incomplete.items.some((c) => c.linkedid === L.s01)).toBe(false);
    expect(linkedids((await list(admin, { tag_id: String(dict.tagVip) })).body!)).toEqual([L.s01]);
    expect(linkedids((await list(admin, { needs_callback: 'true' })).body!)).toEqual([L.s01]);
    expect(linkedids((await list(admin, { subcategory_id: String(dict.sub1) })).body!)).toEqual([L.s01]);
    expect(linkedids((await list(op101, { q: 'ТЕРАПЕВТ' })).body!)).toEqual([L.s01]);
  });

  it('answers 409 with the current version and card when the version is stale', async () => {
    const before = await snapshot();
    const res = await put(op102, L.s01, { notes: 'my late edit', version: 1 });
    expect(res.status).toBe(409);
    const body = await json<ErrorBody & { details: { currentVersion: number; card: Summary } }>(res);
    expect(body.error).toBe('conflict');
    expect(body.details.currentVersion).toBe(2);
    expect(body.details.card).toMatchObject({
      linkedid: L.s01,
      version: 2,
      notes: 'Записан на приём к терапевту',
    });
    expect(await snapshot()).toEqual(before);
  });

  it('needs purpose, category and notes to complete a card (422 naming them)', async () => {
    const before = await snapshot();
    let res = await put(op102, L.s06, { complete: true, notes: '   ', version: 1 });
    expect(res.status).toBe(422);
    let body = await json<ErrorBody & { details: { missing: string[] } }>(res);
    expect(body.error).toBe('validation_failed');
    expect(body.details.missing).toEqual(['purpose_id', 'category_id', 'notes']);
    res = await put(op102, L.s06, { complete: true, purpose_id: 3, notes: 'Консультация', version: 1 });
    expect(res.status).toBe(422);
    body = await json(res);
    expect(body.details.missing).toEqual(['category_id']);
    // Removing notes from a complete card is refused too.
    res = await put(op101, L.s01, { notes: null, version: 2 });
    expect(res.status).toBe(422);
    expect((await json<{ details: { missing: string[] } }>(res)).details.missing).toEqual(['notes']);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a sub-category of another category (400) and unknown or deleted entries (422)', async () => {
    const before = await snapshot();
    let res = await put(op102, L.s06, { category_id: 2, subcategory_id: dict.sub1, version: 1 });
    expect(res.status).toBe(400);
    expect((await json<ErrorBody>(res)).details).toMatchObject({ subcategory_id: dict.sub1, category_id: 2 });
    res = await put(op102, L.s06, { subcategory_id: dict.sub2, version: 1 });
    expect(res.status).toBe(400);

    res = await put(op102, L.s06, {
      purpose_id: dict.deletedPurpose,
      category_id: 999_999,
      tag_ids: [dict.tagSpam, dict.deletedTag],
      version: 1,
    });
    expect(res.status).toBe(422);
    const body = await json<ErrorBody & { details: { fields: { field: string; id: number }[] } }>(res);
    expect(body.details.fields).toEqual([
      expect.objectContaining({ field: 'purpose_id', id: dict.deletedPurpose }),
      expect.objectContaining({ field: 'category_id', id: 999_999 }),
      expect.objectContaining({ field: 'tag_ids', id: dict.deletedTag }),
    ]);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses unknown fields, wrong types and a missing version with 400', async () => {
    const before = await snapshot();
    for (const body of [
      { version: 1, notes: 'x', operator_endpoint: '102' },
      { version: 1, card_completed_at: '2026-01-01T00:00:00Z' },
      { notes: 'no version' },
      { version: '1' },
      { version: 1, purpose_id: '1' },
      { version: 1, tag_ids: [1, 1] },
      { version: 1, needs_callback: 'yes' },
      { version: 1, notes: 'x'.repeat(4001) },
    ]) {
      const res = await put(op102, L.s06, body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect((await json<ErrorBody>(res)).error).toBe('validation_failed');
    }
    const malformed = await kit.request(`/calls/${idOf.get(L.s06)}`, {
      method: 'PUT',
      token: op102,
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect(await snapshot()).toEqual(before);
  });

  it('lets operators edit only calls in their scope (404 otherwise)', async () => {
    const before = await snapshot();
    const res = await put(op103, L.s06, { notes: 'not mine', version: 1 });
    expect(res.status).toBe(404);
    expect((await put(salesSup, L.s01, { notes: 'not my queue', version: 2 })).status).toBe(404);
    expect(await snapshot()).toEqual(before);
    // The supervisor of sales may edit a sales call.
    const ok = await put(salesSup, L.s04, {
      notes: 'Перезвонить по прайсу',
      needs_callback: true,
      version: 1,
    });
    expect(ok.status).toBe(200);
    expect((await json<Summary>(ok)).version).toBe(2);
  });

  it('keeps an entry deleted since it was set, reopens a card, and skips a save that changes nothing', async () => {
    const id = idOf.get(L.s01)!;
    await db()
      .updateTable('app.call_subcategories')
      .set({ deleted_at: new Date() })
      .where('id', '=', dict.sub1)
      .execute();
    let res = await put(op101, L.s01, { notes: 'Записан к терапевту на пятницу', version: 2 });
    expect(res.status).toBe(200);
    let saved = await json<Summary & { subcategory_name: string; card_completed_at: string | null }>(res);
    expect(saved).toMatchObject({ version: 3, subcategory_name: 'Первичный приём', card_complete: true });

    const before = await snapshot();
    res = await put(op101, L.s01, {
      notes: 'Записан к терапевту на пятницу',
      tag_ids: [dict.tagVip],
      version: 3,
    });
    expect(res.status).toBe(200);
    expect((await json<Summary>(res)).version).toBe(3);
    expect(await snapshot()).toEqual(before);

    res = await put(op101, L.s01, { complete: false, tag_ids: [], version: 3 });
    expect(res.status).toBe(200);
    saved = await json(res);
    expect(saved).toMatchObject({ version: 4, card_complete: false, card_completed_at: null, tags: [] });
    const outbox = await db()
      .selectFrom('app.outbox')
      .select('version')
      .where('call_id', '=', id)
      .orderBy('id')
      .execute();
    expect(outbox.map((o) => o.version)).toEqual([2, 3, 4]);
  });

  it('finds notes by text with % and _ taken literally', async () => {
    const a = await card(admin, L.s07);
    const b = await card(admin, L.s13);
    expect((await put(admin, L.s07, { notes: 'Скидка 100% согласована', version: a.version })).status).toBe(
      200,
    );
    expect((await put(admin, L.s13, { notes: 'see ticket_42 \\ urgent', version: b.version })).status).toBe(
      200,
    );
    expect(linkedids((await list(admin, { q: '%' })).body!)).toEqual([L.s07]);
    expect(linkedids((await list(admin, { q: '_' })).body!)).toEqual([L.s13]);
    expect(linkedids((await list(admin, { q: '\\' })).body!)).toEqual([L.s13]);
    expect(linkedids((await list(admin, { q: 'скидка' })).body!)).toEqual([L.s07]);
    expect((await list(admin, { q: "' OR 1=1 --" })).body!.total).toBe(0);
    // Operator 101 is not in scenario 07.
    expect((await list(op101, { q: 'Скидка' })).body!.total).toBe(0);
  });
});

describe('POST /calls', () => {
  const base = {
    direction: 'inbound',
    started_at: '2026-11-21T05:10:00+03:00',
    src_number: '+7 926 555-00-11',
  };

  it('creates a manual call for an operator, visible to them only', async () => {
    const res = await kit.request('/calls', {
      method: 'POST',
      token: op101,
      json: {
        ...base,
        duration_sec: 95,
        purpose_id: 3,
        category_id: 1,
        notes: 'Звонок на мобильный',
        complete: true,
      },
    });
    expect(res.status).toBe(201);
    const created = await json<Record<string, unknown> & Summary>(res);
    expect(created.linkedid).toMatch(/^manual-[0-9a-f-]{36}$/);
    expect(created).toMatchObject({
      server_id: 'pbx1',
      direction: 'inbound',
      status: 'answered',
      started_at: '2026-11-21T02:10:00.000Z',
      ended_at: '2026-11-21T02:11:35.000Z',
      duration_sec: 95,
      talk_sec: 95,
      src_number: '79265550011',
      operator_endpoint: '101',
      closed_by: 'manual',
      manual: true,
      card_complete: true,
      purpose_name: 'Консультация по услугам',
      version: 1,
      attempts: [],
    });
    const row = await db()
      .selectFrom('app.calls')
      .select(['reconciler_version', 'derived_hash', 'operator_id', 'uniqueid'])
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      reconciler_version: 'manual',
      derived_hash: 'manual',
      uniqueid: created.linkedid,
    });
    expect(row.operator_id).toEqual(expect.any(Number));
    expect(
      await db()
        .selectFrom('app.outbox')
        .select(['call_id', 'version'])
        .where('call_id', '=', created.id)
        .execute(),
    ).toEqual([{ call_id: created.id, version: 1 }]);
    const audit = await db()
      .selectFrom('app.audit_log')
      .select(['action', 'login'])
      .where('target', '=', `call:${created.id}`)
      .execute();
    expect(audit).toEqual([{ action: 'card_create', login: 'op101' }]);

    expect(linkedids((await list(op101, { number: '79265550011' })).body!)).toEqual([created.linkedid]);
    expect((await kit.request(`/calls/${created.id}`, { token: op102 })).status).toBe(404);
    expect((await list(admin)).body!.total).toBe(32);
  });

  it('keeps a supervisor’s call in their queues', async () => {
    const mine = await kit.request('/calls', {
      method: 'POST',
      token: salesSup,
      json: { ...base, queue: 'sales' },
    });
    expect(mine.status).toBe(201);
    const created = await json<Summary>(mine);
    expect(created.queue).toBe('sales');
    expect((await kit.request(`/calls/${created.id}`, { token: salesSup })).status).toBe(200);
    expect((await kit.request(`/calls/${created.id}`, { token: supportSup })).status).toBe(404);

    const before = await snapshot();
    const other = await kit.request('/calls', {
      method: 'POST',
      token: salesSup,
      json: { ...base, queue: 'support' },
    });
    expect(other.status).toBe(403);
    const none = await kit.request('/calls', { method: 'POST', token: salesSup, json: base });
    expect(none.status).toBe(422);
    const unknownQueue = await kit.request('/calls', {
      method: 'POST',
      token: admin,
      json: { ...base, queue: 'nope' },
    });
    expect(unknownQueue.status).toBe(422);
    expect(await snapshot()).toEqual(before);
  });

  it('validates the body like PUT', async () => {
    const before = await snapshot();
    const cases: [unknown, number][] = [
      [{ ...base, linkedid: 'mine' }, 400],
      [{ ...base, status: 'missed' }, 400],
      [{ direction: 'inbound', started_at: base.started_at }, 400],
      [{ ...base, src_number: "' OR 1=1 --" }, 400],
      [{ ...base, started_at: 'today' }, 400],
      [{ ...base, duration_sec: -1 }, 400],
      [{ ...base, complete: true, notes: 'x' }, 422],
      [{ ...base, category_id: 2, subcategory_id: dict.sub2, purpose_id: dict.deletedPurpose }, 422],
      [{ ...base, category_id: 1, subcategory_id: dict.sub2 }, 400],
      [{ ...base, started_at: '2099-01-01T00:00:00Z' }, 422],
    ];
    for (const [body, status] of cases) {
      const res = await kit.request('/calls', { method: 'POST', token: op102, json: body });
      expect(res.status, JSON.stringify(body)).toBe(status);
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe('OpenAPI', () => {
  it('documents the call routes', async () => {
    const doc = await json<{ paths: Record<string, Record<string, unknown>> }>(
      await kit.request('/openapi.json'),
    );
    expect(Object.keys(doc.paths['/calls']!).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/calls/{id}']!).sort()).toEqual(['get', 'put']);
  });
});
