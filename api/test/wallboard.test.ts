import { AmiClient } from '@callcenter/asterisk/ami';
import { AmiPeer } from '@callcenter/asterisk/testing/ami-peer';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { LiveBus } from '../src/live/live-bus.ts';
import type { Wallboard } from '../src/live/wallboard/wallboard-service.ts';
import { WallboardService } from '../src/live/wallboard/wallboard-service.ts';
import { AmiPresence, AmiPresenceLink } from '../src/presence/asterisk-presence.ts';
import { type ApiTestKit, openApiTestKit } from './support/api-test-kit.ts';
import { SseReader } from './support/sse-reader.ts';

/**
 * GET /live/wallboard and its SSE stream over the captured calls and a local AMI protocol peer
 * holding the lab's queues (queues.conf: support 101 102 103, sales 102 103): who may see it
 * (operators 403; a supervisor of sales never sees support or operator 101), waiting callers from
 * QueueStatus and QueueCallerJoin/Leave, member states from QueueMemberStatus, a pause made through
 * PUT /presence, the state re-read after the AMI session drops, CEL timing without AMI, and today's
 * figures since midnight in the queue's zone (docs/metrics.md).
 */

let kit: ApiTestKit;
let peer: AmiPeer;
let presence: AmiPresence;
let wallboard: WallboardService;
let app: ReturnType<typeof createApp>;
const bus = new LiveBus();
const tokens: Record<string, string> = {};
const logged: string[] = [];
const db = () => kit.stores.postgres.db;

const get = (path: string, who: string) =>
  app.request(path, { headers: who ? { authorization: `Bearer ${tokens[who]}` } : {} });

async function board(who: string): Promise<Wallboard> {
  const res = await get('/live/wallboard', who);
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return JSON.parse(text) as Wallboard;
}

