import type { AriEvent } from '@callcenter/asterisk/ari';
import { AriClientStream, type AriConnection, AriRequestError } from '@callcenter/asterisk/ari';
import type pg from 'pg';
import type { LiveAction } from './live-action.ts';
import { LiveCallTracker, TRACKED_ARI_EVENTS } from './live-call-tracker.ts';
import type { CallStateNotification } from './live-notification.ts';
import { ProvisionalCards } from './provisional-cards.ts';

/**
 * The live ARI source of one Asterisk server (README.md, "Live calls"): ARI events → provisional call state
 * (live/live-call-tracker.ts) → provisional cards and `call_live` notifications
 * (live/provisional-cards.ts) that the API turns into screen-pops on `GET /live/events`.
 *
 * - Events feed the state machine one at a time in arrival order; the database work that follows
 *   runs in order per operator channel (a ring's card exists before its hangup) and in parallel
 *   across channels (throughput and latency: `npm run bench:live`, README.md "Live calls").
 * - After every reconnect the channel list is read (`GET /ari/channels`) and reconciled with the
 *   tracked state before the new connection's events: rings and answers missed while the socket
 *   was down are announced, channels that vanished are hung up — no card-relevant event is lost.
 * - A ring whose linkedid cannot be derived from the events (its parent was created while
 *   disconnected) asks Asterisk for `CHANNEL(linkedid)` first.
 * - Operators are the server's app.operators endpoints, re-read every minute.
 * - Failures (database, ARI) are logged and the source goes on; the CEL path stays authoritative.
 * - ARI itself is the `ari-client` package behind the guards of asterisk/src/ari/ari-client-stream.ts (probe of the
 *   API description, a worker thread, reconnect for good).
 */

export interface AriLiveSourceOptions {
  connection: AriConnection;
  /** ARI application name (ARI_APP, default `callcenter`). */
  app: string;
  serverId: string;
  pool: pg.Pool;
  log?: (line: string) => void;
  /** Backoff of the event socket (tests shorten it). */
  reconnect?: { minDelayMs?: number; maxDelayMs?: number };
  /** Called after each event is fully handled (tests, benchmarks). */
  onHandled?: (event: AriEvent) => void;
}

const MAX_CACHED_CARDS = 10_000;
const OPERATOR_REFRESH_MS = 60_000;

/**
 * One Asterisk server's ARI events, followed for good (reconnecting with backoff), turned into
 * provisional cards and `call_live` notifications; after each (re)connect it reads the channels
 * Asterisk has, so rings missed meanwhile are still announced.
 */
export class AriLiveSource {
  private readonly stream: AriClientStream;
  private readonly cards: ProvisionalCards;
  private readonly tracker: LiveCallTracker;
  private operators = new Set<string>();
  private readonly cardByLinkedid = new Map<string, { id: number; queue: string | null }>();
  /** Database work per operator channel: one channel's actions in order, channels in parallel. */
  private readonly chains = new Map<string, Promise<void>>();
  /** Events received while the channel list is being read after a (re)connect. */
  private buffered: { event: AriEvent; receivedAt: number }[] | null = null;
  private operatorTimer: NodeJS.Timeout | null = null;
  private readonly log: (line: string) => void;

  constructor(private readonly options: AriLiveSourceOptions) {
    this.log = options.log ?? (() => {});
    this.cards = new ProvisionalCards(options.pool);
    this.tracker = new LiveCallTracker((endpoint) => this.operators.has(endpoint));
    this.stream = new AriClientStream({
      ...options.connection,
      app: options.app,
      // Only what the tracker reads: a busy Asterisk's stream is mostly ChannelVarset/Dialplan.
      eventTypes: TRACKED_ARI_EVENTS,
      log: this.log,
      minDelayMs: options.reconnect?.minDelayMs,
      maxDelayMs: options.reconnect?.maxDelayMs,
      onConnected: (reconnect) => {
        void this.resync(reconnect);
      },
      onEvent: (event) => {
        const receivedAt = Date.now();
        if (this.buffered) this.buffered.push({ event, receivedAt });
        else this.handle(event, receivedAt);
      },
    });
  }

  /** Channels tracked right now. */
  get trackedChannels(): number {
    return this.tracker.size;
  }

  get connected(): boolean {
    return this.stream.connected;
  }

  /**
   * Loads the operators and connects. With `waitForFirst` false (the main job), resolves at once
   * and keeps connecting in the background: Asterisk may come up later.
   */
  async start(waitForFirst = false): Promise<void> {
    await this.loadOperators();
    this.operatorTimer = setInterval(() => {
      void this.loadOperators().catch((error: Error) =>
        this.log(`ARI: reading operators failed: ${error.message}`),
      );
    }, OPERATOR_REFRESH_MS);
    this.operatorTimer.unref();
    await this.stream.start(waitForFirst);
  }

  async stop(): Promise<void> {
    if (this.operatorTimer) clearInterval(this.operatorTimer);
    await this.stream.stop();
    await this.idle();
  }

