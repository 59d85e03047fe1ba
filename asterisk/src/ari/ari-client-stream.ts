import { Worker } from 'node:worker_threads';
import type { AriChannel, AriEvent } from './ari-events.ts';
import { type AriConnection, AriRequestError } from './ari-rest-client.ts';

/**
 * ARI through the `ari-client` package, guarded so that nothing it does can end the main job:
 *
 * 1. **Probe** — before every connect, `GET /ari/api-docs/resources.json` with the credentials.
 *    Anything but 200 (404: res_ari not loaded or Asterisk still starting; 401: wrong ARI user;
 *    refused: Asterisk down) is logged once per distinct reason and retried after a backoff;
 *    ari-client is not started against a server that cannot describe its API.
 * 2. **Isolation** — ari-client runs in a worker thread (ari-client-worker.cjs). swagger-client
 *    throws outside any promise when a Swagger document cannot be read (the race the probe
 *    cannot close: Asterisk stopping while its documents load); in the worker that ends only the
 *    worker. Process-level handlers are not used.
 * 3. **Reconnect for good** — when the worker ends (ari-client gave up after its ~10 retries, a
 *    ping got no pong, the load failed), the next probe runs after an exponential backoff
 *    (`minDelayMs` doubling to `maxDelayMs`, ±20 % jitter, back to the minimum once a connection
 *    stayed up `stableAfterMs`).
 *
 * Events arrive in order through `onEvent`; `onConnected(reconnect)` runs after every
 * (re)connect of the event socket, before that connection's events, so the caller can read the
 * channel list and catch up (Asterisk does not replay events). The REST calls the live source
 * needs go through the same client: {@link listChannels}, {@link getVariable}; they reject with
 * {@link AriRequestError} (status 404 for a missing channel or variable, 0 when no client is
 * connected or the transport failed). The log line `ARI: connected to <ws url>` marks each
 * connect (the real-PBX lab waits for it).
 */

export interface AriClientStreamOptions extends AriConnection {
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
  /**
   * The event types the caller reads: Asterisk is asked to send only these (the application's
   * event filter, ari-client-worker.cjs); unset: every event.
   */
  eventTypes?: readonly string[];
}

type WorkerMessage =
  | { kind: 'connected' }
  | { kind: 'event'; event: AriEvent }
  | { kind: 'disconnected'; reason: string }
  | { kind: 'log'; line: string }
  | { kind: 'reply'; id: number; ok: true; value: unknown }
  | { kind: 'reply'; id: number; ok: false; error: { status: number; message: string } };

/** The result of probing the API description: null when ARI can be connected. */
export async function probeAri(connection: AriConnection): Promise<string | null> {
  const url = `${connection.url.replace(/\/+$/, '')}/ari/api-docs/resources.json`;
  const auth = Buffer.from(`${connection.username}:${connection.password}`).toString('base64');
  try {
    const res = await fetch(url, {
      headers: { authorization: `Basic ${auth}`, accept: 'application/json' },
      signal: AbortSignal.timeout(connection.timeoutMs ?? 5000),
    });
    await res.arrayBuffer().catch(() => undefined);
    if (res.ok) return null;
    if (res.status === 404)
      return `GET ${url} answered 404: res_ari is not loaded (modules.conf) or Asterisk is still starting`;
    if (res.status === 401) return `GET ${url} answered 401: the ARI user or password is wrong (ari.conf)`;
    return `GET ${url} answered ${res.status} ${res.statusText}`;
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return `GET ${url} failed: ${cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error))}`;
  }
}

/** What a worker threw, in one line: swagger-client throws strings and plain objects too. */
function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error).slice(0, 300);
  } catch {
    return String(error);
  }
}

const WORKER_URL = new URL('./ari-client-worker.cjs', import.meta.url);

