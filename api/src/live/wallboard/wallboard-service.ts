import type { Database } from '@callcenter/platform/database';
import type { Kysely } from 'kysely';
import type { AuthUser } from '../../auth/auth-user.ts';
import type { AmiPresenceLink } from '../../presence/asterisk-presence.ts';
import { type OperatorLiveState, QueueFloor } from './queue-floor.ts';
import {
  type ProvisionalCallRow,
  type QueueToday,
  queueKey,
  readOperators,
  readProvisionalCalls,
  readQueues,
  readQueueToday,
  type WallboardOperatorRow,
  type WallboardQueueRow,
} from './wallboard-data.ts';

/**
 * The live wallboard (`GET /live/wallboard`, `GET /live/wallboard/events`, README.md "Live
 * wallboard"): per queue the callers waiting now and the longest wait, the operators by state,
 * and today's figures; per operator the state, since when, and the current call.
 *
 * Sources, per Asterisk server:
 * - **AMI** (`source: 'ami'`) while that server's AMI session is up and has read `QueueStatus`
 *   since its login: the {@link QueueFloor} of the server, reset from every QueueStatus list (so a
 *   restart of the API or of Asterisk, or a reconnection, re-reads the state; nothing drifts) and
 *   moved by the QueueCaller* / QueueMember* / Agent* events.
 * - **CEL timing** (`source: 'cel'`) otherwise (no AMI configured, or the session down): the
 *   provisional cards of calls still ringing or talking (README.md "Live calls", made from ARI or
 *   from the collector's CEL) and the recorded presence. The response says so in `live.note`:
 *   callers who wait before any operator rings are not seen, and states follow the collector.
 *
 * PostgreSQL (wallboard-data.ts) gives the queues' settings and today's figures, the operators
 * with their presence and queues; re-read at most every {@link BASE_MAX_AGE_MS} (figures every
 * {@link TODAY_MAX_AGE_MS}) while someone watches. `subscribe` listeners are told (coalesced
 * within {@link NOTIFY_DELAY_MS}) whenever something shown may have changed.
 */

export const BASE_MAX_AGE_MS = 1_000;
export const TODAY_MAX_AGE_MS = 5_000;
export const NOTIFY_DELAY_MS = 20;
/** How long users of one scope share a built snapshot (its `generated_at` and waits stay exact). */
export const SHARED_BUILD_MS = 250;

/** One queue tile of the wallboard (the contract's fields first). */
export interface WallboardQueue {
  queue: string;
  name: string;
  waiting: number;
  longest_wait_sec: number;
  operators_available: number;
  /** Talking or holding a call. */
  operators_talking: number;
  operators_paused: number;
  offered_today: number;
  answered_today: number;
  abandoned_today: number;
  /** 0..1 (docs/metrics.md "Service level"), null when nothing counts yet today. */
  service_level_today: number | null;
  server_id: string;
  operators_logged_in: number;
  operators_ringing: number;
  operators_wrap_up: number;
  /** ISO 8601 UTC when the longest-waiting caller entered the queue (null: nobody waits). */
  longest_wait_since: string | null;
  asa_today_sec: number | null;
  /** T of the queue's service level (seconds): the wall's alarm threshold for the longest wait. */
  service_level_sec: number;
  time_zone: string;
}

/** The call an operator rings for or talks on. */
export interface WallboardCall {
  number: string | null;
  queue: string | null;
  /** ISO 8601 UTC: the ring (ringing) or the answer (talking: talk time runs from it). */
  since: string;
}

/** One operator of the wallboard (the contract's fields first). */
export interface WallboardOperator {
  /** The operator's phone endpoint (`101`), as operators are named in calls and reports. */
  operator: string;
  name: string;
  state: OperatorLiveState;
  /** ISO 8601 UTC. */
  state_since: string;
  operator_id: number;
  server_id: string;
  /** Pause reason code (GET /presence/reasons) while paused. */
  reason: string | null;
  reason_label: string | null;
  queues: string[];
  current_call: WallboardCall | null;
  calls_today: number;
  talk_today_sec: number;
}

/** The snapshot `GET /live/wallboard` answers and each SSE `wallboard` event carries. */
export interface Wallboard {
  generated_at: string;
  queues: WallboardQueue[];
  operators: WallboardOperator[];
  live: { source: 'ami' | 'cel'; note: string | null };
}

interface Base {
  queues: Map<string, WallboardQueueRow>;
  operators: WallboardOperatorRow[];
  provisional: ProvisionalCallRow[];
  readAt: number;
}

/** A snapshot built for one scope, shared by its users for a short while. */
interface BuiltSnapshot {
  version: number;
  base: Base;
  today: Map<string, QueueToday>;
  board: Wallboard;
  at: number;
  text: { json: string; content: string } | null;
}

