import {
  AmiClient,
  type AmiMessage,
  applyQueuePause,
  MEMBERSHIP_EVENTS,
  type QueueMemberInfo,
  queueMemberOf,
} from '@callcenter/asterisk/ami';
import type { Database } from '@callcenter/platform/database';
import type { Kysely, Transaction } from 'kysely';
import type { AmiSettings } from '../config/api-config.ts';
import { lockOperator, openInterval, type PresenceState } from './presence-store.ts';
import { removeMember, replaceServerMembers, upsertMember } from './queue-member-store.ts';
import { memberInterfacesOf } from './queue-membership.ts';

/**
 * Presence applied to Asterisk's queues (AMI, since ARI has no queue-member API): one AMI session
 * per configured Asterisk server (ami-client.ts keeps it up).
 *
 * - `apply`: QueuePause for the operator's member interfaces as Asterisk reported them
 *   (app.queue_members), else `PJSIP/<endpoint>`; no `Queue` header, so every queue of the member.
 *   `available` unpauses; `paused` pauses with the reason's code; `offline` pauses with the reason
 *   `offline` (a static member's phone must not ring while nobody is at it).
 * - At every (re)login: `QueueStatus` replaces the server's app.queue_members, then each operator
 *   whose recorded presence differs from Asterisk's pause state is paused or unpaused to match
 *   (Asterisk restarted: static members come back unpaused; a change whose database commit failed
 *   after Asterisk applied it). The recorded presence is the truth; Asterisk follows it.
 * - Events: QueueMemberAdded / QueueMemberRemoved / QueueMemberPause / QueueMemberStatus keep
 *   app.queue_members current; a member added while its operator is recorded paused is paused.
 *   A pause made outside the product (a phone's feature code, another AMI client) updates the
 *   member row only, and the next re-login restores the recorded presence.
 */

/** What one presence state asks of Asterisk. */
export interface QueuePauseRequest {
  paused: boolean;
  /** QueuePause `Reason` (only when pausing). */
  reason: string | null;
}

/** Whether Asterisk applied a change, and why not when it did not. */
export interface AsteriskOutcome {
  applied: boolean;
  reason: string | null;
}

/** The presence service's view of Asterisk (tests give their own; null = AMI not configured). */
export interface AsteriskPresence {
  /**
   * Pauses or unpauses an operator's queue memberships on a server. `trx`: the caller's
   * transaction, used for the membership read (no second pool connection while it holds one).
   * @throws AmiUnavailableError (not connected), AmiTimeoutError, AmiActionError (from @callcenter/ingest/ami)
   */
  apply(
    serverId: string,
    endpoint: string,
    request: QueuePauseRequest,
    trx?: Transaction<Database>,
  ): Promise<AsteriskOutcome>;
  close(): Promise<void>;
}

/** The QueuePause a recorded state stands for. */
export function pauseRequestOf(state: PresenceState, reasonCode: string | null): QueuePauseRequest {
  if (state === 'available') return { paused: false, reason: null };
  if (state === 'offline') return { paused: true, reason: 'offline' };
  return { paused: true, reason: reasonCode };
}

/** One Asterisk server's AMI link for presence. */
export class AmiPresenceLink {
  /** Syncs and event handling, one at a time, in arrival order. */
  private work: Promise<void> = Promise.resolve();
  private readonly statusListeners = new Set<(items: readonly AmiMessage[]) => void>();

  constructor(
    readonly serverId: string,
    readonly client: AmiClient,
    private readonly db: Kysely<Database>,
    private readonly log: (line: string) => void = () => {},
  ) {}

  /** Subscribes to the client's sessions and events, and starts connecting. */
  start(): void {
    this.client.onReady(() => this.scheduleSync(0));
    this.client.onEvent((event) => this.onEvent(event));
    this.client.start();
  }

