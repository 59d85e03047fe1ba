import type { AmiMessage } from './ami-client.ts';

/**
 * Queue membership as AMI reports it (app_queue.c): the `QueueMember` items of a `QueueStatus`
 * list, and the `QueueMemberAdded` / `QueueMemberRemoved` / `QueueMemberPause` /
 * `QueueMemberStatus` events (real shapes: fixtures/asterisk/scenarios/∗/ami.jsonl). List items
 * name the member's interface `Location` and its display name `Name`; events say `Interface` and
 * `MemberName`. A member is `PJSIP/101` in the lab (queues.conf `member => PJSIP/101,0,Operator
 * 101,PJSIP/101`); a Local member (`Local/101@agents/n`) has the phone in `StateInterface`.
 */

export interface QueueMemberInfo {
  queue: string;
  /** The member's interface as Asterisk knows it (what QueuePause's `Interface` must name). */
  memberInterface: string;
  /** The operator's endpoint (`101`), from StateInterface or Interface; null when neither names one. */
  endpoint: string | null;
  /** `static` (queues.conf), `dynamic` (QueueAdd / AddQueueMember) or `realtime`. */
  membership: string;
  paused: boolean;
  pausedReason: string | null;
  /**
   * The member's device state (`Status`, AST_DEVICE_*: 0 unknown, 1 not in use, 2 in use, 3 busy,
   * 4 invalid, 5 unavailable, 6 ringing, 7 ringing in use, 8 on hold); null when the message has
   * none (QueueMemberPause in older versions).
   */
  deviceStatus: number | null;
}

/**
 * The endpoint of a member interface: `PJSIP/101` → `101`, `SIP/101` → `101`,
 * `Local/101@agents/n` → `101`; null for an empty or tech-less string.
 */
export function endpointOfInterface(memberInterface: string): string | null {
  const slash = memberInterface.indexOf('/');
  if (slash <= 0) return null;
  const tech = memberInterface.slice(0, slash);
  let resource = memberInterface.slice(slash + 1);
  if (tech.toLowerCase() === 'local') resource = resource.split('@')[0] ?? '';
  resource = resource.split('/')[0] ?? '';
  return resource === '' ? null : resource;
}

/** A QueueMember list item or a QueueMember* event as a member; null when it names no queue or interface. */
export function queueMemberOf(message: AmiMessage): QueueMemberInfo | null {
  const queue = message.queue ?? '';
  const memberInterface = message.interface ?? message.location ?? '';
  if (queue === '' || memberInterface === '') return null;
  const state = message.stateinterface ?? '';
  // The phone whose state the queue watches names the operator best (Local members); else the interface.
  const endpoint =
    (state && !state.toLowerCase().startsWith('local/') ? endpointOfInterface(state) : null) ??
    endpointOfInterface(memberInterface);
  return {
    queue,
    memberInterface,
    endpoint,
    membership: message.membership || 'static',
    paused: message.paused === '1' || message.paused?.toLowerCase() === 'true',
    pausedReason: message.pausedreason ? message.pausedreason : null,
    deviceStatus: /^\d+$/.test(message.status ?? '') ? Number(message.status) : null,
  };
}

/** AMI events that change the membership table (lower-cased names). */
export const MEMBERSHIP_EVENTS = {
  added: 'queuememberadded',
  removed: 'queuememberremoved',
  pause: 'queuememberpause',
  status: 'queuememberstatus',
} as const;
