import type { AuthUser } from '../auth/auth-user.ts';
import { eventInScope, type LiveEvent, type LiveEventInput } from './live-event.ts';

/**
 * The in-process live event journal behind `GET /live/events`.
 *
 * - Events are journaled with ids that increase by exactly one; the first id is derived from the
 *   start time (`Date.now() * 1000`), so ids keep increasing across restarts and an id from a
 *   previous process is recognised as too old.
 * - A ring buffer keeps the last `capacity` events (default 10,000) no older than `maxAgeMs`
 *   (default 1 hour): a client reconnecting with `Last-Event-ID` gets what it missed, or a
 *   `refetch` event when that id has left the buffer (or is unknown).
 * - The source feeding it (Postgres NOTIFY `call_changed`, see call-change-source.ts) starts
 *   lazily with the first subscriber and stops after `idleStopMs` without subscribers, or on
 *   `close()`. Whenever the source (re)connects after having been down, notifications may have
 *   been lost, so a `refetch` event (to everyone) is journaled.
 * - Other producers publish with `publish(event)`: the ARI integration will publish ringing /
 *   screen-pop events (`call.ringing`) there, with the call's scope facts.
 */

/** Starts a producer that feeds the bus; resolves once it receives changes. */
export type LiveSource = (sink: LiveSink) => Promise<{ close(): Promise<void> }>;

/** What a source may do with the bus. */
export interface LiveSink {
  publish(event: LiveEventInput): LiveEvent;
  /** Changes may have been missed (a reconnection): tells every client to refetch. */
  resync(reason: string): void;
}

/**
 * The bus's source, ring-buffer size (events) and age limit (ms), and how long it keeps its source
 * without subscribers (ms).
 */
export interface LiveBusOptions {
  source?: LiveSource;
  capacity?: number;
  maxAgeMs?: number;
  idleStopMs?: number;
  /** Events a subscriber may have waiting before it is told to refetch and dropped. */
  subscriberBacklog?: number;
  now?: () => number;
  log?: (line: string) => void;
}

/** What a new subscriber receives first, given its `Last-Event-ID`. */
export type Replay = { refetch: true; reason: string } | { refetch: false; events: LiveEvent[] };

/** One connected client: events in its user's scope, in journal order. */
export class LiveSubscription {
  private readonly queue: LiveEvent[] = [];
  private wake: (() => void) | null = null;
  /** Set when the subscription ended: closed, bus closed, or its backlog overflowed. */
  ended: null | 'closed' | 'overflow' = null;

  constructor(
    readonly user: AuthUser,
    private readonly maxBacklog: number,
    private readonly detach: (subscription: LiveSubscription) => void,
  ) {}

  /** Called by the bus for every event in the user's scope. */
  deliver(event: LiveEvent): void {
    if (this.ended) return;
    if (this.queue.length >= this.maxBacklog) {
      this.end('overflow');
      return;
    }
    this.queue.push(event);
    this.notify();
  }

  /** Drops queued events with ids up to `id` (they were replayed). */
  discardUpTo(id: number): void {
    while (this.queue.length > 0 && this.queue[0]!.id <= id) this.queue.shift();
  }

  /** The next event, or null after `timeoutMs` or once the subscription ended. */
  async next(timeoutMs: number): Promise<LiveEvent | null> {
    const ready = this.queue.shift();
    if (ready || this.ended) return ready ?? null;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve();
      }, timeoutMs);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
    });
    return this.ended ? null : (this.queue.shift() ?? null);
  }

  /** Ends the subscription (idempotent) and wakes a pending `next`. */
  end(reason: 'closed' | 'overflow' = 'closed'): void {
    if (this.ended) return;
    this.ended = reason;
    this.queue.length = 0;
    this.detach(this);
    this.notify();
  }

  private notify(): void {
    this.wake?.();
  }
}

/**
 * The live event journal described above: `publish` journals an event, `resync` journals a
 * `refetch`, `subscribe` streams the events after a `Last-Event-ID` (or a `refetch`) to one client,
 * `close()` stops the source and ends the subscribers.
 */
