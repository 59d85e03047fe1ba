import { createRequire } from 'node:module';
import { AmiActionError, AmiTimeoutError, AmiUnavailableError } from './ami-errors.ts';

/**
 * An Asterisk Manager Interface (AMI, TCP 5038) session that stays up: `asterisk-manager` (the
 * maintained npm AMI client: protocol framing, `Action`/`ActionID` encoding, response and event
 * parsing) wrapped with what it lacks for a server process:
 *
 * - reconnection with exponential backoff and jitter (default 1 s doubling to 30 s), forever —
 *   the library's own `keepConnected` waits 10–60 s linearly, logs to the console and re-binds its
 *   `connect` to the wrong object; each attempt here is a fresh library instance, so no half-read
 *   frame or held action survives a dropped socket;
 * - promises with a timeout per action (default 5 s; a timeout drops the session, which is then
 *   re-opened: a silent socket is treated as a dead one), and a periodic `Ping` (default every
 *   30 s) so a half-open connection is noticed;
 * - fail fast when the session is not up ({@link AmiUnavailableError}) instead of the library's
 *   "held until logged in" queue, which would apply a queue pause minutes later, unasked;
 * - list actions (`QueueStatus` … `QueueStatusComplete`) collected by ActionID;
 * - `onReady` listeners run after every (re-)login — the place to re-read state Asterisk may have
 *   lost or changed while the link was down.
 *
 * Messages are plain objects with the header names lower-cased (`{event: 'QueueMemberPause',
 * interface: 'PJSIP/101', paused: '1'}`), as asterisk-manager parses them; a repeated header keeps
 * its first value. Sent headers are written by asterisk-manager as `Name: value` with the name's
 * first letter upper-cased and the rest lower-cased (`Eventmask`), which Asterisk reads
 * case-insensitively (manager.c `astman_get_header`).
 */

/** One AMI response or event: header names lower-cased. */
export type AmiMessage = Readonly<Record<string, string>>;

/** Timing and logging of an {@link AmiClient}. */
export interface AmiClientOptions {
  host: string;
  port: number;
  username: string;
  secret: string;
  /** Name in log lines and errors (the Asterisk server id). */
  name?: string;
  /**
   * Event classes wanted after login (the `EventMask` of AMI's `Events` action: `on`, `off`, or
   * classes such as `agent`). Default `on`: every event the AMI user may read (manager.conf `read=`).
   */
  eventMask?: string;
  /** Time allowed for the TCP connection plus login, and for each action's response (ms, default 5000). */
  actionTimeoutMs?: number;
  /** First reconnection delay (ms, default 1000); doubles per failed attempt up to `maxReconnectDelayMs`. */
  reconnectDelayMs?: number;
  /** Longest reconnection delay (ms, default 30000). */
  maxReconnectDelayMs?: number;
  /** `Ping` period while connected (ms, default 30000; 0 = never). */
  pingIntervalMs?: number;
  log?: (line: string) => void;
  /** Source of jitter in [0, 1) (default Math.random). */
  random?: () => number;
}

/**
 * Where the session stands: not started, connecting, logged in (`ready`), waiting to reconnect, or
 * closed for good.
 */
export type AmiClientState = 'idle' | 'connecting' | 'ready' | 'waiting' | 'closed';

/** The part of asterisk-manager's instance used here (the package ships no types). */
interface Manager {
  connect(port: number, host: string, callback?: () => void): void;
  login(callback?: (error?: Record<string, unknown>) => void): void;
  action(
    action: Record<string, string>,
    callback?: (error: Record<string, unknown> | undefined, response?: Record<string, unknown>) => void,
  ): string;
  disconnect(callback?: () => void): void;
  on(event: string, listener: (...args: never[]) => void): void;
}
type ManagerFactory = (
  port?: number,
  host?: string,
  username?: string,
  password?: string,
  events?: boolean,
) => Manager;

// asterisk-manager is CommonJS (module.exports = the factory) without typings.
const createManager = createRequire(import.meta.url)('asterisk-manager') as ManagerFactory;

interface Pending {
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

interface ListCollector {
  complete: string;
  events: AmiMessage[];
  done(events: AmiMessage[]): void;
}

/** Flattens asterisk-manager's parsed object: first value of repeated headers, no sub-objects. */
function normalize(raw: Record<string, unknown> | undefined): AmiMessage {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw ?? {})) {
    if (typeof value === 'string') out[key] = value;
    else if (Array.isArray(value) && typeof value[0] === 'string') out[key] = value[0];
  }
  return out;
}

/**
 * One AMI session that stays up (see above): `start()` connects in the background, `whenReady`
 * waits for the login, `action`/`list` send actions (their errors are documented there),
 * `onReady`/`onDown`/`onEvent` subscribe, and `close()` ends it for good.
 */
