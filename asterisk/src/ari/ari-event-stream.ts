import WebSocket from 'ws';
import type { AriEvent } from './ari-events.ts';
import type { AriConnection } from './ari-rest-client.ts';

/**
 * ARI's event WebSocket (`GET /ari/events?app=<app>&subscribeAll=true`, Basic auth) kept open for
 * good: on any close or error it reconnects after an exponential backoff (`minDelayMs` doubling up
 * to `maxDelayMs`, ±20 % jitter; back to the minimum once a connection stayed up for
 * `stableAfterMs`), and it never gives up (ari-client's own reconnect stops after about a minute,
 * docs/architecture.md#known-sharp-edges). A ping every `pingIntervalMs` detects a dead peer (no pong → terminate →
 * reconnect). Events are delivered in arrival order; `onConnected` runs after every (re)connect,
 * before the events of that connection, so the caller can resynchronise its state (events that
 * happened while disconnected are not replayed by Asterisk).
 */

export interface AriEventStreamOptions extends AriConnection {
  app: string;
  onEvent(event: AriEvent): void;
  /** After each successful connect; `reconnect` is false the first time. */
  onConnected?(reconnect: boolean): void;
  onDisconnected?(reason: string): void;
  log?: (line: string) => void;
  minDelayMs?: number;
  maxDelayMs?: number;
  stableAfterMs?: number;
  pingIntervalMs?: number;
}

/**
 * ARI's event WebSocket kept open for good (see above): `start()` connects (optionally waiting for
 * the first connection), `stop()` closes it and stops reconnecting.
 */
export class AriEventStream {
  private socket: WebSocket | null = null;
  private stopped = false;
  private attempt = 0;
  private connectedOnce = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private pingTimer: NodeJS.Timeout | null = null;
  private stableTimer: NodeJS.Timeout | null = null;
  private firstOpen: { resolve: () => void; reject: (error: Error) => void } | null = null;

  constructor(private readonly options: AriEventStreamOptions) {}

  /** The URL of the event socket (credentials go in the Authorization header, not the URL). */
  get url(): string {
    const base = this.options.url.replace(/\/+$/, '').replace(/^http/, 'ws');
    return `${base}/ari/events?app=${encodeURIComponent(this.options.app)}&subscribeAll=true`;
  }

  /** True while the socket is open. */
  get connected(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  /**
   * Starts connecting; resolves at the first successful connection. With `waitForFirst: false` it
   * resolves at once and keeps trying in the background (Asterisk may start after us).
   */
  start(waitForFirst = true): Promise<void> {
    const first = new Promise<void>((resolve, reject) => {
      this.firstOpen = { resolve, reject };
    });
    this.connect();
    if (!waitForFirst) {
      first.catch(() => {});
      return Promise.resolve();
    }
    return first;
  }

  /** Closes the socket and stops reconnecting. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimers();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const socket = this.socket;
    this.socket = null;
    if (socket && socket.readyState !== WebSocket.CLOSED) {
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      socket.terminate();
      await closed;
    }
    this.firstOpen?.reject(new Error('the ARI event stream was stopped'));
    this.firstOpen = null;
  }

  private connect(): void {
    if (this.stopped) return;
    const log = this.options.log ?? (() => {});
    const auth = Buffer.from(`${this.options.username}:${this.options.password}`).toString('base64');
    const socket = new WebSocket(this.url, {
      headers: { authorization: `Basic ${auth}` },
      handshakeTimeout: 10_000,
    });
    this.socket = socket;
    let alive = true;

    socket.on('open', () => {
      const reconnect = this.connectedOnce;
      this.connectedOnce = true;
      log(`ARI: connected to ${this.url}${reconnect ? ' (reconnected)' : ''}`);
      this.stableTimer = setTimeout(() => {
        this.attempt = 0;
      }, this.options.stableAfterMs ?? 30_000);
      this.pingTimer = setInterval(() => {
        if (!alive) {
          log('ARI: no pong from Asterisk; reconnecting');
          socket.terminate();
          return;
        }
        alive = false;
        socket.ping();
      }, this.options.pingIntervalMs ?? 15_000);
      this.pingTimer.unref();
      try {
        this.options.onConnected?.(reconnect);
      } catch (error) {
        log(`ARI: resynchronisation failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      this.firstOpen?.resolve();
      this.firstOpen = null;
    });
    socket.on('pong', () => {
      alive = true;
    });
    socket.on('message', (data) => {
      let event: AriEvent;
      try {
        event = JSON.parse(data.toString()) as AriEvent;
      } catch {
        log('ARI: an event that is not JSON was skipped');
        return;
      }
      if (typeof event?.type !== 'string') return;
      try {
        this.options.onEvent(event);
      } catch (error) {
        log(`ARI: handling ${event.type} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
    socket.on('error', (error) => {
      log(`ARI: ${error.message}`);
    });
    socket.on('close', (code, reason) => {
      this.clearTimers();
      if (this.socket !== socket) return;
      this.socket = null;
      const why = `closed (${code}${reason.length ? ` ${reason.toString()}` : ''})`;
      this.options.onDisconnected?.(why);
      this.scheduleReconnect(why);
    });
  }

  private scheduleReconnect(why: string): void {
    if (this.stopped) return;
    const min = this.options.minDelayMs ?? 500;
    const max = this.options.maxDelayMs ?? 30_000;
    const base = Math.min(max, min * 2 ** this.attempt);
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    this.attempt = Math.min(this.attempt + 1, 30);
    (this.options.log ?? (() => {}))(`ARI: event socket ${why}; reconnecting in ${delay} ms`);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  private clearTimers(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    if (this.stableTimer) clearTimeout(this.stableTimer);
    this.pingTimer = null;
    this.stableTimer = null;
  }
}