export class LiveBus implements LiveSink {
  private readonly capacity: number;
  private readonly maxAgeMs: number;
  private readonly idleStopMs: number;
  private readonly maxBacklog: number;
  private readonly now: () => number;
  private readonly log: (line: string) => void;
  private readonly ring: (LiveEvent | undefined)[];
  private start = 0;
  private count = 0;
  /** Id of the newest journaled event (the first event gets lastId + 1). */
  private lastId: number;
  /** Events with ids <= floor are gone (evicted, or from before this bus). */
  private floor: number;
  private readonly subscriptions = new Set<LiveSubscription>();
  private source: { close(): Promise<void> } | null = null;
  private starting: Promise<void> | null = null;
  private sourceRanBefore = false;
  private idleTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly options: LiveBusOptions = {}) {
    this.capacity = options.capacity ?? 10_000;
    this.maxAgeMs = options.maxAgeMs ?? 3_600_000;
    this.idleStopMs = options.idleStopMs ?? 300_000;
    this.maxBacklog = options.subscriberBacklog ?? 10_000;
    this.now = options.now ?? Date.now;
    this.log = options.log ?? (() => {});
    this.ring = new Array(this.capacity);
    this.lastId = this.now() * 1000;
    this.floor = this.lastId;
  }

  /**
   * Journals an event and hands it to every subscriber whose user may see it (eventInScope).
   * Synchronous: ids follow call order. For the ARI integration (ringing / screen pops) and the
   * Postgres source; give `scope` the call's server, operator + rung endpoints and queues.
   */
  publish(input: LiveEventInput): LiveEvent {
    const event: LiveEvent = { ...input, id: ++this.lastId, at: this.now() };
    if (this.count === this.capacity) this.dropOldest();
    this.ring[(this.start + this.count) % this.capacity] = event;
    this.count++;
    this.prune();
    for (const subscription of this.subscriptions) {
      if (eventInScope(subscription.user, event.scope)) subscription.deliver(event);
    }
    return event;
  }

  resync(reason: string): void {
    this.publish({ type: 'refetch', scope: 'all', data: { reason } });
  }

  /** The id of the newest event (or the starting point when none yet). */
  get latestId(): number {
    return this.lastId;
  }

  /** Number of connected subscribers. */
  get subscriberCount(): number {
    return this.subscriptions.size;
  }

  /**
   * Subscribes `user` (starting the source if needed; resolves once it listens) and returns what
   * to send first: the events after `lastEventId` in the user's scope, or a refetch when that id
   * is not in the buffer. `lastEventId` undefined: a fresh connection, nothing to replay.
   */
  async subscribe(
    user: AuthUser,
    lastEventId?: string,
  ): Promise<{ subscription: LiveSubscription; replay: Replay }> {
    if (this.closed) throw new Error('the live bus is closed');
    if (this.idleTimer) {
      clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
    const subscription = new LiveSubscription(user, this.maxBacklog, (s) => this.detach(s));
    this.subscriptions.add(subscription);
    try {
      await this.ensureSource();
    } catch (error) {
      subscription.end();
      throw error;
    }
    // Events published while the source started are queued already; a replay (or a refetch)
    // covers everything up to lastId, so the queue keeps only what comes after it.
    const replay = this.replay(user, lastEventId);
    if (lastEventId !== undefined && lastEventId !== '') subscription.discardUpTo(this.lastId);
    return { subscription, replay };
  }

  /** Stops the source, ends every subscription; later `subscribe` calls fail. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    for (const subscription of [...this.subscriptions]) subscription.end();
    await this.starting?.catch(() => {});
    await this.stopSource();
  }

  private replay(user: AuthUser, lastEventId: string | undefined): Replay {
    if (lastEventId === undefined || lastEventId === '') return { refetch: false, events: [] };
    if (!/^[0-9]{1,16}$/.test(lastEventId)) return { refetch: true, reason: 'unknown Last-Event-ID' };
    const after = Number(lastEventId);
    this.prune();
    if (after > this.lastId) return { refetch: true, reason: 'unknown Last-Event-ID' };
    if (after < this.floor) return { refetch: true, reason: 'Last-Event-ID is older than the journal' };
    const events: LiveEvent[] = [];
    const oldestId = this.lastId - this.count + 1;
    for (let i = after + 1 - oldestId; i < this.count; i++) {
      const event = this.ring[(this.start + i) % this.capacity]!;
      if (eventInScope(user, event.scope)) events.push(event);
    }
    return { refetch: false, events };
  }

  private dropOldest(): void {
    const event = this.ring[this.start]!;
    this.ring[this.start] = undefined;
    this.start = (this.start + 1) % this.capacity;
    this.count--;
    this.floor = event.id;
  }

  private prune(): void {
    const limit = this.now() - this.maxAgeMs;
    while (this.count > 0 && this.ring[this.start]!.at < limit) this.dropOldest();
  }

  private detach(subscription: LiveSubscription): void {
    this.subscriptions.delete(subscription);
    if (this.subscriptions.size > 0 || this.closed || this.idleTimer) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.subscriptions.size === 0) void this.stopSource();
    }, this.idleStopMs);
    this.idleTimer.unref();
  }

  private ensureSource(): Promise<void> {
    if (this.source || !this.options.source) return Promise.resolve();
    if (!this.starting) {
      const start = this.options.source(this);
      this.starting = start
        .then((handle) => {
          this.source = handle;
          // Changes while no source ran were never journaled: clients that were connected then
          // (their Last-Event-ID is at most lastId) must refetch.
          if (this.sourceRanBefore) this.resync('the live source restarted');
          this.sourceRanBefore = true;
        })
        .finally(() => {
          this.starting = null;
        });
    }
    return this.starting;
  }

  private async stopSource(): Promise<void> {
    const source = this.source;
    this.source = null;
    if (source) {
      this.log('live: stopping the change listener');
      await source.close().catch(() => {});
    }
  }
}
