import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * A local AMI protocol peer for tests: a TCP server that speaks Asterisk's manager protocol the
 * way manager.c and app_queue.c do — the `Asterisk Call Manager/9.0.0` banner (Asterisk 20),
 * `Action:`/`ActionID:` frames ended by an empty line, `Response: Success|Error` with the action's
 * ActionID, and events. It implements what the product uses: Login (wrong credentials → `Response:
 * Error` `Authentication failed` and the socket is closed, as manager.c does), Events, Ping,
 * QueueStatus (a list: QueueParams + QueueMember items, then QueueStatusComplete) and QueuePause
 * (all queues of the interface without `Queue`; `Interface not found` when it is in none; a
 * `QueueMemberPause` event per queue changed). Queue membership comes from the real lab's
 * queues.conf (fixtures/asterisk/asterisk-etc/queues.conf) unless given.
 *
 * Every frame received is recorded with its lines exactly as sent, so tests assert the actions
 * and headers the client wrote.
 */

export interface PeerMember {
  queue: string;
  memberInterface: string;
  name: string;
  stateInterface: string;
  membership: 'static' | 'dynamic';
  paused: boolean;
  pausedReason: string;
  /** Device state number QueueStatus reports (`Status`); default 1, NOT_INUSE. */
  status?: string;
}

/** A caller waiting in a queue, listed by QueueStatus as a `QueueEntry` item. */
export interface PeerQueueEntry {
  queue: string;
  uniqueid: string;
  channel: string;
  callerNumber: string;
  /** Seconds waited so far. */
  wait: number;
}

export interface ReceivedAction {
  /** Which TCP connection (1, 2, … in accept order). */
  connection: number;
  /** The frame's lines as received (`Action: QueuePause`, `ActionID: …`, …), in order. */
  lines: string[];
  /** Header name (lower-cased) → value. */
  headers: Record<string, string>;
}

/** `member => PJSIP/101,0,Operator 101,PJSIP/101` lines of a queues.conf, per `[queue]` section. */
export function membersOfQueuesConf(text: string): PeerMember[] {
  const members: PeerMember[] = [];
  let queue = '';
  for (const raw of text.split('\n')) {
    const line = raw.replace(/;.*$/, '').trim();
    const section = /^\[([^\]]+)\]$/.exec(line);
    if (section) {
      queue = section[1]!;
      continue;
    }
    const member = /^member\s*=>\s*(.+)$/.exec(line);
    if (!member || queue === '' || queue === 'general') continue;
    const [memberInterface = '', , name = '', stateInterface = ''] = member[1]!
      .split(',')
      .map((s) => s.trim());
    members.push({
      queue,
      memberInterface,
      name: name || memberInterface,
      stateInterface: stateInterface || memberInterface,
      membership: 'static',
      paused: false,
      pausedReason: '',
    });
  }
  return members;
}

export const LAB_QUEUES_CONF = fileURLToPath(
  new URL('../../../fixtures/asterisk/asterisk-etc/queues.conf', import.meta.url),
);

export class AmiPeer {
  readonly received: ReceivedAction[] = [];
  members: PeerMember[];
  /** Callers QueueStatus lists as waiting (`QueueEntry` items after each queue's members). */
  entries: PeerQueueEntry[] = [];
  /** Actions (lower-cased names) the peer reads but never answers (to test timeouts). */
  readonly silent = new Set<string>();
  /** Actions (lower-cased names) answered `Response: Error` with the given message. */
  readonly refuse = new Map<string, string>();
  private server: Server | null = null;
  private readonly sockets = new Map<Socket, { id: number; authenticated: boolean }>();
  private connections = 0;
  private waiters: { count: number; resolve: () => void }[] = [];

  constructor(
    readonly credentials = { username: 'callcenter', secret: 'ami-test-secret' },
    members?: PeerMember[],
  ) {
    this.members = members ?? membersOfQueuesConf(readFileSync(LAB_QUEUES_CONF, 'utf8'));
  }

  /** Listens on 127.0.0.1 (port 0 = a free one) and returns the port. */
  async listen(port = 0): Promise<number> {
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('no TCP address');
    return address.port;
  }

  get port(): number {
    const address = this.server?.address();
    return address && typeof address !== 'string' ? address.port : 0;
  }

  /** Number of connections accepted so far. */
  get connectionCount(): number {
    return this.connections;
  }

  /** Authenticated connections open now. */
  get sessions(): number {
    return [...this.sockets.values()].filter((s) => s.authenticated).length;
  }

  /** Received frames of one action (case-insensitive name). */
  actions(name: string): ReceivedAction[] {
    return this.received.filter((a) => a.headers.action?.toLowerCase() === name.toLowerCase());
  }