const until = async (check: () => boolean | Promise<boolean>, what: string) => {
  const end = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

const queueOf = (b: Wallboard, name: string) => b.queues.find((q) => q.queue === name);
const operatorOf = (b: Wallboard, endpoint: string) => b.operators.find((o) => o.operator === endpoint);

const memberStatus = (queue: string, endpoint: string, status: string) => ({
  Event: 'QueueMemberStatus',
  Privilege: 'agent,all',
  Queue: queue,
  MemberName: `Operator ${endpoint}`,
  Interface: `PJSIP/${endpoint}`,
  StateInterface: `PJSIP/${endpoint}`,
  Membership: 'static',
  Status: status,
  Paused: '0',
  PausedReason: '',
  InCall: status === '1' ? '0' : '1',
  LastCall: '0',
  LastPause: '0',
  Wrapuptime: '0',
});

beforeAll(async () => {
  kit = await openApiTestKit();
  peer = new AmiPeer();
  peer.entries = [
    {
      queue: 'support',
      uniqueid: '1795300000.1',
      channel: 'PJSIP/trunk-1',
      callerNumber: '79160000001',
      wait: 12,
    },
  ];
  await peer.listen();
  const client = new AmiClient({
    host: '127.0.0.1',
    port: peer.port,
    ...peer.credentials,
    name: 'pbx1',
    eventMask: 'agent',
    actionTimeoutMs: 2000,
    reconnectDelayMs: 50,
    maxReconnectDelayMs: 200,
    log: (line) => logged.push(line),
  });
  const link = new AmiPresenceLink('pbx1', client, db(), (line) => logged.push(line));
  wallboard = new WallboardService({ db: db(), links: [link] });
  link.start();
  presence = new AmiPresence([link]);
  app = createApp({
    db: db(),
    pool: kit.stores.postgres.pool,
    clickhouse: kit.stores.clickhouse,
    config: kit.config,
    live: bus,
    asterisk: presence,
    wallboard,
    log: (line) => logged.push(line),
  });
  for (const spec of [
    { login: 'w-op101', role: 'operator', endpoint: '101' },
    { login: 'w-sup-sales', role: 'supervisor', queues: ['sales'] },
    { login: 'w-sup-support', role: 'supervisor', queues: ['support'] },
    { login: 'w-admin', role: 'admin' },
  ] as const) {
    tokens[spec.login] = (await kit.user(spec as never)).token;
  }
  await client.whenReady(5000);
  await until(() => wallboard.isLive('pbx1'), 'the first QueueStatus');
  await link.settled();
}, 120_000);

afterAll(async () => {
  wallboard?.close();
  await presence?.close();
  await peer?.close();
  await bus.close();
  await kit?.dispose();
});

describe('GET /live/wallboard: who may see it', () => {
  it('refuses operators (403) and requests without a token (401)', async () => {
    expect((await get('/live/wallboard', 'w-op101')).status).toBe(403);
    expect((await get('/live/wallboard/events', 'w-op101')).status).toBe(403);
    expect((await get('/live/wallboard', '')).status).toBe(401);
  });

  it('shows a supervisor of sales only sales and the operators serving it, never support or 101', async () => {
    const b = await board('w-sup-sales');
    expect(b.queues.map((q) => q.queue)).toEqual(['sales']);
    expect(b.operators.map((o) => o.operator).sort()).toEqual(['102', '103']);
    for (const o of b.operators) expect(o.queues).toEqual(['sales']);
    expect(JSON.stringify(b)).not.toContain('support');
    expect(JSON.stringify(b)).not.toContain('79160000001');
  });

  it('shows an admin every queue and operator, with the contract fields', async () => {
    const b = await board('w-admin');
    expect(b.live).toEqual({ source: 'ami', note: null });
    expect(b.queues.map((q) => q.queue)).toEqual(expect.arrayContaining(['sales', 'support']));
    expect(b.operators.map((o) => o.operator)).toEqual(expect.arrayContaining(['101', '102', '103']));
    const support = queueOf(b, 'support')!;
    for (const field of [
      'queue',
      'name',
      'waiting',
      'longest_wait_sec',
      'operators_available',
      'operators_talking',
      'operators_paused',
      'offered_today',
      'answered_today',
      'abandoned_today',
      'service_level_today',
    ])
      expect(support).toHaveProperty(field);
    for (const field of ['operator', 'name', 'state', 'state_since'])
      expect(b.operators[0]).toHaveProperty(field);
    expect(Number.isNaN(Date.parse(b.generated_at))).toBe(false);
  });
});

describe('live state from AMI', () => {
  it('lists the caller QueueStatus reported, with the wait Asterisk counted', async () => {
    const support = queueOf(await board('w-sup-support'), 'support')!;
    expect(support.waiting).toBe(1);
    expect(support.longest_wait_sec).toBeGreaterThanOrEqual(12);
    expect(support.operators_available).toBe(3);
  });

  it('follows QueueCallerJoin / QueueCallerLeave and member states, and streams them to the supervisor in scope', async () => {
    const res = await get('/live/wallboard/events', 'w-sup-sales');
    expect(res.status).toBe(200);
    const reader = new SseReader(res);
    const snapshots = () =>
      reader.events.filter((e) => e.event === 'wallboard').map((e) => JSON.parse(e.data) as Wallboard);
    try {
      await reader.waitFor((e) => e.event === 'wallboard', 'the first snapshot');
      peer.emit({
        Event: 'QueueCallerJoin',
        Privilege: 'agent,all',
        Channel: 'PJSIP/trunk-2',
        CallerIDNum: '79160000002',
        Uniqueid: '1795300000.2',
        Queue: 'sales',
        Position: '1',
        Count: '1',
      });
      await reader.waitFor(
        (e) => e.event === 'wallboard' && (JSON.parse(e.data) as Wallboard).queues[0]?.waiting === 1,
        'sales waiting 1',
      );
      peer.emit(memberStatus('sales', '103', '6'));
      peer.emit(memberStatus('support', '103', '6'));
      await reader.waitFor(
        (e) =>
          e.event === 'wallboard' && operatorOf(JSON.parse(e.data) as Wallboard, '103')?.state === 'ringing',
        '103 ringing',
      );
      peer.emit({
        Event: 'QueueCallerLeave',
        Queue: 'sales',
        Uniqueid: '1795300000.2',
        Channel: 'PJSIP/trunk-2',
      });
      peer.emit(memberStatus('sales', '103', '2'));
      peer.emit(memberStatus('support', '103', '2'));
      await reader.waitFor((e) => {
        if (e.event !== 'wallboard') return false;
        const b = JSON.parse(e.data) as Wallboard;
        return b.queues[0]?.waiting === 0 && operatorOf(b, '103')?.state === 'talking';
      }, 'the caller gone, 103 talking');
      const sales = queueOf(snapshots().at(-1)!, 'sales')!;
      expect(sales.operators_talking).toBe(1);
      // Nothing of support ever reached the sales supervisor's stream.
      for (const b of snapshots()) expect(b.queues.map((q) => q.queue)).toEqual(['sales']);
    } finally {
      await reader.close();
    }
    peer.emit(memberStatus('sales', '103', '1'));
    peer.emit(memberStatus('support', '103', '1'));
  });

  it('takes a queue call offered and not answered as ringing, then talking on its number (Agent* events)', async () => {
    const agent = (event: string) => ({
      Event: event,
      Channel: 'PJSIP/trunk-5',
      CallerIDNum: '79160000005',
      Uniqueid: '1795300000.5',
      Queue: 'support',
      Interface: 'PJSIP/101',
      MemberName: 'Operator 101',
    });
    peer.emit(agent('AgentCalled'));
    peer.emit(memberStatus('support', '101', '2'));
    await until(
      async () => operatorOf(await board('w-sup-support'), '101')?.state === 'ringing',
      '101 ringing',
    );
    peer.emit(agent('AgentConnect'));
    await until(
      async () => operatorOf(await board('w-sup-support'), '101')?.state === 'talking',
      '101 talking',
    );
    expect(operatorOf(await board('w-sup-support'), '101')!.current_call).toMatchObject({
      number: '79160000005',
      queue: 'support',
    });
    peer.emit(agent('AgentComplete'));
    peer.emit(memberStatus('support', '101', '1'));
    await until(
      async () => operatorOf(await board('w-sup-support'), '101')?.state === 'available',
      '101 available',
    );
    expect(operatorOf(await board('w-sup-support'), '101')!.current_call).toBeNull();
  });

  it('shows a pause made with PUT /presence/{operatorId} with its reason', async () => {
    const op102 = operatorOf(await board('w-admin'), '102')!;
    const res = await app.request(`/presence/${op102.operator_id}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${tokens['w-sup-sales']}`, 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'paused', reason: 'lunch' }),
    });
    expect(res.status, await res.text()).toBe(200);
    await until(async () => operatorOf(await board('w-sup-sales'), '102')?.state === 'paused', '102 paused');
    const paused = operatorOf(await board('w-sup-sales'), '102')!;
    expect(paused.reason).toBe('lunch');
    expect(queueOf(await board('w-sup-sales'), 'sales')!.operators_paused).toBe(1);
  });

  it('re-reads the state after the AMI session drops: what QueueStatus says then, not what was accumulated', async () => {
    peer.emit({
      Event: 'QueueCallerJoin',
      Channel: 'PJSIP/trunk-3',
      CallerIDNum: '79160000003',
      Uniqueid: '1795300000.3',
      Queue: 'support',
      Position: '2',
      Count: '2',
    });
    await until(async () => queueOf(await board('w-admin'), 'support')!.waiting === 2, 'two waiting');
    // While the session is down both callers left; Asterisk lists one new caller.
    peer.entries = [
      {
        queue: 'support',
        uniqueid: '1795300000.4',
        channel: 'PJSIP/trunk-4',
        callerNumber: '79160000004',
        wait: 40,
      },
    ];
    const statusReads = peer.actions('QueueStatus').length;
    peer.dropAll();
    await until(
      () => peer.actions('QueueStatus').length > statusReads && wallboard.isLive('pbx1'),
      'the re-read',
    );
    await until(
      async () => queueOf(await board('w-admin'), 'support')!.longest_wait_sec >= 40,
      'the re-read caller',
    );
    expect(queueOf(await board('w-admin'), 'support')!.waiting).toBe(1);
    // The pause survives the re-read (Asterisk keeps it; the product re-applies it).
    expect(operatorOf(await board('w-admin'), '102')!.state).toBe('paused');
  });
});