export class AriClientStream {
  private worker: Worker | null = null;
  private stopped = false;
  private running: Promise<void> | null = null;
  private attempt = 0;
  private connectedOnce = false;
  private isConnected = false;
  private lastReason: string | null = null;
  private stableTimer: NodeJS.Timeout | null = null;
  private wake: (() => void) | null = null;
  private nextCall = 0;
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void; method: string }
  >();
  private firstOpen: { resolve: () => void; reject: (error: Error) => void } | null = null;
  private readonly log: (line: string) => void;

  constructor(private readonly options: AriClientStreamOptions) {
    this.log = options.log ?? (() => {});
  }

  /** The URL of the event socket ari-client opens (credentials not shown). */
  get url(): string {
    const base = this.options.url.replace(/\/+$/, '').replace(/^http/, 'ws');
    return `${base}/ari/events?app=${encodeURIComponent(this.options.app)}&subscribeAll=true`;
  }

  /** True while ari-client's event socket is open. */
  get connected(): boolean {
    return this.isConnected;
  }

  /**
   * Starts connecting; resolves at the first successful connection. With `waitForFirst: false`
   * it resolves at once and keeps trying in the background (Asterisk may start after us).
   */
  start(waitForFirst = true): Promise<void> {
    const first = new Promise<void>((resolve, reject) => {
      this.firstOpen = { resolve, reject };
    });
    this.running = this.run();
    if (!waitForFirst) {
      first.catch(() => {});
      return Promise.resolve();
    }
    return first;
  }

  /** Ends the worker and stops reconnecting. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.stableTimer) clearTimeout(this.stableTimer);
    this.wake?.();
    await this.worker?.terminate();
    await this.running;
    this.firstOpen?.reject(new Error('the ARI event stream was stopped'));
    this.firstOpen = null;
  }

  /** `GET /ari/channels` through ari-client (`channels.list`). */
  async listChannels(): Promise<AriChannel[]> {
    return (await this.call('listChannels', {})) as AriChannel[];
  }

  /** A channel variable or function (`CHANNEL(linkedid)`) through ari-client (`channels.getChannelVar`). */
  async getVariable(channelId: string, variable: string): Promise<string> {
    return String((await this.call('getVariable', { channelId, variable })) ?? '');
  }

  private call(method: string, args: Record<string, string>): Promise<unknown> {
    const worker = this.worker;
    if (!worker || !this.isConnected)
      return Promise.reject(new AriRequestError(0, 'ARI is not connected', 'GET', method));
    const id = ++this.nextCall;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, method });
      worker.postMessage({ kind: 'call', id, method, args });
    });
  }

  /** Says `reason` unless it is the one said last (a 404 that lasts is said once). */
  private sayOnce(reason: string): void {
    if (reason === this.lastReason) return;
    this.lastReason = reason;
    this.log(`ARI: ${reason}; retrying with backoff`);
  }

  private delay(): Promise<void> {
    const min = this.options.minDelayMs ?? 500;
    const max = this.options.maxDelayMs ?? 30_000;
    const base = Math.min(max, min * 2 ** this.attempt);
    const ms = Math.round(base * (0.8 + Math.random() * 0.4));
    this.attempt = Math.min(this.attempt + 1, 30);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
    });
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const problem = await probeAri(this.options);
      if (this.stopped) return;
      if (problem) {
        this.sayOnce(problem);
      } else {
        const ended = await this.runWorker();
        if (this.stopped) return;
        this.sayOnce(ended);
      }
      await this.delay();
    }
  }

  /** Runs one worker until it ends; resolves with why it ended. */
  private runWorker(): Promise<string> {
    return new Promise((resolve) => {
      let why = 'the ari-client worker ended';
      const worker = new Worker(WORKER_URL, {
        execArgv: [],
        stdout: true,
        stderr: true,
        workerData: {
          url: this.options.url,
          username: this.options.username,
          password: this.options.password,
          app: this.options.app,
          pingIntervalMs: this.options.pingIntervalMs ?? 15_000,
          eventTypes: this.options.eventTypes ? [...this.options.eventTypes] : null,
        },
      });
      this.worker = worker;
      // swagger-client prints to the console; its Swagger 1.1 deprecation notice is noise.
      for (const stream of [worker.stdout, worker.stderr])
        stream.on('data', (chunk: Buffer) => {
          for (const line of chunk.toString().split('\n')) {
            const text = line.trim();
            if (text && !/deprecated version of Swagger|^\[$|^\]$/.test(text) && text !== "'")
              this.log(`ARI (ari-client): ${text}`);
          }
        });
      worker.on('message', (message: WorkerMessage) => this.onMessage(message, (reason) => (why = reason)));
      worker.on('error', (error: unknown) => {
        why = `ari-client failed: ${describe(error)}`;
      });
      worker.once('exit', () => {
        if (this.worker === worker) this.worker = null;
        if (this.stableTimer) clearTimeout(this.stableTimer);
        for (const [id, call] of this.pending) {
          this.pending.delete(id);
          call.reject(new AriRequestError(0, `ARI: ${why}`, 'GET', call.method));
        }
        if (this.isConnected) {
          this.isConnected = false;
          this.options.onDisconnected?.(why);
        }
        resolve(why);
      });
    });
  }

  private onMessage(message: WorkerMessage, setWhy: (reason: string) => void): void {
    switch (message.kind) {
      case 'log':
        this.log(message.line);
        break;
      case 'event':
        try {
          this.options.onEvent(message.event);
        } catch (error) {
          this.log(
            `ARI: handling ${message.event.type} failed: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
        return;
      case 'connected': {
        const reconnect = this.connectedOnce;
        this.connectedOnce = true;
        this.isConnected = true;
        this.lastReason = null;
        this.log(`ARI: connected to ${this.url} through ari-client${reconnect ? ' (reconnected)' : ''}`);
        this.stableTimer = setTimeout(() => {
          this.attempt = 0;
        }, this.options.stableAfterMs ?? 30_000);
        try {
          this.options.onConnected?.(reconnect);
        } catch (error) {
          this.log(
            `ARI: resynchronisation failed: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
        this.firstOpen?.resolve();
        this.firstOpen = null;
        return;
      }
      case 'disconnected':
        setWhy(message.reason);
        if (this.stableTimer) clearTimeout(this.stableTimer);
        if (this.isConnected) {
          this.isConnected = false;
          this.log(`ARI: ${message.reason}`);
          this.options.onDisconnected?.(message.reason);
        }
        return;
      case 'reply': {
        const call = this.pending.get(message.id);
        if (!call) return;
        this.pending.delete(message.id);
        if (message.ok) call.resolve(message.value);
        else
          call.reject(new AriRequestError(message.error.status, message.error.message, 'GET', call.method));
        return;
      }
    }
  }
}