  /**
   * Calls `listener` with every `QueueStatus` list this link reads (at each AMI login and its
   * retries): the whole state of the server's queues — the wallboard re-reads from it
   * (live/wallboard/). Returns the unsubscribe function.
   */
  onQueueStatus(listener: (items: readonly AmiMessage[]) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Resolves when the syncs and event handling queued so far are done (tests, shutdown). */
  settled(): Promise<void> {
    return this.work;
  }

  async apply(
    endpoint: string,
    request: QueuePauseRequest,
    trx?: Transaction<Database>,
  ): Promise<AsteriskOutcome> {
    const known = await memberInterfacesOf(trx ?? this.db, this.serverId, endpoint);
    const interfaces = known.length > 0 ? known : [`PJSIP/${endpoint}`];
    const outcome = await applyQueuePause(this.client, interfaces, request.paused, request.reason);
    return { applied: outcome.applied, reason: outcome.reason };
  }

  /**
   * Queues a sync. While Asterisk is still starting, AMI accepts the login before app_queue has
   * registered its actions (QueueStatus answers "Invalid/unknown command"): a failed sync is tried
   * again after 1, 2, 4 … 30 s as long as the session is up (a new session syncs anyway).
   */
  private scheduleSync(attempt: number): void {
    this.enqueue('sync', async () => {
      try {
        await this.sync();
      } catch (error) {
        if (!this.client.ready) throw error;
        const delayMs = Math.min(30_000, 1000 * 2 ** attempt);
        this.log(
          `AMI ${this.serverId}: sync failed: ${(error as Error).message}; trying again in ${delayMs} ms`,
        );
        setTimeout(() => {
          if (this.client.ready) this.scheduleSync(attempt + 1);
        }, delayMs).unref();
      }
    });
  }

  private enqueue(what: string, task: () => Promise<void>): void {
    this.work = this.work.then(task).catch((error: Error) => {
      this.log(`AMI ${this.serverId}: ${what} failed: ${error.message}`);
    });
  }

  private onEvent(event: AmiMessage): void {
    const name = (event.event ?? '').toLowerCase();
    if (!Object.values(MEMBERSHIP_EVENTS).includes(name as never)) return;
    const member = queueMemberOf(event);
    if (!member) return;
    this.enqueue(name, async () => {
      if (name === MEMBERSHIP_EVENTS.removed) {
        await removeMember(this.db, this.serverId, member.queue, member.memberInterface);
        return;
      }
      await upsertMember(this.db, this.serverId, member);
      if (name === MEMBERSHIP_EVENTS.added && member.endpoint) await this.enforceEndpoint(member.endpoint);
    });
  }

  /** QueueStatus → app.queue_members; then every recorded presence enforced. */
  private async sync(): Promise<void> {
    const items = await this.client.list({ Action: 'QueueStatus' }, 'QueueStatusComplete');
    for (const listener of this.statusListeners) listener(items);
    const members = items
      .filter((item) => item.event?.toLowerCase() === 'queuemember')
      .map(queueMemberOf)
      .filter((m): m is QueueMemberInfo => m !== null);
    await replaceServerMembers(this.db, this.serverId, members);
    const operators = await this.db
      .selectFrom('app.operators as o')
      .innerJoin('app.operator_presence as p', (join) =>
        join.onRef('p.operator_id', '=', 'o.id').on('p.ended_at', 'is', null),
      )
      .select(['o.id', 'o.endpoint'])
      .where('o.server_id', '=', this.serverId)
      .where('o.active', '=', true)
      .orderBy('o.endpoint')
      .execute();
    let corrected = 0;
    for (const operator of operators)
      if (await this.enforce(Number(operator.id), operator.endpoint)) corrected++;
    this.log(
      `AMI ${this.serverId}: ${members.length} queue memberships; ${corrected} of ${operators.length} operators re-applied`,
    );
  }

  private async enforceEndpoint(endpoint: string): Promise<void> {
    const operator = await this.db
      .selectFrom('app.operators')
      .select('id')
      .where('server_id', '=', this.serverId)
      .where('endpoint', '=', endpoint)
      .where('active', '=', true)
      .executeTakeFirst();
    if (operator) await this.enforce(Number(operator.id), endpoint);
  }

  /**
   * Makes Asterisk match the operator's recorded presence (under the operator's row lock, as a
   * change through the API takes it). Returns true when a QueuePause was sent.
   */
  private async enforce(operatorId: number, endpoint: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await lockOperator(trx, operatorId);
      const open = await openInterval(trx, operatorId);
      if (!open) return false;
      const want = pauseRequestOf(open.state, open.reason_code);
      const members = await trx
        .selectFrom('app.queue_members')
        .select(['interface', 'paused', 'paused_reason'])
        .where('server_id', '=', this.serverId)
        .where('endpoint', '=', endpoint)
        .execute();
      if (members.length === 0) return false;
      const inStep = members.every(
        (m) => m.paused === want.paused && (!want.paused || (m.paused_reason ?? '') === (want.reason ?? '')),
      );
      let sent = false;
      if (!inStep) {
        const interfaces = [...new Set(members.map((m) => m.interface))].sort();
        const outcome = await applyQueuePause(this.client, interfaces, want.paused, want.reason);
        sent = outcome.applied;
      }
      if ((inStep || sent) && !open.asterisk_applied) {
        await trx
          .updateTable('app.operator_presence')
          .set({ asterisk_applied: true, asterisk_note: null })
          .where('id', '=', open.id)
          .execute();
      }
      return sent;
    });
  }
}

/** Presence over AMI links by server id; servers without a link answer "not applied". */
export class AmiPresence implements AsteriskPresence {
  readonly links: ReadonlyMap<string, AmiPresenceLink>;

  constructor(links: readonly AmiPresenceLink[]) {
    this.links = new Map(links.map((link) => [link.serverId, link]));
  }

  async apply(
    serverId: string,
    endpoint: string,
    request: QueuePauseRequest,
    trx?: Transaction<Database>,
  ): Promise<AsteriskOutcome> {
    const link = this.links.get(serverId);
    if (!link) return { applied: false, reason: `no AMI connection is configured for server ${serverId}` };
    return link.apply(endpoint, request, trx);
  }

  async close(): Promise<void> {
    for (const link of this.links.values()) await link.client.close();
    for (const link of this.links.values()) await link.settled();
  }
}

/** Starts one AMI link per setting (connecting in the background); see AmiPresenceLink. */
export function startAmiPresence(
  settings: readonly AmiSettings[],
  db: Kysely<Database>,
  log: (line: string) => void = () => {},
): AmiPresence {
  const links = settings.map((s) => {
    const client = new AmiClient({
      host: s.host,
      port: s.port,
      username: s.username,
      secret: s.secret,
      name: s.serverId,
      // Queue member events are of the `agent` class; the rest (VarSet floods) is not needed here.
      eventMask: 'agent',
      log,
    });
    return new AmiPresenceLink(s.serverId, client, db, log);
  });
  for (const link of links) link.start();
  return new AmiPresence(links);
}