export interface WallboardServiceOptions {
  db: Kysely<Database>;
  /** The AMI presence links (one per server); none: every server is on CEL timing. */
  links?: readonly AmiPresenceLink[];
  now?: () => number;
  log?: (line: string) => void;
}

const CEL_NOTE =
  'no AMI session: live states come from CEL timing (provisional cards of ringing and answered calls) and recorded presence; callers waiting before any operator rings are not shown';

export class WallboardService {
  private readonly floors = new Map<string, QueueFloor>();
  /** Servers whose floor was read since the AMI session's login. */
  private readonly live = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribe: (() => void)[] = [];
  private base: Base | null = null;
  private baseLoading: Promise<Base> | null = null;
  private today: { figures: Map<string, QueueToday>; readAt: number } | null = null;
  private todayLoading: Promise<Map<string, QueueToday>> | null = null;
  private lastBaseJson = '';
  /** Bumped whenever anything shown may have changed (snapshots built before are stale). */
  private version = 0;
  private readonly built = new Map<string, BuiltSnapshot>();
  private notifyTimer: NodeJS.Timeout | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private readonly now: () => number;
  private readonly log: (line: string) => void;

  constructor(private readonly options: WallboardServiceOptions) {
    this.now = options.now ?? Date.now;
    this.log = options.log ?? (() => {});
    for (const link of options.links ?? []) {
      const floor = new QueueFloor();
      this.floors.set(link.serverId, floor);
      this.unsubscribe.push(
        link.onQueueStatus((items) => {
          floor.reset(items, this.now());
          this.live.add(link.serverId);
          this.notify();
        }),
        link.client.onDown(() => {
          this.live.delete(link.serverId);
          this.notify();
        }),
        link.client.onEvent((event) => {
          if (floor.apply(event, this.now())) this.notify();
        }),
      );
    }
  }

  /** True when `serverId`'s state comes from AMI now. */
  isLive(serverId: string): boolean {
    return this.live.has(serverId);
  }