export class AmiClient {
  private readonly name: string;
  private readonly actionTimeoutMs: number;
  private readonly reconnectDelayMs: number;
  private readonly maxReconnectDelayMs: number;
  private readonly pingIntervalMs: number;
  private readonly log: (line: string) => void;
  private readonly random: () => number;
  private currentState: AmiClientState = 'idle';
  private manager: Manager | null = null;
  /** Increases per connection attempt: callbacks of an older attempt are ignored. */
  private session = 0;
  private failures = 0;
  private nextActionId = 0;
  private readonly pending = new Map<string, Pending>();
  private readonly lists = new Map<string, ListCollector>();
  private readonly eventListeners = new Set<(event: AmiMessage) => void>();
  private readonly readyListeners = new Set<() => void>();
  private readonly downListeners = new Set<(reason: string) => void>();
  private reconnectTimer: NodeJS.Timeout | null = null;
  private loginTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: AmiClientOptions) {
    this.name = options.name ?? `${options.host}:${options.port}`;
    this.actionTimeoutMs = options.actionTimeoutMs ?? 5000;
    this.reconnectDelayMs = options.reconnectDelayMs ?? 1000;
    this.maxReconnectDelayMs = options.maxReconnectDelayMs ?? 30_000;
    this.pingIntervalMs = options.pingIntervalMs ?? 30_000;
    this.log = options.log ?? (() => {});
    this.random = options.random ?? Math.random;
  }

  get state(): AmiClientState {
    return this.currentState;
  }

  /** True while logged in (actions are sent). */
  get ready(): boolean {
    return this.currentState === 'ready';
  }

  /** Starts connecting (returns at once; see `whenReady`, `onReady`). Idempotent. */
  start(): void {
    if (this.currentState === 'idle') this.open();
  }

  /** Resolves once logged in (at once if already); rejects after `timeoutMs` or on `close()`. */
  whenReady(timeoutMs: number): Promise<void> {
    if (this.ready) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.readyListeners.delete(onReady);
        reject(new AmiUnavailableError(`AMI ${this.name}: not connected within ${timeoutMs} ms`));
      }, timeoutMs);
      const onReady = () => {
        clearTimeout(timer);
        this.readyListeners.delete(onReady);
        resolve();
      };
      this.readyListeners.add(onReady);
    });
  }

  /** Calls `listener` after every successful login (the first and each reconnection). */
  onReady(listener: () => void): () => void {
    this.readyListeners.add(listener);
    return () => this.readyListeners.delete(listener);
  }

  /** Calls `listener` with a reason whenever an established or attempted session ends. */
  onDown(listener: (reason: string) => void): () => void {
    this.downListeners.add(listener);
    return () => this.downListeners.delete(listener);
  }

  /** Every event of the session (except the items of a pending `list`). */
  onEvent(listener: (event: AmiMessage) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /**
   * Sends one action (`{Action: 'QueuePause', Interface: 'PJSIP/101', Paused: 'true'}`; the
   * ActionID is added) and resolves with its `Response: Success` message.
   * @throws AmiUnavailableError when not logged in; AmiActionError on `Response: Error`;
   *   AmiTimeoutError without a response in time (the session is then re-opened).
   */
  action(fields: Readonly<Record<string, string>>): Promise<AmiMessage> {
    return this.send(fields, null).then((result) => result.response);
  }

  /**
   * Sends a list action and resolves with its events, up to and without the `completeEvent`
   * (e.g. `QueueStatus` → `QueueParams`/`QueueMember`/`QueueEntry` items, `QueueStatusComplete`).
   * Same errors as `action`; the timeout covers the whole list.
   */
  async list(fields: Readonly<Record<string, string>>, completeEvent: string): Promise<AmiMessage[]> {
    const result = await this.send(fields, completeEvent.toLowerCase());
    return result.events;
  }

  /** Ends the session and stops reconnecting; pending actions fail with AmiUnavailableError. */
  async close(): Promise<void> {
    if (this.currentState === 'closed') return;
    this.currentState = 'closed';
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.endSession('the client was closed');
    this.readyListeners.clear();
  }

  private send(
    fields: Readonly<Record<string, string>>,
    completeEvent: string | null,
  ): Promise<{ response: AmiMessage; events: AmiMessage[] }> {
    const manager = this.manager;
    if (this.currentState !== 'ready' || !manager) {
      return Promise.reject(
        new AmiUnavailableError(`AMI ${this.name} is not connected (${this.currentState})`),
      );
    }
    const session = this.session;
    const actionId = `cc-${session}-${++this.nextActionId}`;
    const actionName = fields.Action ?? fields.action ?? '?';
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(actionId);
        this.lists.delete(actionId);
        reject(
          new AmiTimeoutError(`AMI ${this.name}: no response to ${actionName} in ${this.actionTimeoutMs} ms`),
        );
        this.sessionLost(session, `no response to ${actionName}`);
      }, this.actionTimeoutMs);
      this.pending.set(actionId, { reject, timer });
      let response: AmiMessage | null = null;
      const finish = (events: AmiMessage[]) => {
        clearTimeout(timer);
        this.pending.delete(actionId);
        this.lists.delete(actionId);
        resolve({ response: response ?? {}, events });
      };
      if (completeEvent) {
        this.lists.set(actionId, {
          complete: completeEvent,
          events: [],
          done: (events) => (response ? finish(events) : undefined),
        });
      }
      manager.action({ ...fields, actionid: actionId }, (error, raw) => {
        if (!this.pending.has(actionId)) return;
        if (error) {
          clearTimeout(timer);
          this.pending.delete(actionId);
          this.lists.delete(actionId);
          const message = normalize(error);
          reject(new AmiActionError(actionName, message.message ?? 'error', message));
          return;
        }
        response = normalize(raw);
        if (!completeEvent) finish([]);
      });
    });
  }

  private open(): void {
    if (this.currentState === 'closed') return;
    this.currentState = 'connecting';
    const session = ++this.session;
    // No port: the factory does not connect by itself; events on (the mask is set after login).
    const manager = createManager(
      undefined,
      this.options.host,
      this.options.username,
      this.options.secret,
      true,
    );
    this.manager = manager;
    let lastError = '';
    manager.on('error', ((error: Error) => {
      lastError = error.message;
    }) as (...args: never[]) => void);
    manager.on('close', (() => this.sessionLost(session, lastError || 'the connection closed')) as (
      ...args: never[]
    ) => void);
    manager.on('managerevent', ((event: Record<string, unknown>) => {
      if (session === this.session) this.dispatch(normalize(event));
    }) as (...args: never[]) => void);
    this.loginTimer = setTimeout(
      () => this.sessionLost(session, `no connection and login within ${this.actionTimeoutMs} ms`),
      this.actionTimeoutMs,
    );
    manager.connect(this.options.port, this.options.host, () => {
      if (session !== this.session) return;
      manager.login((error) => {
        if (session !== this.session) return;
        if (this.loginTimer) clearTimeout(this.loginTimer);
        if (error) {
          this.sessionLost(session, `login refused: ${normalize(error).message ?? 'error'}`);
          return;
        }
        void this.established(session);
      });
    });
  }

  /** Logged in: event mask, ping, then the ready listeners. */
  private async established(session: number): Promise<void> {
    this.currentState = 'ready';
    const mask = this.options.eventMask ?? 'on';
    if (mask !== 'on') {
      try {
        await this.action({ Action: 'Events', EventMask: mask });
      } catch (error) {
        if (session !== this.session) return;
        this.log(
          `AMI ${this.name}: Events ${mask} refused (${(error as Error).message}); receiving all events`,
        );
      }
    }
    if (session !== this.session || this.currentState !== 'ready') return;
    this.failures = 0;
    if (this.pingIntervalMs > 0) {
      this.pingTimer = setInterval(
        () => void this.action({ Action: 'Ping' }).catch(() => {}),
        this.pingIntervalMs,
      );
      this.pingTimer.unref();
    }
    this.log(`AMI ${this.name}: logged in as ${this.options.username}`);
    for (const listener of [...this.readyListeners]) listener();
  }

  private dispatch(event: AmiMessage): void {
    const actionId = event.actionid;
    const collector = actionId ? this.lists.get(actionId) : undefined;
    if (collector) {
      if ((event.event ?? '').toLowerCase() === collector.complete) collector.done(collector.events);
      else collector.events.push(event);
      return;
    }
    for (const listener of [...this.eventListeners]) {
      try {
        listener(event);
      } catch (error) {
        this.log(`AMI ${this.name}: event listener failed: ${(error as Error).message}`);
      }
    }
  }

  /** Ends the session `session` (if still current) and schedules the next attempt. */
  private sessionLost(session: number, reason: string): void {
    if (session !== this.session || this.currentState === 'closed') return;
    const wasReady = this.currentState === 'ready';
    this.endSession(reason);
    this.failures++;
    const ceiling = Math.min(this.maxReconnectDelayMs, this.reconnectDelayMs * 2 ** (this.failures - 1));
    // Jitter in [ceiling/2, ceiling): several API processes do not reconnect in step.
    const delay = Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
    this.currentState = 'waiting';
    this.log(
      `AMI ${this.name}: ${wasReady ? 'session lost' : 'cannot connect'} (${reason}); retry in ${delay} ms`,
    );
    for (const listener of [...this.downListeners]) listener(reason);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.open();
    }, delay);
    this.reconnectTimer.unref();
  }

  /** Drops the library instance; pending actions and lists fail. */
  private endSession(reason: string): void {
    this.session++;
    if (this.loginTimer) clearTimeout(this.loginTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.loginTimer = null;
    this.pingTimer = null;
    for (const [actionId, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new AmiUnavailableError(`AMI ${this.name}: ${reason}`));
      this.pending.delete(actionId);
    }
    this.lists.clear();
    const manager = this.manager;
    this.manager = null;
    manager?.disconnect();
  }
}
