import { readFileSync } from 'node:fs';
import { AmiClient } from '@callcenter/asterisk/ami';
import { AmiPeer, LAB_QUEUES_CONF, membersOfQueuesConf } from '@callcenter/asterisk/testing/ami-peer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { LiveBus } from '../src/live/live-bus.ts';
import { AmiPresence, AmiPresenceLink } from '../src/presence/asterisk-presence.ts';
import { type ApiTestKit, openApiTestKit } from './support/api-test-kit.ts';

/**
 * Presence applied to Asterisk through AMI, against a local AMI protocol peer (asterisk/test/ami/
 * ami-peer.ts) holding the lab's queue membership (queues.conf: support 101 102 103, sales 102
 * 103): the exact QueuePause frames, the rows recorded (or not) when Asterisk applies, refuses or
 * is unreachable, the membership table from QueueStatus and events, and the re-sync after the
 * peer drops (an Asterisk restart: static members come back unpaused).
 */

interface Change {
  operatorId: number;
  endpoint: string;
  state: string;
  reason: string | null;
  asterisk: { applied: boolean; reason: string | null };
}

let kit: ApiTestKit;
let peer: AmiPeer;
let link: AmiPresenceLink;
let presence: AmiPresence;
let app: ReturnType<typeof createApp>;
const bus = new LiveBus();
const tokens: Record<string, string> = {};
const ids: Record<string, number> = {};
const logged: string[] = [];

const db = () => kit.stores.postgres.db;

async function put(path: string, who: string, json: unknown): Promise<Response> {
  return app.request(path, {
    method: 'PUT',
    headers: { authorization: `Bearer ${tokens[who]}`, 'content-type': 'application/json' },
    body: JSON.stringify(json),
  });
}

async function ok<T>(res: Promise<Response>, status = 200): Promise<T> {
  const r = await res;
  const text = await r.text();
  expect(r.status, text).toBe(status);
  return JSON.parse(text) as T;
}

