import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { LiveBus } from '../src/live/live-bus.ts';
import { type ApiTestKit, openApiTestKit } from './support/api-test-kit.ts';
import { SseReader } from './support/sse-reader.ts';

/**
 * Operator presence without AMI (the demo): recorded and reported, `asterisk.applied: false`.
 * Over the bundled captures' calls, whose history makes the queue membership: `support` rang 101,
 * 102 and 103, `sales` rang 102 and 103 (AgentCalled in the captures' ami.jsonl). Operator 103's
 * intervals are written by hand for the report, whose figures are computed here by hand.
 */

interface Presence {
  operatorId: number;
  serverId: string;
  endpoint: string;
  name: string;
  state: string;
  reason: string | null;
  reasonLabel: string | null;
  since: string;
  asterisk?: { applied: boolean; reason: string | null };
}

let kit: ApiTestKit;
let bus: LiveBus;
let app: ReturnType<typeof createApp>;
const tokens: Record<string, string> = {};
const ids: Record<string, number> = {};

const db = () => kit.stores.postgres.db;

async function send(path: string, who: string, init: { method?: string; json?: unknown } = {}) {
  const headers: Record<string, string> = { authorization: `Bearer ${tokens[who]}` };
  let body: string | undefined;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  }
  return app.request(path, { method: init.method ?? 'GET', headers, body });
}

async function json<T>(res: Response | Promise<Response>, status = 200): Promise<T> {
  const r = await res;
  const text = await r.text();
  expect(r.status, text).toBe(status);
  return JSON.parse(text) as T;
}

const intervalsOf = (operatorId: number) =>
  db()
    .selectFrom('app.operator_presence')
    .selectAll()
    .where('operator_id', '=', operatorId)
    .orderBy('started_at')
    .execute();

/** A stream's presence events, read as they come. */
class Sse extends SseReader {
  presence(): Presence[] {
    return this.of('presence.changed').map((e) => (JSON.parse(e.data) as { presence: Presence }).presence);
  }

