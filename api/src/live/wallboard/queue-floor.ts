import {
  type AmiMessage,
  agentCallOf,
  CALLER_EVENTS,
  DEVICE_STATE,
  MEMBERSHIP_EVENTS,
  type QueueCaller,
  type QueueMemberLive,
  queueCallerOf,
  queueMemberLiveOf,
} from '@callcenter/asterisk/ami';

/**
 * One Asterisk server's queues as they are now, from AMI (app_queue): the callers waiting and each
 * member's device state, pause and current call. `reset` replaces everything with a `QueueStatus`
 * list (read at every AMI login — api/src/presence/asterisk-presence.ts — so a restart or a
 * reconnection re-reads the state instead of trusting what was accumulated); `apply` folds one
 * event in. Times are epoch ms of this process's clock.
 *
 * An operator's state (one of {@link OperatorLiveState}) is derived from their memberships, the
 * most engaged first: ringing (an `AgentCalled` not yet answered nor ended, or device RINGING /
 * RINGINUSE), hold (ONHOLD), talking (INUSE / BUSY, or an `AgentConnect` not yet completed), paused (any
 * membership paused; the reason `offline` — how the product pauses an operator who went offline,
 * README.md "Operator presence" — is offline), wrap_up (NOT_INUSE within `wrapuptime` seconds of
 * the last call's end), offline (UNAVAILABLE / INVALID), else available.
 */

export type OperatorLiveState =
  | 'offline'
  | 'available'
  | 'ringing'
  | 'talking'
  | 'hold'
  | 'wrap_up'
  | 'paused';

/** A waiting caller with the epoch ms they entered the queue. */
export interface WaitingCaller {
  queue: string;
  uniqueid: string;
  callerNumber: string | null;
  joinedAt: number;
}

/** The call a member rings for or talks on. */
export interface MemberCall {
  queue: string;
  uniqueid: string;
  callerNumber: string | null;
  /** Epoch ms of the ring (`AgentCalled`) or of the answer (`AgentConnect`). */
  since: number;
  answered: boolean;
}

/** An endpoint's derived state on this server. */
export interface EndpointLive {
  endpoint: string;
  state: OperatorLiveState;
  /** Epoch ms since when the state holds (as far as this process saw it). */
  since: number;
  pausedReason: string | null;
  queues: string[];
  call: MemberCall | null;
}

const memberKey = (queue: string, memberInterface: string) => `${queue}\u0000${memberInterface}`;

export class QueueFloor {
  private readonly callers = new Map<string, WaitingCaller>();
  private readonly members = new Map<string, QueueMemberLive>();
  /** Current call per endpoint (from the Agent* events). */
  private readonly calls = new Map<string, MemberCall>();
  /** Last derived state per endpoint, to keep `since` across events and re-reads. */
  private readonly states = new Map<string, { state: OperatorLiveState; since: number }>();
  /** Queues Asterisk reported (QueueParams), even without members or callers. */
  private readonly queueNames = new Set<string>();

  /**
   * Replaces the state with a `QueueStatus` list (QueueParams, QueueMember and QueueEntry items).
   * Members' current calls cannot be read from the list: a member still talking keeps the call
   * this process saw, if any.
   */
  reset(items: readonly AmiMessage[], now: number): void {
    this.callers.clear();
    this.members.clear();
    this.queueNames.clear();
    for (const item of items) {
      const kind = (item.event ?? '').toLowerCase();
      if (kind === 'queueparams' && item.queue) this.queueNames.add(item.queue);
      if (kind === 'queuemember') {
        const member = queueMemberLiveOf(item);
        if (member) this.members.set(memberKey(member.queue, member.memberInterface), member);
      }
      if (kind === 'queueentry') {
        const caller = queueCallerOf(item);
        if (caller) this.callers.set(caller.uniqueid, waiting(caller, now));
      }
    }
    for (const [endpoint, call] of [...this.calls]) {
      const busy = this.membersOf(endpoint).some((m) => m.status !== DEVICE_STATE.notInUse);
      if (!busy) this.calls.delete(endpoint);
      else if (!call.answered && this.callers.get(call.uniqueid) === undefined) this.calls.delete(endpoint);
    }
    this.rederive(now, (endpoint) => {
      // A fresh pause is dated by Asterisk (LastPause, epoch seconds) when it says.
      const lastPause = Math.max(0, ...this.membersOf(endpoint).map((m) => m.lastPause));
      return lastPause > 0 ? lastPause * 1000 : now;
    });
  }