describe("today's figures", () => {
  it('counts the calls since midnight in the queue time zone, with docs/metrics.md definitions', async () => {
    // The captured support calls moved to today (a minute ago, or just after midnight), one of
    // them to a minute before midnight in the queue's zone (yesterday there).
    await sql`UPDATE app.queues SET time_zone = 'Asia/Vladivostok' WHERE name = 'support'`.execute(db());
    const midnight = sql`(date_trunc('day', now() AT TIME ZONE 'Asia/Vladivostok') AT TIME ZONE 'Asia/Vladivostok')`;
    const { rows } = await sql<{ id: string; status: string; queue_wait_sec: number | null }>`
      SELECT id, status, queue_wait_sec FROM app.calls
      WHERE queue = 'support' AND direction = 'inbound' ORDER BY id`.execute(db());
    expect(rows.length).toBeGreaterThan(2);
    const [yesterday, ...today] = rows;
    await sql`UPDATE app.calls SET started_at = greatest(now() - interval '1 minute', ${midnight} + interval '1 second')
      WHERE id = ANY(${today.map((r) => r.id)}::bigint[])`.execute(db());
    await sql`UPDATE app.calls SET started_at = ${midnight} - interval '1 minute' WHERE id = ${yesterday!.id}`.execute(
      db(),
    );
    wallboard.poke(); // the figures are otherwise re-read every 5 s at most
    const support = queueOf(await board('w-sup-support'), 'support')!;
    const answered = today.filter((r) => r.status === 'answered');
    const short = today.filter(
      (r) => r.status === 'abandoned' && r.queue_wait_sec !== null && r.queue_wait_sec < 5,
    );
    const inSl = answered.filter(
      (r) => r.queue_wait_sec !== null && r.queue_wait_sec <= support.service_level_sec,
    );
    expect({
      offered: support.offered_today,
      answered: support.answered_today,
      abandoned: support.abandoned_today,
      sl: support.service_level_today,
    }).toEqual({
      offered: today.length,
      answered: answered.length,
      abandoned: today.filter((r) => r.status === 'abandoned').length,
      sl: today.length - short.length > 0 ? inSl.length / (today.length - short.length) : null,
    });
    expect(queueOf(await board('w-sup-sales'), 'sales')!.offered_today).toBe(0);
  }, 20_000);
});

describe('without AMI', () => {
  it('says the live state comes from CEL timing', async () => {
    const celOnly = createApp({
      db: db(),
      pool: kit.stores.postgres.pool,
      clickhouse: kit.stores.clickhouse,
      config: kit.config,
      live: bus,
    });
    const res = await celOnly.request('/live/wallboard', {
      headers: { authorization: `Bearer ${tokens['w-admin']}` },
    });
    const b = (await res.json()) as Wallboard;
    expect(res.status).toBe(200);
    expect(b.live.source).toBe('cel');
    expect(b.live.note).toMatch(/CEL timing/);
    expect(queueOf(b, 'support')!.waiting).toBe(0);
  });
});