  async until(check: () => boolean) {
    const end = Date.now() + 10_000;
    while (!check()) {
      if (Date.now() > end) throw new Error(`timed out; got ${JSON.stringify(this.events)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

beforeAll(async () => {
  kit = await openApiTestKit();
  bus = new LiveBus();
  app = createApp({
    db: db(),
    pool: kit.stores.postgres.pool,
    clickhouse: kit.stores.clickhouse,
    config: kit.config,
    live: bus,
    log: () => {},
  });
  const users = [
    { login: 'p-op101', role: 'operator', endpoint: '101' },
    { login: 'p-op102', role: 'operator', endpoint: '102' },
    { login: 'p-op103', role: 'operator', endpoint: '103' },
    { login: 'p-op199', role: 'operator', endpoint: '199' },
    { login: 'p-sup-support', role: 'supervisor', queues: ['support'] },
    { login: 'p-sup-sales', role: 'supervisor', queues: ['sales'] },
    { login: 'p-admin', role: 'admin' },
  ] as const;
  for (const spec of users) tokens[spec.login] = (await kit.user(spec as never)).token;
  for (const o of await db().selectFrom('app.operators').select(['id', 'endpoint']).execute()) {
    ids[o.endpoint] = o.id;
  }
}, 120_000);

afterAll(async () => {
  await bus?.close();
  await kit?.dispose();
});

describe('GET /presence/reasons', () => {
  it('lists the seeded reasons with their Russian labels, in display order', async () => {
    const body = await json<{ reasons: { code: string; label: string }[] }>(
      send('/presence/reasons', 'p-op101'),
    );
    expect(body.reasons).toEqual([
      { code: 'lunch', label: 'Обед' },
      { code: 'break', label: 'Перерыв' },
      { code: 'after_call_work', label: 'Постобработка вызова' },
      { code: 'training', label: 'Обучение' },
      { code: 'meeting', label: 'Совещание' },
      { code: 'technical', label: 'Технические проблемы' },
      { code: 'other', label: 'Другое' },
    ]);
  });
});

describe('pause reasons managed by admins', () => {
  it('adds, relabels, reorders, removes and restores a reason, audited; operators may not', async () => {
    const reasonsList = async () =>
      (await json<{ reasons: { code: string; label: string }[] }>(send('/presence/reasons', 'p-op101')))
        .reasons;
    await json(
      send('/presence/reasons', 'p-op101', { method: 'POST', json: { code: 'coaching', label: 'X' } }),
      403,
    );
    await json(
      send('/presence/reasons', 'p-sup-support', { method: 'POST', json: { code: 'coaching', label: 'X' } }),
      403,
    );
    for (const code of ['Coaching', 'offline', '1st', 'a-b', 'x'.repeat(33)]) {
      await json(send('/presence/reasons', 'p-admin', { method: 'POST', json: { code, label: 'X' } }), 400);
    }
    const created = await json(
      send('/presence/reasons', 'p-admin', {
        method: 'POST',
        json: { code: 'coaching', label: 'Наставничество', sortOrder: 35 },
      }),
      201,
    );
    expect(created).toEqual({ code: 'coaching', label: 'Наставничество', sortOrder: 35 });
    await json(
      send('/presence/reasons', 'p-admin', { method: 'POST', json: { code: 'coaching', label: 'Y' } }),
      409,
    );
    expect((await reasonsList()).map((r) => r.code).slice(2, 5)).toEqual([
      'after_call_work',
      'coaching',
      'training',
    ]);

    await json(
      send('/presence/reasons/coaching', 'p-admin', {
        method: 'PATCH',
        json: { label: 'Коучинг', sortOrder: 5 },
      }),
    );
    expect((await reasonsList())[0]).toEqual({ code: 'coaching', label: 'Коучинг' });
    await json(send('/presence/reasons/coaching', 'p-admin', { method: 'PATCH', json: {} }), 400);
    await json(send('/presence/reasons/nope', 'p-admin', { method: 'PATCH', json: { label: 'Z' } }), 404);

    const removed = await send('/presence/reasons/coaching', 'p-admin', { method: 'DELETE' });
    expect(removed.status).toBe(204);
    expect((await reasonsList()).map((r) => r.code)).not.toContain('coaching');
    await json(send('/presence/reasons/coaching', 'p-admin', { method: 'DELETE' }), 404);
    // A removed reason is not one to pause with.
    await json(
      send('/me/presence', 'p-op101', { method: 'PUT', json: { state: 'paused', reason: 'coaching' } }),
      400,
    );
    // Adding the code again restores it.
    await json(
      send('/presence/reasons', 'p-admin', {
        method: 'POST',
        json: { code: 'coaching', label: 'Коучинг 2' },
      }),
      201,
    );
    expect((await reasonsList()).find((r) => r.code === 'coaching')).toEqual({
      code: 'coaching',
      label: 'Коучинг 2',
    });

    const audited = await db()
      .selectFrom('app.audit_log')
      .select(['login', 'target', 'details'])
      .where('action', '=', 'presence_reason_change')
      .orderBy('id')
      .execute();
    expect(audited.map((r) => [r.login, r.target, (r.details as { op: string }).op])).toEqual([
      ['p-admin', 'presence_reasons:coaching', 'create'],
      ['p-admin', 'presence_reasons:coaching', 'update'],
      ['p-admin', 'presence_reasons:coaching', 'delete'],
      ['p-admin', 'presence_reasons:coaching', 'restore'],
    ]);
    // Leave the seeded list as the other tests expect it.
    await db().deleteFrom('app.presence_reasons').where('code', '=', 'coaching').execute();
  });
});

describe('GET /presence scope', () => {
  const endpoints = async (who: string) =>
    (await json<{ operators: Presence[] }>(send('/presence', who))).operators.map((o) => o.endpoint);

  it('admin: every operator; supervisor: the members of their queues; operator: themself', async () => {
    expect(await endpoints('p-admin')).toEqual(['101', '102', '103']);
    expect(await endpoints('p-sup-support')).toEqual(['101', '102', '103']);
    expect(await endpoints('p-sup-sales')).toEqual(['102', '103']);
    expect(await endpoints('p-op101')).toEqual(['101']);
    expect(await endpoints('p-op199')).toEqual([]);
    expect((await app.request('/presence')).status).toBe(401);
  });

  it('an operator never set, unknown to Asterisk, is offline since they were registered', async () => {
    const [me] = (await json<{ operators: Presence[] }>(send('/presence', 'p-op102'))).operators;
    const row = await db()
      .selectFrom('app.operators')
      .selectAll()
      .where('id', '=', ids['102']!)
      .executeTakeFirstOrThrow();
    expect(me).toEqual({
      operatorId: ids['102'],
      serverId: 'pbx1',
      endpoint: '102',
      name: 'Operator 102',
      state: 'offline',
      reason: null,
      reasonLabel: null,
      since: new Date(row.created_at).toISOString(),
      recorded: false,
      registration: 'unknown',
    });
  });

  it('an operator never set whom Asterisk rings (registered, unpaused member) is available, not offline', async () => {
    const member = (queue: string, deviceStatus: number, paused = false) => ({
      server_id: 'pbx1',
      queue,
      interface: 'PJSIP/102',
      endpoint: '102',
      membership: 'static',
      paused,
      paused_reason: paused ? 'lunch' : null,
      device_status: deviceStatus,
    });
    const me = async () => (await json<{ operators: Presence[] }>(send('/presence', 'p-op102'))).operators[0];
    try {
      // AST_DEVICE_NOT_INUSE: registered and free.
      await db().insertInto('app.queue_members').values(member('support', 1)).execute();
      expect(await me()).toMatchObject({ state: 'available', recorded: false, registration: 'registered' });
      // Paused in Asterisk (a phone's feature code): paused with Asterisk's reason.
      await db().updateTable('app.queue_members').set({ paused: true, paused_reason: 'lunch' }).execute();
      expect(await me()).toMatchObject({ state: 'paused', reason: 'lunch', registration: 'registered' });
      // AST_DEVICE_UNAVAILABLE: not registered — offline, whatever the pause.
      await db().updateTable('app.queue_members').set({ paused: false, device_status: 5 }).execute();
      expect(await me()).toMatchObject({ state: 'offline', registration: 'unregistered' });
    } finally {
      await db().deleteFrom('app.queue_members').execute();
    }
  });
});

describe('PUT /me/presence', () => {
  it('refuses bad requests with 4xx and records nothing', async () => {
    const cases: [unknown, number, string][] = [
      [{ state: 'paused' }, 400, 'a pause needs a reason'],
      [{ state: 'paused', reason: 'nap' }, 400, 'unknown pause reason "nap"'],
      [
        { state: 'available', reason: 'lunch' },
        400,
        'a reason goes only with the state paused, not available',
      ],
      [{ state: 'away' }, 400, 'the request is not valid'],
      [{ state: 'available', extra: 1 }, 400, 'the request is not valid'],
    ];
    for (const [body, status, message] of cases) {
      const res = await json<{ error: string; message: string }>(
        send('/me/presence', 'p-op101', { method: 'PUT', json: body }),
        status,
      );
      expect(res.message, JSON.stringify(body)).toBe(message);
    }
    const unknown = await json<{ details: { reasons: string[] } }>(
      send('/me/presence', 'p-op101', { method: 'PUT', json: { state: 'paused', reason: 'nap' } }),
      400,
    );
    expect(unknown.details.reasons).toContain('after_call_work');
    expect(await intervalsOf(ids['101']!)).toEqual([]);
    // Not an operator's route; an operator user without a registered endpoint.
    await json(send('/me/presence', 'p-sup-support', { method: 'PUT', json: { state: 'available' } }), 403);
    const none = await json<{ error: string }>(
      send('/me/presence', 'p-op199', { method: 'PUT', json: { state: 'available' } }),
      409,
    );
    expect(none.error).toBe('not_an_operator');
  });

  it('records intervals with start and end that never overlap, and says the queue pause was not applied', async () => {
    const op = ids['101']!;
    const paused = await json<Presence>(
      send('/me/presence', 'p-op101', { method: 'PUT', json: { state: 'paused', reason: 'lunch' } }),
    );
    expect(paused).toMatchObject({
      operatorId: op,
      endpoint: '101',
      state: 'paused',
      reason: 'lunch',
      reasonLabel: 'Обед',
      asterisk: {
        applied: false,
        reason: 'AMI is not configured (AMI_HOST); the queue pause was not applied',
      },
    });
    const available = await json<Presence>(
      send('/me/presence', 'p-op101', { method: 'PUT', json: { state: 'available' } }),
    );
    expect(available).toMatchObject({ state: 'available', reason: null, reasonLabel: null });
    // The same again: no new interval.
    const again = await json<Presence>(
      send('/me/presence', 'p-op101', { method: 'PUT', json: { state: 'available' } }),
    );
    expect(again.since).toBe(available.since);

    const rows = await intervalsOf(op);
    expect(rows.map((r) => [r.state, r.reason_code, r.set_by_login, r.asterisk_applied])).toEqual([
      ['paused', 'lunch', 'p-op101', false],
      ['available', null, 'p-op101', false],
    ]);
    expect(rows[0]!.asterisk_note).toMatch(/AMI is not configured/);
    expect(new Date(rows[0]!.started_at).toISOString()).toBe(paused.since);
    expect(rows[0]!.ended_at).toEqual(rows[1]!.started_at);
    expect(rows[1]!.ended_at).toBeNull();
    expect(new Date(rows[1]!.started_at).toISOString()).toBe(available.since);
  });

  it('the database refuses overlapping intervals and a second open one', async () => {
    const op = ids['101']!;
    const [first] = await intervalsOf(op);
    const overlap = db()
      .insertInto('app.operator_presence')
      .values({
        operator_id: op,
        state: 'available',
        started_at: new Date(new Date(first!.started_at).getTime() - 1000),
        ended_at: new Date(new Date(first!.started_at).getTime() + 1),
        set_by_login: 'test',
        asterisk_applied: false,
      })
      .execute();
    await expect(overlap).rejects.toThrow(/operator_presence_no_overlap/);
  });
});

describe('PUT /presence/{operatorId}', () => {
  it('supervisors change the members of their queues only; admins anyone; operators none', async () => {
    const op101 = ids['101']!;
    const body = { state: 'paused', reason: 'training' };
    await json(send(`/presence/${op101}`, 'p-op101', { method: 'PUT', json: body }), 403);
    // 101 is not in sales.
    await json(send(`/presence/${op101}`, 'p-sup-sales', { method: 'PUT', json: body }), 404);
    const bySupervisor = await json<Presence>(
      send(`/presence/${op101}`, 'p-sup-support', { method: 'PUT', json: body }),
    );
    expect(bySupervisor).toMatchObject({ operatorId: op101, state: 'paused', reason: 'training' });
    const byAdmin = await json<Presence>(
      send(`/presence/${op101}`, 'p-admin', { method: 'PUT', json: { state: 'available' } }),
    );
    expect(byAdmin.state).toBe('available');
    await json(send('/presence/999999', 'p-admin', { method: 'PUT', json: body }), 404);
    await json(send('/presence/abc', 'p-admin', { method: 'PUT', json: body }), 400);
    const rows = await intervalsOf(op101);
    expect(rows.slice(-2).map((r) => [r.state, r.reason_code, r.set_by_login])).toEqual([
      ['paused', 'training', 'p-sup-support'],
      ['available', null, 'p-admin'],
    ]);
  });
});

describe('presence.changed on GET /live/events', () => {
  it('reaches the operator and the supervisors of their queues, nobody else', async () => {
    const open = async (who: string) => {
      const res = await send('/live/events', who);
      expect(res.status).toBe(200);
      const sse = new Sse(res);
      await sse.until(() => sse.events.some((e) => e.event === 'ready'));
      return sse;
    };
    const streams = {
      op101: await open('p-op101'),
      op102: await open('p-op102'),
      support: await open('p-sup-support'),
      sales: await open('p-sup-sales'),
      admin: await open('p-admin'),
    };
    try {
      const changed = await json<Presence>(
        send('/me/presence', 'p-op101', { method: 'PUT', json: { state: 'paused', reason: 'break' } }),
      );
      // 102 serves both queues: the marker after which every stream has all it will get.
      await json(send('/me/presence', 'p-op102', { method: 'PUT', json: { state: 'available' } }));
      for (const s of [streams.op102, streams.support, streams.sales, streams.admin]) {
        await s.until(() => s.presence().some((p) => p.endpoint === '102'));
      }
      await streams.op101.until(() => streams.op101.presence().length === 1);
      const { asterisk: _asterisk, ...item } = changed;
      expect(streams.support.presence()[0]).toEqual(item);
      expect(streams.support.presence().map((p) => p.endpoint)).toEqual(['101', '102']);
      expect(streams.admin.presence().map((p) => p.endpoint)).toEqual(['101', '102']);
      expect(streams.sales.presence().map((p) => p.endpoint)).toEqual(['102']);
      expect(streams.op101.presence().map((p) => `${p.endpoint} ${p.state} ${p.reason}`)).toEqual([
        '101 paused break',
      ]);
      expect(streams.op102.presence().map((p) => p.endpoint)).toEqual(['102']);
    } finally {
      for (const s of Object.values(streams)) await s.close();
    }
  });
});

describe('GET /reports/presence', () => {
  const H = 3_600_000;
  const M = 60_000;
  let base = 0;

  beforeAll(async () => {
    // Operator 103's day before yesterday (UTC), by hand; then paused for training since
    // yesterday 00:00, still open.
    const today = new Date();
    base = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()) - 2 * 24 * H;
    const op = ids['103']!;
    const at = (ms: number) => new Date(base + ms);
    const rows: [string, string | null, number, number | null][] = [
      ['available', null, 9 * H, 10 * H],
      ['paused', 'lunch', 10 * H, 10 * H + 30 * M],
      ['available', null, 10 * H + 30 * M, 12 * H],
      ['paused', 'after_call_work', 12 * H, 12 * H + 2 * M],
      ['available', null, 12 * H + 2 * M, 13 * H],
      ['paused', 'lunch', 13 * H, 13 * H + 15 * M],
      ['offline', null, 13 * H + 15 * M, 24 * H],
      ['paused', 'training', 24 * H, null],
    ];
    await db()
      .insertInto('app.operator_presence')
      .values(
        rows.map(([state, reason, start, end]) => ({
          operator_id: op,
          state: state as 'available',
          reason_code: reason,
          started_at: at(start),
          ended_at: end === null ? null : at(end),
          set_by_login: 'by-hand',
          asterisk_applied: false,
        })),
      )
      .execute();
  });

  const report = async (from: number, to: number, who = 'p-admin', extra = '') =>
    json<{
      from: string;
      to: string;
      generatedAt: string;
      operators: {
        operatorId: number;
        endpoint: string;
        availableSec: number;
        pausedSec: number;
        pauses: number;
        pausedByReason: { reason: string; label: string; seconds: number; pauses: number }[];
      }[];
    }>(
      send(
        `/reports/presence?from=${new Date(base + from).toISOString()}&to=${new Date(base + to).toISOString()}${extra}`,
        who,
      ),
    );

  it('sums the hand-made day: available, paused by reason, pauses that started in the range', async () => {
    const day = await report(0, 24 * H, 'p-admin', `&operator=${ids['103']}`);
    expect(day.operators).toEqual([
      {
        operatorId: ids['103'],
        serverId: 'pbx1',
        endpoint: '103',
        name: 'Operator 103',
        // 09:00–10:00 + 10:30–12:00 + 12:02–13:00 = 3600 + 5400 + 3480
        availableSec: 12_480,
        // lunch 1800 + 900, after-call work 120
        pausedSec: 2_820,
        pauses: 3,
        pausedByReason: [
          { reason: 'lunch', label: 'Обед', seconds: 2_700, pauses: 2 },
          { reason: 'after_call_work', label: 'Постобработка вызова', seconds: 120, pauses: 1 },
        ],
      },
    ]);
  });

  it('clips intervals to the range; a pause begun before it adds time but no count', async () => {
    // 10:15–12:01: lunch 10:15–10:30 (900 s, begun 10:00), available 10:30–12:00, ACW 12:00–12:01.
    const part = await report(10 * H + 15 * M, 12 * H + M, 'p-admin', `&operator=${ids['103']}`);
    expect(part.operators[0]).toMatchObject({
      availableSec: 5_400,
      pausedSec: 960,
      pauses: 1,
      pausedByReason: [
        { reason: 'lunch', seconds: 900, pauses: 0 },
        { reason: 'after_call_work', seconds: 60, pauses: 1 },
      ],
    });
  });

  it('counts the open interval up to now', async () => {
    const open = await report(24 * H, 72 * H, 'p-admin', `&operator=${ids['103']}`);
    const expected = (new Date(open.generatedAt).getTime() - (base + 24 * H)) / 1000;
    expect(open.operators[0]!.pausedByReason).toEqual([
      { reason: 'training', label: 'Обучение', seconds: expected, pauses: 1 },
    ]);
    expect(open.operators[0]!.availableSec).toBe(0);
    expect(expected).toBeGreaterThan(24 * 3600);
  });

  it('keeps to the caller scope and refuses bad periods', async () => {
    const endpoints = async (who: string) =>
      (await report(0, 24 * H, who)).operators.map((o) => `${o.endpoint}:${o.pausedSec}`);
    expect(await endpoints('p-admin')).toEqual(['101:0', '102:0', '103:2820']);
    expect(await endpoints('p-sup-sales')).toEqual(['102:0', '103:2820']);
    expect(await endpoints('p-op101')).toEqual(['101:0']);
    // An operator asking for someone else gets nobody.
    expect((await report(0, 24 * H, 'p-op101', `&operator=${ids['103']}`)).operators).toEqual([]);
    const bad = async (query: string) => (await send(`/reports/presence?${query}`, 'p-admin')).status;
    const from = new Date(base).toISOString();
    expect(await bad(`from=${from}&to=${from}`)).toBe(400);
    expect(await bad(`from=${from}`)).toBe(400);
    expect(await bad(`from=${from}&to=${new Date(base + H).toISOString()}&operator=x`)).toBe(400);
    expect(await bad(`from=${from}&to=${new Date(base + H).toISOString()}&queue=support`)).toBe(400);
  });

  it('shows 103 paused for training since yesterday 00:00 in GET /presence', async () => {
    const list = await json<{ operators: Presence[] }>(send('/presence', 'p-op103'));
    expect(list.operators).toEqual([
      expect.objectContaining({
        endpoint: '103',
        state: 'paused',
        reason: 'training',
        reasonLabel: 'Обучение',
        since: new Date(base + 24 * H).toISOString(),
      }),
    ]);
  });
});
