import { afterEach, describe, expect, it } from 'vitest';
import { AmiClient, type AmiClientOptions, type AmiMessage } from '../../src/ami/ami-client.ts';
import { AmiTimeoutError, AmiUnavailableError } from '../../src/ami/ami-errors.ts';
import { queueMemberOf } from '../../src/ami/queue-member-events.ts';
import { applyQueuePause } from '../../src/ami/queue-pause.ts';
import { AmiPeer } from './ami-peer.ts';

/**
 * The AMI client against a local AMI protocol peer (ami-peer.ts: Asterisk's framing, login,
 * QueueStatus and QueuePause semantics; the lab's queues.conf membership): the exact frames
 * written, reconnection with backoff after the peer drops or refuses, timeouts, lists, events.
 */

const peers: AmiPeer[] = [];
const clients: AmiClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  for (const peer of peers.splice(0)) await peer.close();
});

async function startPeer(): Promise<AmiPeer> {
  const peer = new AmiPeer();
  await peer.listen();
  peers.push(peer);
  return peer;
}

function client(peer: AmiPeer, options: Partial<AmiClientOptions> = {}): { ami: AmiClient; log: string[] } {
  const log: string[] = [];
  const ami = new AmiClient({
    host: '127.0.0.1',
    port: peer.port,
    ...peer.credentials,
    name: 'pbx1',
    actionTimeoutMs: 1000,
    reconnectDelayMs: 40,
    maxReconnectDelayMs: 200,
    random: () => 0,
    log: (line) => log.push(line),
    ...options,
  });
  clients.push(ami);
  return { ami, log };
}

