/**
 * One Server-Sent Events connection to `GET /live/events` (api/src/routes/live/live-routes.ts),
 * shared by every listener of the page.
 *
 * - EventSource cannot send headers, so the access token goes in `?access_token=`; a token about
 *   to expire is refreshed first (the server checks it only when the stream opens).
 * - The browser's own EventSource retry would reuse the old URL (and token), so on any error the
 *   source is closed and reopened here, after 1, 2, 4 … 30 s, with `?last_event_id=` set to the
 *   last id seen: the server replays what was missed, or sends `refetch` when it no longer has it.
 *   A stream that fails before `ready` twice in a row forces a token refresh (a 401 looks like any
 *   other failure to EventSource).
 * - `ready` carries `latest_id`: kept as the resume point before any event arrives, so a drop right
 *   after connecting still replays.
 * - Opened with the first listener, closed one second after the last one leaves (React StrictMode
 *   mounts effects twice).
 */

/** A message of the stream: the SSE `event:` type, its `id:` and its parsed `data:`. */
export interface LiveMessage {
  /** `call.ringing`, `call.updated`, `refetch`, … (`ready` is not passed to listeners). */
  type: string;
  /** The journal id (`id:`), or null (refetch after overflow, ready). */
  id: string | null;
  /** The JSON payload: `{id, type, at, ...data}` (api/src/live/live-event.ts eventJson). */
  data: Record<string, unknown>;
}

/** Called with every event of the stream but `ready`. */
export type LiveListener = (message: LiveMessage) => void;

/** `idle`: no listener; `connecting`: opening; `open`: `ready` received; `retrying`: waiting to reopen. */
export type LiveStatus = 'idle' | 'connecting' | 'open' | 'retrying' | 'signed-out';

/** Event types the stream may send (EventSource needs one listener per named event). */
export const LIVE_EVENT_TYPES = [
  'refetch',
  'call.ringing',
  'call.answered',
  'call.held',
  'call.unheld',
  'call.transferred',
  'call.hangup',
  'call.updated',
  'call.ended',
  'card.completed',
  'presence.changed',
] as const;

/** The part of EventSource used here (a fake in tests). */
export interface EventSourceLike {
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  close(): void;
  onerror: ((event: Event) => void) | null;
}

/**
 * What a {@link LiveConnection} runs on: EventSource, the access token, timers (fakes in tests)
 * and the stream's path.
 */
export interface LiveConnectionDeps {
  createEventSource(url: string): EventSourceLike;
  /** The current access token, refreshed first when `force` or about to expire; null: signed out. */
  accessToken(force: boolean): Promise<string | null>;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Where the API lives (default: same origin, path `/live/events`). */
  path?: string;
}

/** Delay before reopening after `failures` consecutive failures: 1, 2, 4, 8, 16, 30, 30 … s. */
export function retryDelayMs(failures: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, failures - 1));
}

/** `/live/events?access_token=…[&last_event_id=…]`. */
export function liveEventsUrl(path: string, token: string, lastEventId: string | null): string {
  const params = new URLSearchParams({ access_token: token });
  if (lastEventId !== null) params.set('last_event_id', lastEventId);
  return `${path}?${params.toString()}`;
}

const IDLE_CLOSE_MS = 1000;

/**
 * One `GET /live/events` stream shared by the app: opened while anyone listens (closed a second
 * after the last leaves), reopened after 1, 2, 4 … 30 s with a fresh token and `last_event_id`,
 * and `signed-out` when there is no token.
 */
export class LiveConnection {
  private readonly listeners = new Set<LiveListener>();
  private readonly statusListeners = new Set<() => void>();
  private source: EventSourceLike | null = null;
  private retryTimer: unknown = null;
  private idleTimer: unknown = null;
  private failures = 0;
  /** Failures in a row that happened before `ready` (the stream was refused). */
  private refusals = 0;
  private generation = 0;
  private lastEventId: string | null = null;
  private currentStatus: LiveStatus = 'idle';

  constructor(private readonly deps: LiveConnectionDeps) {}

  /** The connection's state, for a status badge. */
  get status(): LiveStatus {
    return this.currentStatus;
  }

  /** The last journal id received (the resume point). */
  get resumeId(): string | null {
    return this.lastEventId;
  }

  /** Adds a listener (opening the stream if it is the first); returns the unsubscribe function. */
  subscribe(listener: LiveListener): () => void {
    this.listeners.add(listener);
    if (this.idleTimer !== null) {
      this.deps.clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
    if (this.currentStatus === 'idle' || this.currentStatus === 'signed-out') void this.open();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.idleTimer === null) {
        this.idleTimer = this.deps.setTimeout(() => {
          this.idleTimer = null;
          if (this.listeners.size === 0) this.close();
        }, IDLE_CLOSE_MS);
      }
    };
  }

  /** Calls `listener` whenever `status` changes (for useSyncExternalStore). */
  onStatus(listener: () => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Closes the stream now (sign-out, or no listener left). */
  close(status: LiveStatus = 'idle'): void {
    this.generation++;
    this.source?.close();
    this.source = null;
    if (this.retryTimer !== null) this.deps.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.failures = 0;
    this.refusals = 0;
    this.setStatus(status);
  }

  private setStatus(status: LiveStatus): void {
    if (status === this.currentStatus) return;
    this.currentStatus = status;
    for (const listener of this.statusListeners) listener();
  }

  private async open(): Promise<void> {
    const generation = ++this.generation;
    this.setStatus('connecting');
    let token: string | null;
    try {
      token = await this.deps.accessToken(this.refusals >= 2);
    } catch {
      token = null;
    }
    if (generation !== this.generation) return;
    if (token === null) {
      this.close('signed-out');
      return;
    }
    const source = this.deps.createEventSource(
      liveEventsUrl(this.deps.path ?? '/live/events', token, this.lastEventId),
    );
    this.source = source;
    let ready = false;
    source.addEventListener('ready', (event) => {
      if (generation !== this.generation) return;
      ready = true;
      this.failures = 0;
      this.refusals = 0;
      const latest = parse(event.data).latest_id;
      if (this.lastEventId === null && (typeof latest === 'number' || typeof latest === 'string'))
        this.lastEventId = String(latest);
      this.setStatus('open');
    });
    for (const type of LIVE_EVENT_TYPES) {
      source.addEventListener(type, (event) => {
        if (generation !== this.generation) return;
        if (event.lastEventId) this.lastEventId = event.lastEventId;
        this.emit({ type, id: event.lastEventId || null, data: parse(event.data) });
      });
    }
    source.onerror = () => {
      if (generation !== this.generation) return;
      source.close();
      this.source = null;
      this.failures++;
      this.refusals = ready ? 0 : this.refusals + 1;
      this.setStatus('retrying');
      this.retryTimer = this.deps.setTimeout(() => {
        this.retryTimer = null;
        if (generation === this.generation) void this.open();
      }, retryDelayMs(this.failures));
    };
  }

  private emit(message: LiveMessage): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(message);
      } catch (error) {
        // One listener's bug must not stop the others.
        console.error('live event listener failed', error);
      }
    }
  }
}

function parse(data: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(data);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