  /**
   * Calls `listener` (coalesced) whenever the wallboard may have changed; while anyone listens,
   * PostgreSQL is re-read every second. Returns the unsubscribe function.
   */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    if (!this.pollTimer) {
      this.pollTimer = setInterval(() => void this.poll(), BASE_MAX_AGE_MS);
      this.pollTimer.unref();
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.pollTimer) {
        clearInterval(this.pollTimer);
        this.pollTimer = null;
      }
    };
  }

  /** Number of listeners (SSE streams). */
  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Tells listeners now (e.g. after a presence change the API itself made). */
  poke(): void {
    this.base = null;
    this.today = null;
    this.notify();
  }

  /** Stops timers and AMI subscriptions. */
  close(): void {
    for (const off of this.unsubscribe) off();
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.notifyTimer) clearTimeout(this.notifyTimer);
    this.listeners.clear();
  }

  /**
   * The wallboard `user` may see: admin every queue and operator; supervisor the queues of their
   * server they are given and the operators serving one of them (presence/queue-membership.ts,
   * plus what AMI reports now). Other roles are refused by the route before this.
   */
  async snapshot(user: AuthUser): Promise<Wallboard> {
    return (await this.shared(user)).board;
  }

  /**
   * The snapshot as the SSE stream sends it: its JSON, and the JSON without `generated_at` (what
   * tells a change), serialised once per shared build.
   */
  async snapshotText(user: AuthUser): Promise<{ json: string; content: string }> {
    const entry = await this.shared(user);
    entry.text ??= {
      json: JSON.stringify(entry.board),
      content: JSON.stringify({ ...entry.board, generated_at: '' }),
    };
    return entry.text;
  }

  private async shared(user: AuthUser): Promise<BuiltSnapshot> {
    const [base, today] = await Promise.all([this.readBase(), this.readToday()]);
    // Users with the same scope share one build per state version (200 supervisors of a queue
    // cost one build per change, not 200).
    const scope = `${user.role}\u0000${user.serverId}\u0000${[...user.queues].sort().join(',')}`;
    const cached = this.built.get(scope);
    const now = this.now();
    if (
      cached &&
      cached.version === this.version &&
      cached.base === base &&
      cached.today === today &&
      now - cached.at < SHARED_BUILD_MS
    )
      return cached;
    const entry: BuiltSnapshot = {
      version: this.version,
      base,
      today,
      board: this.build(user, base, today, now),
      at: now,
      text: null,
    };
    if (this.built.size > 1000) this.built.clear();
    this.built.set(scope, entry);
    return entry;
  }

  private async poll(): Promise<void> {
    try {
      let changed = false;
      for (const floor of this.floors.values()) if (floor.tick(this.now())) changed = true;
      const base = await this.readBase(true);
      const today =
        this.today && this.now() - this.today.readAt < TODAY_MAX_AGE_MS
          ? this.today.figures
          : await this.loadToday();
      const json = JSON.stringify([base.operators, base.provisional, [...today.entries()]]);
      if (json !== this.lastBaseJson) {
        this.lastBaseJson = json;
        changed = true;
      }
      if (changed) this.notify();
    } catch (error) {
      this.log(`wallboard: reading PostgreSQL failed: ${(error as Error).message}`);
    }
  }

  private notify(): void {
    this.version++;
    if (this.notifyTimer) return;
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = null;
      for (const listener of [...this.listeners]) listener();
    }, NOTIFY_DELAY_MS);
    this.notifyTimer.unref();
  }

  /**
   * The PostgreSQL part. A stale copy is answered at once while a fresh read runs (an AMI event
   * must not wait for PostgreSQL); only the first read, a `poke`, or `fresh` waits.
   */
  private readBase(fresh = false): Promise<Base> {
    const base = this.base;
    if (!fresh && base) {
      if (this.now() - base.readAt >= BASE_MAX_AGE_MS) void this.loadBase().catch(() => {});
      return Promise.resolve(base);
    }
    return this.loadBase();
  }

  private loadBase(): Promise<Base> {
    if (!this.baseLoading) {
      const db = this.options.db;
      this.baseLoading = Promise.all([readQueues(db), readOperators(db), readProvisionalCalls(db)])
        .then(([queues, operators, provisional]) => {
          this.base = { queues, operators, provisional, readAt: this.now() };
          return this.base;
        })
        .finally(() => {
          this.baseLoading = null;
        });
    }
    return this.baseLoading;
  }

  /** Today's figures, stale-while-read as `readBase`. */
  private readToday(): Promise<Map<string, QueueToday>> {
    const today = this.today;
    if (today) {
      if (this.now() - today.readAt >= TODAY_MAX_AGE_MS) void this.loadToday().catch(() => {});
      return Promise.resolve(today.figures);
    }
    return this.loadToday();
  }

  private loadToday(): Promise<Map<string, QueueToday>> {
    if (!this.todayLoading) {
      this.todayLoading = readQueueToday(this.options.db)
        .then((figures) => {
          this.today = { figures, readAt: this.now() };
          return figures;
        })
        .finally(() => {
          this.todayLoading = null;
        });
    }
    return this.todayLoading;
  }

  private build(user: AuthUser, base: Base, today: Map<string, QueueToday>, now: number): Wallboard {
    const seesQueue = (serverId: string, queue: string) =>
      user.role === 'admin' ||
      (user.role === 'supervisor' && serverId === user.serverId && user.queues.includes(queue));

    // Operators: state from AMI where the server is live, else from provisional cards and presence.
    const operators: WallboardOperator[] = [];
    for (const row of base.operators) {
      const live = this.live.has(row.serverId)
        ? this.floors.get(row.serverId)?.endpoint(row.endpoint)
        : undefined;
      const queues = [...new Set([...row.queues, ...(live?.queues ?? [])])].sort();
      if (!queues.some((q) => seesQueue(row.serverId, q)) && user.role !== 'admin') continue;
      const operator = this.operatorOf(row, queues, live, base.provisional, now);
      if (user.role !== 'admin') {
        // Another queue's names and calls stay out of a supervisor's sight (docs/roles.md).
        operator.queues = queues.filter((q) => seesQueue(row.serverId, q));
        if (operator.current_call && !seesQueue(row.serverId, operator.current_call.queue ?? ''))
          operator.current_call = null;
      }
      operators.push(operator);
    }

    // Queues: app.queues, what AMI reports, and a supervisor's own queues even before either.
    const keys = new Map<string, { serverId: string; queue: string }>();
    for (const q of base.queues.values()) keys.set(queueKey(q.serverId, q.queue), q);
    for (const [serverId, floor] of this.floors)
      if (this.live.has(serverId))
        for (const queue of floor.queues()) keys.set(queueKey(serverId, queue), { serverId, queue });
    if (user.role === 'supervisor')
      for (const queue of user.queues)
        keys.set(queueKey(user.serverId, queue), { serverId: user.serverId, queue });

    const queues: WallboardQueue[] = [];
    for (const [k, { serverId, queue }] of keys) {
      if (!seesQueue(serverId, queue)) continue;
      const settings = base.queues.get(k);
      const figures = today.get(k);
      const waitingSince = this.waitingOf(serverId, queue, base.provisional);
      const members = operators.filter((o) => o.server_id === serverId && o.queues.includes(queue));
      const count = (...states: OperatorLiveState[]) =>
        members.filter((o) => states.includes(o.state)).length;
      const longest = waitingSince.length > 0 ? Math.min(...waitingSince) : null;
      queues.push({
        queue,
        name: settings?.name ?? queue,
        waiting: waitingSince.length,
        longest_wait_sec: longest === null ? 0 : Math.max(0, Math.floor((now - longest) / 1000)),
        operators_available: count('available'),
        operators_talking: count('talking', 'hold'),
        operators_paused: count('paused'),
        offered_today: figures?.offered ?? 0,
        answered_today: figures?.answered ?? 0,
        abandoned_today: figures?.abandoned ?? 0,
        service_level_today: figures?.serviceLevel ?? null,
        server_id: serverId,
        operators_logged_in: members.length - count('offline'),
        operators_ringing: count('ringing'),
        operators_wrap_up: count('wrap_up'),
        longest_wait_since: longest === null ? null : new Date(longest).toISOString(),
        asa_today_sec: figures?.asaSec ?? null,
        service_level_sec: settings?.serviceLevelSec ?? 20,
        time_zone: settings?.timeZone ?? 'Europe/Moscow',
      });
    }
    queues.sort((a, b) => a.server_id.localeCompare(b.server_id) || a.queue.localeCompare(b.queue));

    const servers = new Set([...queues.map((q) => q.server_id), ...operators.map((o) => o.server_id)]);
    const notLive = [...servers].filter((s) => !this.live.has(s)).sort();
    const allLive = servers.size > 0 ? notLive.length === 0 : this.live.size > 0;
    return {
      generated_at: new Date(now).toISOString(),
      queues,
      operators,
      live: allLive
        ? { source: 'ami', note: null }
        : {
            source: 'cel',
            note: servers.size > 1 || this.floors.size > 0 ? `${CEL_NOTE} (${notLive.join(', ')})` : CEL_NOTE,
          },
    };
  }

  /** Epoch ms each caller of a queue began waiting. */
  private waitingOf(serverId: string, queue: string, provisional: readonly ProvisionalCallRow[]): number[] {
    if (this.live.has(serverId))
      return (this.floors.get(serverId)?.waiting(queue) ?? []).map((c) => c.joinedAt);
    return provisional
      .filter((c) => c.serverId === serverId && c.queue === queue && c.operator === null)
      .map((c) => c.startedAt);
  }

  private operatorOf(
    row: WallboardOperatorRow,
    queues: string[],
    live: ReturnType<QueueFloor['endpoint']>,
    provisional: readonly ProvisionalCallRow[],
    now: number,
  ): WallboardOperator {
    let state: OperatorLiveState;
    let since: number;
    let call: WallboardCall | null = null;
    let reason = row.presence === 'paused' ? row.reason : null;
    let reasonLabel = row.presence === 'paused' ? row.reasonLabel : null;
    if (live) {
      state = live.state;
      since = live.since;
      if (live.call)
        call = { number: live.call.callerNumber, queue: live.call.queue, since: iso(live.call.since) };
      if (state === 'paused' && reason === null) {
        reason = live.pausedReason;
        reasonLabel = live.pausedReason;
      }
      // The recorded presence dates a pause better than this process (it may have started later).
      if (
        (state === 'paused' && row.presence === 'paused') ||
        (state === 'offline' && row.presence === 'offline')
      )
        since = Math.min(since, row.presenceSince);
    } else if (this.live.has(row.serverId)) {
      // AMI is up but the endpoint is no queue's member: not logged in to any queue.
      state = row.presence === 'paused' ? 'paused' : 'offline';
      since = row.presenceSince;
    } else {
      const talking = provisional.find((c) => c.serverId === row.serverId && c.operator === row.endpoint);
      const ringing = provisional
        .flatMap((c) => c.ringing.filter((r) => r.endpoint === row.endpoint).map((r) => ({ c, r })))
        .find(({ c }) => c.serverId === row.serverId && c.operator === null);
      if (talking) {
        state = 'talking';
        since = talking.answeredAt ?? talking.startedAt;
        call = { number: talking.callerNumber, queue: talking.queue, since: iso(since) };
      } else if (ringing) {
        state = 'ringing';
        since = ringing.r.rangAt;
        call = { number: ringing.c.callerNumber, queue: ringing.c.queue, since: iso(since) };
      } else {
        state = row.presence;
        since = row.presenceSince;
      }
    }
    if (state !== 'paused') {
      reason = null;
      reasonLabel = null;
    }
    return {
      operator: row.endpoint,
      name: row.name,
      state,
      state_since: iso(Math.min(since, now)),
      operator_id: row.operatorId,
      server_id: row.serverId,
      reason,
      reason_label: reasonLabel,
      queues,
      current_call: call,
      calls_today: row.callsToday,
      talk_today_sec: Math.round(row.talkTodaySec),
    };
  }
}

const iso = (ms: number) => new Date(ms).toISOString();
