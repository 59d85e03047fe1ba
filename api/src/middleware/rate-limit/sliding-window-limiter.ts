/**
 * A sliding-window counter per key, in memory: at most `limit` events per key in any `windowMs`.
 * State lives in this process only — several API processes each count on their own, and a restart
 * forgets everything; that is acceptable for slowing down password guessing on one server, not a
 * quota. Memory is bounded: a key keeps at most `limit` timestamps, and at `maxKeys` keys expired
 * ones are swept and then the oldest keys dropped.
 */
export interface SlidingWindowOptions {
  /** Events allowed per key within the window (≥ 1). */
  limit: number;
  /** Window length, milliseconds. */
  windowMs: number;
  /** Most keys tracked at once (default 10 000). */
  maxKeys?: number;
  /** Clock in epoch milliseconds (default Date.now); injectable for tests. */
  now?: () => number;
}

/**
 * The counter described above: `hit(key)` records an event, `retryAfterMs(key)` tells how long the
 * key must wait (ms, 0 when allowed), `reset(key)` forgets it.
 */
export class SlidingWindowLimiter {
  readonly limit: number;
  readonly windowMs: number;
  readonly #maxKeys: number;
  readonly #now: () => number;
  /** Per key, the times of its most recent events (ascending, at most `limit`). */
  readonly #events = new Map<string, number[]>();

  constructor(options: SlidingWindowOptions) {
    if (!Number.isInteger(options.limit) || options.limit < 1) throw new RangeError('limit must be ≥ 1');
    if (!(options.windowMs > 0)) throw new RangeError('windowMs must be > 0');
    this.limit = options.limit;
    this.windowMs = options.windowMs;
    this.#maxKeys = options.maxKeys ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** Milliseconds until `key` may have another event; 0 when it may now. */
  retryAfterMs(key: string): number {
    const events = this.#live(key);
    if (events.length < this.limit) return 0;
    return Math.max(1, events[events.length - this.limit]! + this.windowMs - this.#now());
  }

  /** Records one event for `key` now. */
  hit(key: string): void {
    const events = this.#live(key);
    if (!this.#events.has(key)) this.#makeRoom();
    events.push(this.#now());
    if (events.length > this.limit) events.splice(0, events.length - this.limit);
    this.#events.set(key, events);
  }

  /** Forgets `key`'s events. */
  reset(key: string): void {
    this.#events.delete(key);
  }

  /** Keys currently tracked (for tests and diagnostics). */
  get size(): number {
    return this.#events.size;
  }

  /** The key's events still inside the window (expired ones dropped). */
  #live(key: string): number[] {
    const events = this.#events.get(key);
    if (!events) return [];
    const from = this.#now() - this.windowMs;
    const firstLive = events.findIndex((t) => t > from);
    if (firstLive === -1) {
      this.#events.delete(key);
      return [];
    }
    if (firstLive > 0) events.splice(0, firstLive);
    return events;
  }

  #makeRoom(): void {
    if (this.#events.size < this.#maxKeys) return;
    const from = this.#now() - this.windowMs;
    for (const [key, events] of this.#events) {
      if ((events.at(-1) ?? 0) <= from) this.#events.delete(key);
    }
    // Still full: drop the keys tracked longest (a Map iterates in insertion order).
    for (const key of this.#events.keys()) {
      if (this.#events.size < this.#maxKeys) break;
      this.#events.delete(key);
    }
  }
}
