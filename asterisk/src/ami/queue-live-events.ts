import type { AmiMessage } from './ami-client.ts';
import { endpointOfInterface } from './queue-member-events.ts';

/**
 * What a queue is doing now, as AMI reports it (app_queue.c; real shapes in
 * fixtures/asterisk/scenarios/∗/ami.jsonl): callers waiting (`QueueEntry` items of a `QueueStatus`
 * list, `QueueCallerJoin` / `QueueCallerLeave` / `QueueCallerAbandon` events), each member's
 * device state and pause (`QueueMember` items, `QueueMemberStatus` / `QueueMemberPause` events)
 * and the member's current call (`AgentCalled`, `AgentConnect`, `AgentComplete`,
 * `AgentRingNoAnswer`). Every AMI key is lower-cased by ami-client.ts.
 */

/** A caller waiting in a queue. */
export interface QueueCaller {
  queue: string;
  /** The caller channel's uniqueid (stable while it waits). */
  uniqueid: string;
  channel: string;
  callerNumber: string | null;
  position: number;
  /** Seconds waited when the item was read (`Wait` of a QueueEntry item; 0 for a join). */
  waitSec: number;
}

/**
 * Asterisk's device state numbers as `QueueMember`/`QueueMemberStatus` report them in `Status`
 * (enum ast_device_state, include/asterisk/devicestate.h).
 */
export const DEVICE_STATE = {
  unknown: 0,
  notInUse: 1,
  inUse: 2,
  busy: 3,
  invalid: 4,
  unavailable: 5,
  ringing: 6,
  ringInUse: 7,
  onHold: 8,
} as const;

/** One member of one queue with what the wallboard needs. */
export interface QueueMemberLive {
  queue: string;
  memberInterface: string;
  endpoint: string | null;
  name: string | null;
  /** Device state number (DEVICE_STATE). */
  status: number;
  paused: boolean;
  pausedReason: string | null;
  /** The member is on a call from this queue (`InCall: 1`). */
  inCall: boolean;
  /** Epoch seconds of the end of the member's last call from this queue (0: none). */
  lastCall: number;
  /** Epoch seconds of the last pause (0: none; Asterisk 16+). */
  lastPause: number;
  /** Seconds of wrap-up after each call (queues.conf `wrapuptime`). */
  wrapupSec: number;
}

const int = (value: string | undefined): number => {
  const n = Number.parseInt(value ?? '', 10);
  return Number.isFinite(n) ? n : 0;
};

const number = (value: string | undefined): string | null =>
  value && value !== '<unknown>' && value !== '' ? value : null;

/** A `QueueEntry` list item or a `QueueCallerJoin` event as a waiting caller; null when incomplete. */
export function queueCallerOf(message: AmiMessage): QueueCaller | null {
  const queue = message.queue ?? '';
  const uniqueid = message.uniqueid ?? '';
  if (queue === '' || uniqueid === '') return null;
  return {
    queue,
    uniqueid,
    channel: message.channel ?? '',
    callerNumber: number(message.calleridnum),
    position: int(message.position),
    waitSec: int(message.wait),
  };
}

/** A `QueueMember` list item or a `QueueMember*` event as a member's live state; null when incomplete. */
export function queueMemberLiveOf(message: AmiMessage): QueueMemberLive | null {
  const queue = message.queue ?? '';
  const memberInterface = message.interface ?? message.location ?? '';
  if (queue === '' || memberInterface === '') return null;
  const state = message.stateinterface ?? '';
  const endpoint =
    (state && !state.toLowerCase().startsWith('local/') ? endpointOfInterface(state) : null) ??
    endpointOfInterface(memberInterface);
  return {
    queue,
    memberInterface,
    endpoint,
    name: number(message.membername ?? message.name),
    status: int(message.status),
    paused: message.paused === '1' || message.paused?.toLowerCase() === 'true',
    pausedReason: message.pausedreason ? message.pausedreason : null,
    inCall: message.incall === '1',
    lastCall: int(message.lastcall),
    lastPause: int(message.lastpause),
    wrapupSec: int(message.wrapuptime),
  };
}

/** A member's call from a queue, as the `Agent*` events tell it. */
export interface AgentCallEvent {
  kind: 'called' | 'connect' | 'complete' | 'ringnoanswer';
  queue: string;
  memberInterface: string;
  endpoint: string | null;
  /** The caller channel's uniqueid. */
  uniqueid: string;
  callerNumber: string | null;
}

const AGENT_KINDS: Record<string, AgentCallEvent['kind']> = {
  agentcalled: 'called',
  agentconnect: 'connect',
  agentcomplete: 'complete',
  agentringnoanswer: 'ringnoanswer',
};

/** An `AgentCalled` / `AgentConnect` / `AgentComplete` / `AgentRingNoAnswer` event; null otherwise. */
export function agentCallOf(message: AmiMessage): AgentCallEvent | null {
  const kind = AGENT_KINDS[(message.event ?? '').toLowerCase()];
  const queue = message.queue ?? '';
  const memberInterface = message.interface ?? '';
  if (!kind || queue === '' || memberInterface === '') return null;
  return {
    kind,
    queue,
    memberInterface,
    endpoint: endpointOfInterface(memberInterface),
    uniqueid: message.uniqueid ?? '',
    callerNumber: number(message.calleridnum),
  };
}

/** AMI events that change who waits in a queue (lower-cased names). */
export const CALLER_EVENTS = {
  join: 'queuecallerjoin',
  leave: 'queuecallerleave',
  abandon: 'queuecallerabandon',
} as const;