  /** Folds in one AMI event; true when anything the wallboard shows changed. */
  apply(event: AmiMessage, now: number): boolean {
    const name = (event.event ?? '').toLowerCase();
    if (name === CALLER_EVENTS.join) {
      const caller = queueCallerOf(event);
      if (!caller) return false;
      this.queueNames.add(caller.queue);
      this.callers.set(caller.uniqueid, waiting(caller, now));
      return true;
    }
    if (name === CALLER_EVENTS.leave || name === CALLER_EVENTS.abandon) {
      const uniqueid = event.uniqueid ?? '';
      const gone = this.callers.delete(uniqueid);
      // Left unanswered here (answered elsewhere, or abandoned): its rings end; the answering
      // member's AgentConnect follows the leave.
      for (const [endpoint, call] of [...this.calls])
        if (call.uniqueid === uniqueid && !call.answered) this.calls.delete(endpoint);
      return this.rederive(now) || gone;
    }
    if (name === MEMBERSHIP_EVENTS.removed) {
      const member = queueMemberLiveOf(event);
      if (!member) return false;
      this.members.delete(memberKey(member.queue, member.memberInterface));
      this.rederive(now);
      return true;
    }
    if (
      name === MEMBERSHIP_EVENTS.added ||
      name === MEMBERSHIP_EVENTS.status ||
      name === MEMBERSHIP_EVENTS.pause
    ) {
      const member = queueMemberLiveOf(event);
      if (!member) return false;
      const k = memberKey(member.queue, member.memberInterface);
      const before = this.members.get(k);
      // QueueMemberPause carries no device state: keep the one known.
      if (name === MEMBERSHIP_EVENTS.pause && before)
        this.members.set(k, { ...before, paused: member.paused, pausedReason: member.pausedReason });
      else this.members.set(k, member);
      this.queueNames.add(member.queue);
      this.rederive(now);
      return true;
    }
    const agent = agentCallOf(event);
    if (agent?.endpoint) {
      const current = this.calls.get(agent.endpoint);
      if (agent.kind === 'called')
        this.calls.set(agent.endpoint, {
          queue: agent.queue,
          uniqueid: agent.uniqueid,
          callerNumber: agent.callerNumber,
          since: now,
          answered: false,
        });
      else if (agent.kind === 'connect')
        this.calls.set(agent.endpoint, {
          queue: agent.queue,
          uniqueid: agent.uniqueid,
          callerNumber: agent.callerNumber,
          since: now,
          answered: true,
        });
      else if (current?.uniqueid === agent.uniqueid) this.calls.delete(agent.endpoint);
      this.rederive(now);
      return true;
    }
    return false;
  }

  /** Re-derives states that change with time alone (wrap-up ending); true when one did. */
  tick(now: number): boolean {
    return this.rederive(now);
  }

  /** Queues known on this server (from QueueParams, members and callers). */
  queues(): string[] {
    return [...this.queueNames].sort();
  }

  /** Callers waiting in `queue`, longest first. */
  waiting(queue: string): WaitingCaller[] {
    return [...this.callers.values()]
      .filter((c) => c.queue === queue)
      .sort((a, b) => a.joinedAt - b.joinedAt);
  }

  /** Every endpoint that is a member of a queue on this server, with its derived state. */
  endpoints(): EndpointLive[] {
    const out: EndpointLive[] = [];
    for (const endpoint of this.memberEndpoints()) {
      const members = this.membersOf(endpoint);
      const state = this.states.get(endpoint) ?? { state: 'offline' as const, since: 0 };
      out.push({
        endpoint,
        state: state.state,
        since: state.since,
        pausedReason: members.find((m) => m.paused)?.pausedReason ?? null,
        queues: [...new Set(members.map((m) => m.queue))].sort(),
        call: this.calls.get(endpoint) ?? null,
      });
    }
    return out;
  }

  /** The live state of one endpoint, or undefined when it is no queue's member here. */
  endpoint(endpoint: string): EndpointLive | undefined {
    return this.endpoints().find((e) => e.endpoint === endpoint);
  }

  private memberEndpoints(): string[] {
    const set = new Set<string>();
    for (const m of this.members.values()) if (m.endpoint) set.add(m.endpoint);
    return [...set].sort();
  }

  private membersOf(endpoint: string): QueueMemberLive[] {
    return [...this.members.values()].filter((m) => m.endpoint === endpoint);
  }

  /** Re-derives every endpoint's state; `sinceOf` dates a state that changed (default: now). */
  private rederive(now: number, sinceOf: (endpoint: string) => number = () => now): boolean {
    let changed = false;
    const seen = new Set<string>();
    for (const endpoint of this.memberEndpoints()) {
      seen.add(endpoint);
      const state = deriveState(this.membersOf(endpoint), this.calls.get(endpoint), now);
      const before = this.states.get(endpoint);
      if (before?.state === state) continue;
      const since = state === 'paused' ? sinceOf(endpoint) : now;
      this.states.set(endpoint, { state, since: Math.min(since, now) });
      changed = true;
    }
    for (const endpoint of [...this.states.keys()])
      if (!seen.has(endpoint)) {
        this.states.delete(endpoint);
        changed = true;
      }
    return changed;
  }
}

const waiting = (caller: QueueCaller, now: number): WaitingCaller => ({
  queue: caller.queue,
  uniqueid: caller.uniqueid,
  callerNumber: caller.callerNumber,
  joinedAt: now - caller.waitSec * 1000,
});

/** The state rule described on {@link QueueFloor}. */
export function deriveState(
  members: readonly QueueMemberLive[],
  call: MemberCall | undefined,
  now: number,
): OperatorLiveState {
  const statuses = new Set(members.map((m) => m.status));
  // A queue call offered and not yet answered is a ring, whatever the device says: on the lab's
  // Asterisk 22 the wall showed a member ringing for the queue as INUSE from its device state.
  if (call && !call.answered) return 'ringing';
  if (statuses.has(DEVICE_STATE.ringing) || statuses.has(DEVICE_STATE.ringInUse)) return 'ringing';
  if (statuses.has(DEVICE_STATE.onHold)) return 'hold';
  if (statuses.has(DEVICE_STATE.inUse) || statuses.has(DEVICE_STATE.busy)) return 'talking';
  if (call?.answered) return 'talking';
  const paused = members.find((m) => m.paused);
  if (paused) return paused.pausedReason === 'offline' ? 'offline' : 'paused';
  if (members.some((m) => m.wrapupSec > 0 && m.lastCall > 0 && now < (m.lastCall + m.wrapupSec) * 1000))
    return 'wrap_up';
  if (
    members.length > 0 &&
    members.every((m) => m.status === DEVICE_STATE.unavailable || m.status === DEVICE_STATE.invalid)
  )
    return 'offline';
  return 'available';
}