  /** Resolves once `count` frames have been received in total. */
  waitForActions(count: number, timeoutMs = 5000): Promise<void> {
    if (this.received.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`AMI peer: ${this.received.length} of ${count} actions`)),
        timeoutMs,
      );
      this.waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  /** Sends an event to every authenticated connection. */
  emit(fields: Record<string, string>): void {
    for (const [socket, state] of this.sockets) if (state.authenticated) socket.write(frame(fields));
  }

  /** Cuts every connection (as an Asterisk restart or a network failure would). */
  dropAll(): void {
    for (const socket of this.sockets.keys()) socket.destroy();
    this.sockets.clear();
  }

  /** Stops listening (connections are refused until `listen` again) and cuts every connection. */
  async close(): Promise<void> {
    this.dropAll();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    const state = { id: ++this.connections, authenticated: false };
    this.sockets.set(socket, state);
    socket.setEncoding('utf8');
    socket.write('Asterisk Call Manager/9.0.0\r\n');
    let buffer = '';
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) break;
        const text = buffer.slice(0, end);
        buffer = buffer.slice(end + 4);
        this.handle(socket, state, text);
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => this.sockets.delete(socket));
  }

  private handle(socket: Socket, state: { id: number; authenticated: boolean }, text: string): void {
    const lines = text.split('\r\n').filter((line) => line !== '');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const key = line.slice(0, colon).trim().toLowerCase();
      if (!(key in headers)) headers[key] = line.slice(colon + 1).trim();
    }
    this.received.push({ connection: state.id, lines, headers });
    for (const waiter of [...this.waiters]) {
      if (this.received.length >= waiter.count) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
    const action = (headers.action ?? '').toLowerCase();
    if (this.silent.has(action)) return;
    const refusal = this.refuse.get(action);
    const id: Record<string, string> = headers.actionid ? { ActionID: headers.actionid } : {};
    const respond = (fields: Record<string, string>) => socket.write(frame({ ...fields, ...id }));
    if (action === 'login') {
      if (headers.username === this.credentials.username && headers.secret === this.credentials.secret) {
        state.authenticated = true;
        respond({ Response: 'Success', Message: 'Authentication accepted' });
        socket.write(frame({ Event: 'FullyBooted', Privilege: 'system,all', Status: 'Fully Booted' }));
      } else {
        respond({ Response: 'Error', Message: 'Authentication failed' });
        socket.end();
      }
      return;
    }
    if (!state.authenticated) {
      respond({ Response: 'Error', Message: 'Permission denied' });
      return;
    }
    if (refusal !== undefined) {
      respond({ Response: 'Error', Message: refusal });
      return;
    }
    switch (action) {
      case 'events':
        respond({ Response: 'Success', Events: headers.eventmask === 'off' ? 'Off' : 'On' });
        return;
      case 'ping':
        respond({ Response: 'Success', Ping: 'Pong', Timestamp: (Date.now() / 1000).toFixed(6) });
        return;
      case 'queuestatus':
        this.queueStatus(socket, headers, respond);
        return;
      case 'queuepause':
        this.queuePause(headers, respond);
        return;
      default:
        respond({ Response: 'Error', Message: 'Invalid/unknown command' });
    }
  }

  private queueStatus(
    socket: Socket,
    headers: Record<string, string>,
    respond: (fields: Record<string, string>) => void,
  ): void {
    respond({ Response: 'Success', EventList: 'start', Message: 'Queue status will follow' });
    const id: Record<string, string> = headers.actionid ? { ActionID: headers.actionid } : {};
    const queues = [...new Set(this.members.map((m) => m.queue))];
    let items = 0;
    for (const queue of queues) {
      socket.write(frame({ Event: 'QueueParams', Queue: queue, Max: '0', Strategy: 'ringall', ...id }));
      items++;
      for (const m of this.members.filter((member) => member.queue === queue)) {
        socket.write(
          frame({
            Event: 'QueueMember',
            Queue: queue,
            Name: m.name,
            Location: m.memberInterface,
            StateInterface: m.stateInterface,
            Membership: m.membership,
            Penalty: '0',
            CallsTaken: '0',
            LastCall: '0',
            LastPause: '0',
            LoginTime: '1795234894',
            InCall: '0',
            Status: m.status ?? '1',
            Paused: m.paused ? '1' : '0',
            PausedReason: m.pausedReason,
            Wrapuptime: '0',
            ...id,
          }),
        );
        items++;
      }
      this.entries
        .filter((e) => e.queue === queue)
        .forEach((e, i) => {
          socket.write(
            frame({
              Event: 'QueueEntry',
              Queue: queue,
              Position: String(i + 1),
              Channel: e.channel,
              Uniqueid: e.uniqueid,
              CallerIDNum: e.callerNumber,
              CallerIDName: e.callerNumber,
              ConnectedLineNum: '<unknown>',
              ConnectedLineName: '<unknown>',
              Wait: String(e.wait),
              Priority: '0',
              ...id,
            }),
          );
          items++;
        });
    }
    socket.write(
      frame({ Event: 'QueueStatusComplete', EventList: 'Complete', ListItems: String(items), ...id }),
    );
  }

  private queuePause(
    headers: Record<string, string>,
    respond: (fields: Record<string, string>) => void,
  ): void {
    if (!headers.interface || headers.paused === undefined) {
      respond({ Response: 'Error', Message: "Need 'Interface' and 'Paused' parameters." });
      return;
    }
    const paused = ['true', 'yes', '1', 'on'].includes(headers.paused.toLowerCase());
    const targets = this.members.filter(
      (m) => m.memberInterface === headers.interface && (!headers.queue || m.queue === headers.queue),
    );
    if (targets.length === 0) {
      respond({ Response: 'Error', Message: 'Interface not found' });
      return;
    }
    for (const m of targets) {
      m.paused = paused;
      m.pausedReason = paused ? (headers.reason ?? '') : '';
    }
    respond({
      Response: 'Success',
      Message: paused ? 'Interface paused successfully' : 'Interface unpaused successfully',
    });
    for (const m of targets) {
      this.emit({
        Event: 'QueueMemberPause',
        Privilege: 'agent,all',
        Queue: m.queue,
        MemberName: m.name,
        Interface: m.memberInterface,
        StateInterface: m.stateInterface,
        Membership: m.membership,
        Paused: m.paused ? '1' : '0',
        PausedReason: m.pausedReason,
      });
    }
  }
}

/** One AMI frame: `Key: value` lines and an empty line. */
export function frame(fields: Record<string, string>): string {
  return `${Object.entries(fields)
    .map(([key, value]) => `${key}: ${value}`)
    .join('\r\n')}\r\n\r\n`;
}