  /** Resolves once the database work of every event received so far is done. */
  async idle(): Promise<void> {
    while (this.buffered || this.chains.size > 0) {
      await Promise.all([...this.chains.values()]);
      if (this.buffered) await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Runs `work` after the earlier work of the same operator channel. */
  private schedule(key: string, work: () => Promise<void>): Promise<void> {
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous.then(work).catch((error: Error) => this.log(`ARI: ${error.message}`));
    this.chains.set(key, next);
    void next.then(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
    return next;
  }

  private async loadOperators(): Promise<void> {
    const { rows } = await this.options.pool.query<{ endpoint: string }>(
      'SELECT endpoint FROM app.operators WHERE server_id = $1 AND active',
      [this.options.serverId],
    );
    this.operators = new Set(rows.map((r) => r.endpoint));
  }

  /**
   * After a (re)connect: the events of the new connection wait while Asterisk's channel list is
   * read and reconciled with the tracked state (what happened while disconnected), then run.
   */
  private async resync(reconnect: boolean): Promise<void> {
    this.buffered ??= [];
    try {
      const channels = await this.stream.listChannels();
      const actions = this.tracker.resync(channels, new Date().toISOString());
      if (reconnect || actions.length > 0)
        this.log(`ARI: resynchronised with ${channels.length} channels (${actions.length} changes)`);
      const receivedAt = Date.now();
      for (const action of actions)
        void this.schedule(action.channelId, () => this.apply(action, receivedAt));
    } catch (error) {
      this.log(
        `ARI: reading the channel list failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const waiting = this.buffered ?? [];
    this.buffered = null;
    for (const { event, receivedAt } of waiting) this.handle(event, receivedAt);
  }

  /** Feeds the tracker (synchronously, in arrival order) and schedules the database work. */
  private handle(event: AriEvent, receivedAt: number): void {
    const actions = this.tracker.handle(event);
    if (actions.length === 0) {
      this.options.onHandled?.(event);
      return;
    }
    const done = actions.map((action) =>
      this.schedule(action.channelId, () => this.apply(action, receivedAt)),
    );
    void Promise.all(done).then(() => this.options.onHandled?.(event));
  }

  /** Asks Asterisk for a channel's linkedid when the events could not tell it; null if gone. */
  private async resolveLinkedid(channelId: string): Promise<string | null> {
    try {
      const linkedid = await this.stream.getVariable(channelId, 'CHANNEL(linkedid)');
      return linkedid || null;
    } catch (error) {
      if (error instanceof AriRequestError && error.status === 404) return null;
      throw error;
    }
  }

  private async apply(action: LiveAction, receivedAt: number): Promise<void> {
    const serverId = this.options.serverId;
    if (action.kind === 'ringing') {
      let facts = action.facts;
      if (!action.linkedidKnown) {
        const linkedid = await this.resolveLinkedid(action.channelId);
        // Gone, or the operator's phone started this call itself (no ring, no screen-pop).
        if (!linkedid || linkedid === action.channelId) return;
        facts = this.tracker.assignLinkedid(action.channelId, linkedid) ?? { ...facts, linkedid };
      }
      const result = await this.cards.ring({
        serverId,
        linkedid: facts.linkedid,
        channelId: action.channelId,
        endpoint: action.endpoint,
        direction: facts.direction,
        callerNumber: facts.callerNumber,
        did: facts.did,
        queue: facts.queue,
        startedAt: facts.startedAt,
        rangAt: action.at ?? new Date(receivedAt).toISOString(),
        source: 'ari',
        receivedAt,
      });
      this.remember(facts.linkedid, { id: result.callId, queue: result.queue });
      return;
    }
    let linkedid = action.linkedid;
    if (!action.linkedidKnown) {
      const resolved = await this.resolveLinkedid(action.channelId);
      if (resolved) {
        this.tracker.assignLinkedid(action.channelId, resolved);
        linkedid = resolved;
      }
    }
    const card = this.cardByLinkedid.get(linkedid) ?? (await this.cards.cardOf(serverId, linkedid));
    // No card: a call no operator was rung for (the operator's own outgoing call before its CEL).
    if (!card) return;
    this.remember(linkedid, card);
    const notification: CallStateNotification = {
      type: `call.${action.kind}` as CallStateNotification['type'],
      call: { id: card.id, serverId, linkedid, channelId: action.channelId, endpoint: action.endpoint },
      queue: action.queue ?? card.queue,
      details: {
        ...action.details,
        ...(action.alsoEndpoints.length ? { alsoEndpoints: action.alsoEndpoints } : {}),
      },
      source: 'ari',
      receivedAt,
    };
    await this.cards.publish(notification, action.at ?? undefined);
  }

  private remember(linkedid: string, card: { id: number; queue: string | null }): void {
    this.cardByLinkedid.delete(linkedid);
    this.cardByLinkedid.set(linkedid, card);
    if (this.cardByLinkedid.size > MAX_CACHED_CARDS) {
      const oldest = this.cardByLinkedid.keys().next().value;
      if (oldest !== undefined) this.cardByLinkedid.delete(oldest);
    }
  }
}