const until = async (check: () => boolean | Promise<boolean>, what: string) => {
  const end = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

/** QueuePause frames after index `from`, as `Interface Paused Reason` (no ActionID). */
const pausesSince = (from: number) =>
  peer
    .actions('QueuePause')
    .slice(from)
    .map((a) =>
      a.lines.filter((line) => !line.startsWith('ActionID:') && line !== 'Action: QueuePause').join(' | '),
    );

const intervals = (endpoint: string) =>
  db()
    .selectFrom('app.operator_presence')
    .select(['state', 'reason_code', 'asterisk_applied', 'asterisk_note', 'ended_at'])
    .where('operator_id', '=', ids[endpoint]!)
    .orderBy('started_at')
    .execute();

const members = () =>
  db()
    .selectFrom('app.queue_members')
    .select(['queue', 'interface', 'endpoint', 'membership', 'paused', 'paused_reason'])
    .orderBy('queue')
    .orderBy('interface')
    .execute();

beforeAll(async () => {
  kit = await openApiTestKit();
  peer = new AmiPeer();
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
  link = new AmiPresenceLink('pbx1', client, db(), (line) => logged.push(line));
  link.start();
  presence = new AmiPresence([link]);
  app = createApp({
    db: db(),
    pool: kit.stores.postgres.pool,
    clickhouse: kit.stores.clickhouse,
    config: kit.config,
    live: bus,
    asterisk: presence,
    log: (line) => logged.push(line),
  });
  await db()
    .insertInto('app.operators')
    .values({ server_id: 'pbx1', endpoint: '104', name: 'Operator 104' })
    .execute();
  for (const spec of [
    { login: 'a-op101', role: 'operator', endpoint: '101' },
    { login: 'a-op102', role: 'operator', endpoint: '102' },
    { login: 'a-op103', role: 'operator', endpoint: '103' },
    { login: 'a-op104', role: 'operator', endpoint: '104' },
    { login: 'a-sup-vip', role: 'supervisor', queues: ['vip'] },
    { login: 'a-admin', role: 'admin' },
  ] as const) {
    tokens[spec.login] = (await kit.user(spec as never)).token;
  }
  for (const o of await db().selectFrom('app.operators').select(['id', 'endpoint']).execute())
    ids[o.endpoint] = o.id;
  await client.whenReady(5000);
  await until(() => peer.actions('QueueStatus').length === 1, 'QueueStatus');
  await link.settled();
}, 120_000);

afterAll(async () => {
  await presence?.close();
  await peer?.close();
  await bus.close();
  await kit?.dispose();
});

describe('presence over AMI', () => {
  it('logs in, narrows events to agent, and records the membership QueueStatus reports', async () => {
    expect(peer.actions('login')[0]!.headers).toMatchObject({
      username: 'callcenter',
      secret: 'ami-test-secret',
    });
    expect(peer.actions('Events')[0]!.headers.eventmask).toBe('agent');
    expect(await members()).toEqual([
      {
        queue: 'sales',
        interface: 'PJSIP/102',
        endpoint: '102',
        membership: 'static',
        paused: false,
        paused_reason: null,
      },
      {
        queue: 'sales',
        interface: 'PJSIP/103',
        endpoint: '103',
        membership: 'static',
        paused: false,
        paused_reason: null,
      },
      {
        queue: 'support',
        interface: 'PJSIP/101',
        endpoint: '101',
        membership: 'static',
        paused: false,
        paused_reason: null,
      },
      {
        queue: 'support',
        interface: 'PJSIP/102',
        endpoint: '102',
        membership: 'static',
        paused: false,
        paused_reason: null,
      },
      {
        queue: 'support',
        interface: 'PJSIP/103',
        endpoint: '103',
        membership: 'static',
        paused: false,
        paused_reason: null,
      },
    ]);
  });

  it('pauses in every queue (no Queue header) with the reason code, unpauses, and goes offline', async () => {
    const from = peer.actions('QueuePause').length;
    const paused = await ok<Change>(
      put('/me/presence', 'a-op102', { state: 'paused', reason: 'after_call_work' }),
    );
    expect(paused.asterisk).toEqual({ applied: true, reason: null });
    expect(
      peer.members
        .filter((m) => m.memberInterface === 'PJSIP/102')
        .map((m) => [m.queue, m.paused, m.pausedReason]),
    ).toEqual([
      ['support', true, 'after_call_work'],
      ['sales', true, 'after_call_work'],
    ]);
    await ok<Change>(put('/me/presence', 'a-op102', { state: 'available' }));
    await ok<Change>(put('/me/presence', 'a-op102', { state: 'offline' }));
    await ok<Change>(put('/me/presence', 'a-op102', { state: 'paused', reason: 'lunch' }));
    expect(pausesSince(from)).toEqual([
      'Interface: PJSIP/102 | Paused: true | Reason: after_call_work',
      'Interface: PJSIP/102 | Paused: false',
      'Interface: PJSIP/102 | Paused: true | Reason: offline',
      'Interface: PJSIP/102 | Paused: true | Reason: lunch',
    ]);
    expect(peer.actions('QueuePause').every((a) => a.headers.queue === undefined)).toBe(true);
    const rows = await intervals('102');
    expect(rows.map((r) => [r.state, r.reason_code, r.asterisk_applied])).toEqual([
      ['paused', 'after_call_work', true],
      ['available', null, true],
      ['offline', null, true],
      ['paused', 'lunch', true],
    ]);
    // QueueMemberPause events keep the membership table current.
    await link.settled();
    await until(
      async () =>
        (await members()).filter((m) => m.endpoint === '102').every((m) => m.paused_reason === 'lunch'),
      'QueueMemberPause applied to app.queue_members',
    );
  });

  it('records a change for an operator in no queue, saying Asterisk had nothing to pause', async () => {
    const from = peer.actions('QueuePause').length;
    const change = await ok<Change>(put('/me/presence', 'a-op104', { state: 'paused', reason: 'training' }));
    expect(change.asterisk).toEqual({
      applied: false,
      reason: 'PJSIP/104 is not a member of any queue in Asterisk',
    });
    expect(pausesSince(from)).toEqual(['Interface: PJSIP/104 | Paused: true | Reason: training']);
    expect((await intervals('104')).map((r) => [r.state, r.asterisk_applied, r.asterisk_note])).toEqual([
      ['paused', false, 'PJSIP/104 is not a member of any queue in Asterisk'],
    ]);
  });

  it('records nothing when Asterisk refuses the QueuePause (502)', async () => {
    peer.refuse.set('queuepause', 'Permission denied');
    try {
      const before = await intervals('101');
      const res = await ok<{ error: string; message: string }>(
        put('/me/presence', 'a-op101', { state: 'paused', reason: 'break' }),
        502,
      );
      expect(res.error).toBe('asterisk_failed');
      expect(res.message).toBe('Asterisk did not apply the queue pause: Permission denied');
      expect(await intervals('101')).toEqual(before);
    } finally {
      peer.refuse.clear();
    }
  });

  it('pauses every member interface Asterisk reported, Local members included; membership follows events', async () => {
    // A Local member of queue `vip` for 103 (as AddQueueMember would make), announced by AMI.
    peer.members.push({
      queue: 'vip',
      memberInterface: 'Local/103@agents/n',
      name: 'Operator 103',
      stateInterface: 'PJSIP/103',
      membership: 'dynamic',
      paused: false,
      pausedReason: '',
    });
    peer.emit({
      Event: 'QueueMemberAdded',
      Privilege: 'agent,all',
      Queue: 'vip',
      MemberName: 'Operator 103',
      Interface: 'Local/103@agents/n',
      StateInterface: 'PJSIP/103',
      Membership: 'dynamic',
      Paused: '0',
      PausedReason: '',
    });
    await until(async () => (await members()).some((m) => m.queue === 'vip'), 'QueueMemberAdded recorded');
    // The vip supervisor sees 103 through the AMI membership (no vip call in the history).
    const seen = await app.request('/presence', {
      headers: { authorization: `Bearer ${tokens['a-sup-vip']}` },
    });
    expect(
      ((await seen.json()) as { operators: { endpoint: string }[] }).operators.map((o) => o.endpoint),
    ).toEqual(['103']);

    const from = peer.actions('QueuePause').length;
    await ok<Change>(put(`/presence/${ids['103']}`, 'a-admin', { state: 'paused', reason: 'meeting' }));
    // Distinct actions: the QueueMemberAdded handler's "is this operator paused?" check can finish
    // after this PUT under load and repeat the same (idempotent) pause; both interfaces must get it.
    expect([...new Set(pausesSince(from))].sort()).toEqual([
      'Interface: Local/103@agents/n | Paused: true | Reason: meeting',
      'Interface: PJSIP/103 | Paused: true | Reason: meeting',
    ]);

    peer.emit({
      Event: 'QueueMemberRemoved',
      Privilege: 'agent,all',
      Queue: 'vip',
      MemberName: 'Operator 103',
      Interface: 'Local/103@agents/n',
      StateInterface: 'PJSIP/103',
      Membership: 'dynamic',
      Paused: '1',
      PausedReason: 'meeting',
    });
    await until(async () => !(await members()).some((m) => m.queue === 'vip'), 'QueueMemberRemoved recorded');
    peer.members = peer.members.filter((m) => m.queue !== 'vip');
  });

  it('a member added while its operator is paused is paused at once', async () => {
    // 102 is recorded paused (lunch); Asterisk adds 102 to `vip` unpaused.
    const from = peer.actions('QueuePause').length;
    peer.members.push({
      queue: 'vip',
      memberInterface: 'PJSIP/102',
      name: 'Operator 102',
      stateInterface: 'PJSIP/102',
      membership: 'dynamic',
      paused: false,
      pausedReason: '',
    });
    peer.emit({
      Event: 'QueueMemberAdded',
      Privilege: 'agent,all',
      Queue: 'vip',
      MemberName: 'Operator 102',
      Interface: 'PJSIP/102',
      StateInterface: 'PJSIP/102',
      Membership: 'dynamic',
      Paused: '0',
      PausedReason: '',
    });
    await until(() => pausesSince(from).length === 1, 'QueuePause for the new member');
    expect(pausesSince(from)).toEqual(['Interface: PJSIP/102 | Paused: true | Reason: lunch']);
    expect(peer.members.filter((m) => m.memberInterface === 'PJSIP/102').every((m) => m.paused)).toBe(true);
    await link.settled();
  });

  it('after the peer drops (an Asterisk restart), re-reads membership and re-applies the recorded presence', async () => {
    // Asterisk restarted: static members from queues.conf, all unpaused; the dynamic vip member is gone.
    peer.members = membersOfQueuesConf(readFileSync(LAB_QUEUES_CONF, 'utf8'));
    const statusBefore = peer.actions('QueueStatus').length;
    const from = peer.actions('QueuePause').length;
    const connectionsBefore = peer.connectionCount;
    peer.dropAll();
    await until(
      () => peer.actions('QueueStatus').length === statusBefore + 1,
      'QueueStatus after reconnecting',
    );
    await link.settled();
    expect(peer.connectionCount).toBe(connectionsBefore + 1);
    // Recorded: 101 never set (untouched), 102 paused lunch, 103 paused meeting; 104 in no queue.
    expect(pausesSince(from)).toEqual([
      'Interface: PJSIP/102 | Paused: true | Reason: lunch',
      'Interface: PJSIP/103 | Paused: true | Reason: meeting',
    ]);
    expect(
      peer
        .actions('QueuePause')
        .slice(from)
        .every((a) => a.connection === peer.connectionCount),
    ).toBe(true);
    expect((await members()).filter((m) => m.queue === 'vip')).toEqual([]);
    // A second sync with everything in step sends nothing.
    const again = peer.actions('QueuePause').length;
    peer.dropAll();
    await until(() => peer.actions('QueueStatus').length === statusBefore + 2, 'second QueueStatus');
    await link.settled();
    expect(pausesSince(again)).toEqual([]);
  });

  it('tries the sync again on the same session while QueueStatus is unknown (Asterisk still loading app_queue)', async () => {
    // A restarted Asterisk accepts the AMI login before app_queue registered QueueStatus.
    peer.members = membersOfQueuesConf(readFileSync(LAB_QUEUES_CONF, 'utf8'));
    peer.refuse.set('queuestatus', 'Invalid/unknown command');
    const statusBefore = peer.actions('QueueStatus').length;
    const from = peer.actions('QueuePause').length;
    const connectionsBefore = peer.connectionCount;
    const logBefore = logged.length;
    peer.dropAll();
    await until(() => peer.actions('QueueStatus').length === statusBefore + 1, 'the refused QueueStatus');
    peer.refuse.delete('queuestatus');
    await until(() => peer.actions('QueueStatus').length === statusBefore + 2, 'QueueStatus again');
    await link.settled();
    expect(peer.connectionCount).toBe(connectionsBefore + 1);
    // The recorded presence is re-applied (102 paused lunch, 103 paused meeting).
    expect(pausesSince(from)).toEqual([
      'Interface: PJSIP/102 | Paused: true | Reason: lunch',
      'Interface: PJSIP/103 | Paused: true | Reason: meeting',
    ]);
    // Said once, with what comes next (and taken out of the log the last test checks).
    expect(logged.splice(logBefore).filter((line) => /failed/.test(line))).toEqual([
      'AMI pbx1: sync failed: Invalid/unknown command; trying again in 1000 ms',
    ]);
  });

  it('answers 503 and records nothing while AMI is unreachable', async () => {
    const port = peer.port;
    await peer.close();
    await until(() => !link.client.ready, 'the client to notice');
    const before = await intervals('101');
    const res = await ok<{ error: string }>(put('/me/presence', 'a-op101', { state: 'available' }), 503);
    expect(res.error).toBe('asterisk_unavailable');
    expect(await intervals('101')).toEqual(before);

    // Asterisk back: the change goes through.
    await peer.listen(port);
    await link.client.whenReady(5000);
    await link.settled();
    const change = await ok<Change>(put('/me/presence', 'a-op101', { state: 'available' }));
    expect(change.asterisk.applied).toBe(true);
    expect((await intervals('101')).map((r) => [r.state, r.asterisk_applied])).toEqual([['available', true]]);
  });

  it('logged no failure', () => {
    expect(logged.filter((line) => /failed/.test(line))).toEqual([]);
  });
});