const until = async (check: () => boolean, timeoutMs = 5000) => {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('AmiClient', () => {
  it('logs in with the configured user, then narrows events to the agent class', async () => {
    const peer = await startPeer();
    const { ami } = client(peer, { eventMask: 'agent' });
    ami.start();
    await ami.whenReady(3000);
    await until(() => peer.actions('Events').length === 1);
    const [login] = peer.actions('login');
    // asterisk-manager writes the headers sorted, ActionID included; its login sends `Event: on`.
    expect(login!.lines).toEqual([
      'Action: login',
      expect.stringMatching(/^ActionID: \d+$/),
      'Event: on',
      'Secret: ami-test-secret',
      'Username: callcenter',
    ]);
    expect(peer.actions('Events')[0]!.lines).toEqual([
      'Action: Events',
      expect.stringMatching(/^ActionID: cc-1-\d+$/),
      'Eventmask: agent',
    ]);
    expect(ami.state).toBe('ready');
  });

  it('pauses with Interface, Paused and Reason and no Queue header; unpauses without Reason', async () => {
    const peer = await startPeer();
    const { ami } = client(peer);
    ami.start();
    await ami.whenReady(3000);

    const paused = await applyQueuePause(ami, ['PJSIP/102'], true, 'lunch');
    expect(paused).toEqual({ applied: true, reason: null, interfaces: ['PJSIP/102'] });
    const unpaused = await applyQueuePause(ami, ['PJSIP/102'], false, null);
    expect(unpaused.applied).toBe(true);

    const [pause, unpause] = peer.actions('QueuePause');
    expect(pause!.lines).toEqual([
      'Action: QueuePause',
      expect.stringMatching(/^ActionID: cc-1-\d+$/),
      'Interface: PJSIP/102',
      'Paused: true',
      'Reason: lunch',
    ]);
    expect(unpause!.lines).toEqual([
      'Action: QueuePause',
      expect.stringMatching(/^ActionID: cc-1-\d+$/),
      'Interface: PJSIP/102',
      'Paused: false',
    ]);
    expect(pause!.headers.actionid).not.toBe(unpause!.headers.actionid);
    // Both of 102's queues (support and sales in the lab's queues.conf) were paused, then unpaused.
    expect(peer.members.filter((m) => m.memberInterface === 'PJSIP/102').map((m) => m.paused)).toEqual([
      false,
      false,
    ]);
  });

  it('reports an interface that is in no queue as not applied, not as a failure', async () => {
    const peer = await startPeer();
    const { ami } = client(peer);
    ami.start();
    await ami.whenReady(3000);
    expect(await applyQueuePause(ami, ['PJSIP/199'], true, 'lunch')).toEqual({
      applied: false,
      reason: 'PJSIP/199 is not a member of any queue in Asterisk',
      interfaces: [],
    });
  });

  it('delivers events and collects a QueueStatus list by ActionID', async () => {
    const peer = await startPeer();
    const { ami } = client(peer);
    const events: AmiMessage[] = [];
    ami.onEvent((event) => events.push(event));
    ami.start();
    await ami.whenReady(3000);

    const items = await ami.list({ Action: 'QueueStatus' }, 'QueueStatusComplete');
    const members = items.filter((e) => e.event === 'QueueMember').map(queueMemberOf);
    expect(members.map((m) => `${m!.queue}:${m!.memberInterface}:${m!.endpoint}`)).toEqual([
      'support:PJSIP/101:101',
      'support:PJSIP/102:102',
      'support:PJSIP/103:103',
      'sales:PJSIP/102:102',
      'sales:PJSIP/103:103',
    ]);
    // List items never reach the event listeners.
    expect(events.filter((e) => e.event === 'QueueMember')).toEqual([]);

    peer.emit({
      Event: 'QueueMemberAdded',
      Privilege: 'agent,all',
      Queue: 'sales',
      MemberName: 'Operator 101',
      Interface: 'PJSIP/101',
      StateInterface: 'PJSIP/101',
      Membership: 'dynamic',
      Paused: '0',
      PausedReason: '',
    });
    await until(() => events.some((e) => e.event === 'QueueMemberAdded'));
    const added = events.find((e) => e.event === 'QueueMemberAdded')!;
    expect(queueMemberOf(added)).toEqual({
      queue: 'sales',
      memberInterface: 'PJSIP/101',
      endpoint: '101',
      membership: 'dynamic',
      paused: false,
      pausedReason: null,
      deviceStatus: null,
    });
  });

  it('reconnects after the peer drops the connection, failing the actions in flight', async () => {
    const peer = await startPeer();
    const { ami, log } = client(peer);
    let readyCount = 0;
    const downs: string[] = [];
    ami.onReady(() => readyCount++);
    ami.onDown((reason) => downs.push(reason));
    ami.start();
    await ami.whenReady(3000);
    expect(readyCount).toBe(1);

    peer.silent.add('queuepause');
    const inFlight = ami.action({ Action: 'QueuePause', Interface: 'PJSIP/101', Paused: 'true' });
    await peer.waitForActions(peer.received.length + 1);
    peer.dropAll();
    await expect(inFlight).rejects.toBeInstanceOf(AmiUnavailableError);
    // While down: fail fast, nothing is held for later.
    await expect(ami.action({ Action: 'Ping' })).rejects.toBeInstanceOf(AmiUnavailableError);

    peer.silent.clear();
    await until(() => readyCount === 2);
    expect(peer.connectionCount).toBe(2);
    expect(peer.actions('login').map((a) => a.connection)).toEqual([1, 2]);
    expect(downs).toHaveLength(1);
    expect(log.some((line) => /^AMI pbx1: session lost \(.*\); retry in 20 ms$/.test(line))).toBe(true);
    expect((await applyQueuePause(ami, ['PJSIP/101'], true, 'training')).applied).toBe(true);
    expect(peer.actions('QueuePause').at(-1)!.connection).toBe(2);
  });

  it('backs off exponentially while Asterisk refuses connections, and comes back when it listens', async () => {
    const peer = await startPeer();
    const port = peer.port;
    await peer.close();
    const { ami, log } = client(peer, { port });
    ami.start();
    await until(() => log.filter((line) => line.includes('cannot connect')).length >= 4);
    const delays = log
      .filter((line) => line.includes('cannot connect'))
      .map((line) => Number(/retry in (\d+) ms/.exec(line)![1]));
    // random() = 0 → half of 40·2ⁿ, capped at 200: 20, 40, 80, 100, 100, …
    expect(delays.slice(0, 4)).toEqual([20, 40, 80, 100]);
    expect(ami.ready).toBe(false);

    await peer.listen(port);
    await ami.whenReady(3000);
    expect(ami.ready).toBe(true);
  });

  it('keeps retrying with a refused login, and never sends actions unauthenticated', async () => {
    const peer = await startPeer();
    const { ami, log } = client(peer, { secret: 'wrong' });
    ami.start();
    await until(() => peer.connectionCount >= 2);
    expect(ami.ready).toBe(false);
    expect(log.some((line) => line.includes('login refused: Authentication failed'))).toBe(true);
    await expect(ami.action({ Action: 'Ping' })).rejects.toBeInstanceOf(AmiUnavailableError);
    expect(peer.received.every((a) => a.headers.action === 'login')).toBe(true);
  });

  it('times out an unanswered action and re-opens the session', async () => {
    const peer = await startPeer();
    const { ami } = client(peer, { actionTimeoutMs: 300 });
    let readyCount = 0;
    ami.onReady(() => readyCount++);
    ami.start();
    await ami.whenReady(3000);
    peer.silent.add('queuepause');
    await expect(applyQueuePause(ami, ['PJSIP/101'], true, 'lunch')).rejects.toBeInstanceOf(AmiTimeoutError);
    peer.silent.clear();
    await until(() => readyCount === 2);
    expect(peer.connectionCount).toBe(2);
  });

  it('stops for good on close()', async () => {
    const peer = await startPeer();
    const { ami } = client(peer);
    ami.start();
    await ami.whenReady(3000);
    await ami.close();
    expect(ami.state).toBe('closed');
    await new Promise((r) => setTimeout(r, 150));
    expect(peer.connectionCount).toBe(1);
    await expect(ami.action({ Action: 'Ping' })).rejects.toBeInstanceOf(AmiUnavailableError);
  });
});
