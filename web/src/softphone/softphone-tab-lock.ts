/**
 * One tab runs the softphone (two tabs registering the same endpoint ring twice and
 * answer nothing). The Web Locks API elects it: the tab holding the exclusive lock
 * `callcenter-softphone` runs SIP; the others wait in the lock's queue, showing "active in another
 * tab", and take over by themselves when that tab closes. "Use here" steals the lock: the holder's
 * lock is released (its request rejects with AbortError), it stops its softphone and queues again.
 *
 * Without Web Locks (an old browser, or an insecure origin) every tab would run: reported as
 * `unsupported` so the UI can say so, and the softphone runs here.
 */

export const SOFTPHONE_LOCK_NAME = 'callcenter-softphone';

/** `pending`: asking; `active`: this tab runs the softphone; `elsewhere`: another tab does. */
export type TabRole = 'pending' | 'active' | 'elsewhere' | 'unsupported';

/** The part of `navigator.locks` used here. */
export interface LockManagerLike {
  request(
    name: string,
    options: { mode?: 'exclusive'; ifAvailable?: boolean; steal?: boolean; signal?: AbortSignal },
    callback: (lock: unknown) => Promise<unknown> | unknown,
  ): Promise<unknown>;
}

export class SoftphoneTabLock {
  private roleNow: TabRole = 'pending';
  private release: (() => void) | null = null;
  private waiting: AbortController | null = null;
  private closed = false;

  constructor(
    private readonly onRole: (role: TabRole) => void,
    private readonly locks: LockManagerLike | undefined = typeof navigator !== 'undefined'
      ? (navigator.locks as LockManagerLike | undefined)
      : undefined,
    private readonly name = SOFTPHONE_LOCK_NAME,
  ) {}

  get role(): TabRole {
    return this.roleNow;
  }

  private set(role: TabRole): void {
    if (this.closed || role === this.roleNow) return;
    this.roleNow = role;
    this.onRole(role);
  }

  /** Takes the lock if free, else waits for it (showing `elsewhere` meanwhile). */
  start(): void {
    if (!this.locks) {
      this.set('unsupported');
      return;
    }
    void this.locks
      .request(this.name, { ifAvailable: true }, (lock) => (lock ? this.hold() : null))
      .then(() => {
        if (!this.closed && this.roleNow === 'pending') this.wait();
      })
      .catch(() => this.wait());
  }

  /** "Use here": takes the lock from the tab holding it. */
  takeOver(): void {
    if (!this.locks || this.roleNow === 'active') return;
    this.waiting?.abort();
    this.waiting = null;
    void this.locks.request(this.name, { steal: true }, () => this.hold()).catch(() => this.wait());
  }

  /** Releases the lock (the next waiting tab takes over) and stops listening. */
  close(): void {
    this.closed = true;
    this.waiting?.abort();
    this.waiting = null;
    this.release?.();
    this.release = null;
  }

  /** Runs while this tab holds the lock; resolves (releasing it) on close. */
  private hold(): Promise<void> {
    this.set('active');
    return new Promise<void>((resolve) => {
      this.release = resolve;
      if (this.closed) resolve();
    });
  }

  /** Queues for the lock; a steal by another tab lands here too. */
  private wait(): void {
    if (this.closed || !this.locks) return;
    this.release = null;
    this.set('elsewhere');
    const controller = new AbortController();
    this.waiting = controller;
    void this.locks
      .request(this.name, { signal: controller.signal }, () => {
        if (this.waiting === controller) this.waiting = null;
        return this.hold();
      })
      .then(() => {
        // Our hold ended by close(): nothing to do.
      })
      .catch((error: unknown) => {
        // Aborted by takeOver (which holds the lock now), or stolen from us: queue again.
        if (this.waiting === controller) this.waiting = null;
        if (isAbort(error) && controller.signal.aborted) return;
        this.wait();
      });
  }
}

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}
