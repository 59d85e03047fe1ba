import type { ChannelTimeline, GroupTimeline } from './channel-timeline.ts';
import { toIso, toSeconds } from './intervals.ts';
import type { Participants } from './participants.ts';
import { pickupChannels } from './pickups.ts';
import { type QueueStint, queueActiveAt } from './queue-stints.ts';
import type { Attempt, AttemptOutcome } from './types.ts';

/**
 * Attempts: every ring of an operator's endpoint as a callee. Outcomes follow the Q.850 cause of
 * the leg's HANGUP (fixtures README: 26 = answered elsewhere, 17 = busy, 0 on ring timeout) and
 * whether the channel that dialled it had just left, or the phone forwarded it (FORWARD). "Missed by operators" (docs/metrics.md#missed-by-operators) =
 * no_answer + busy + declined; a canceled ring is nobody's miss.
 */

const CAUSE_BUSY = 17;
const CAUSE_CALL_REJECTED = 21;
const CAUSE_ANSWERED_ELSEWHERE = 26;
/** A leg that ends this close to its dialler's hangup was cut by the caller leaving. */
const CALLER_LEFT_WINDOW_MS = 500;

/** A leg that ends this close to a FORWARD row was the one forwarded. */
const FORWARD_WINDOW_MS = 500;

const DIALLING_APPS = new Set(['Queue', 'Dial', 'RetryDial', 'FollowMe']);

/** The channel whose Queue/Dial created `leg`: an app run covering the leg's start. */
function dialler(leg: ChannelTimeline, group: GroupTimeline, fallback: ChannelTimeline): ChannelTimeline {
  const at = leg.start ?? 0;
  for (const channel of group.channels.values()) {
    if (channel === leg || channel.parsed.isLocal) continue;
    const running = channel.apps.some(
      (a) =>
        DIALLING_APPS.has(a.name) &&
        a.start <= at &&
        at <= (a.end ?? channel.end ?? Number.POSITIVE_INFINITY),
    );
    if (running) return channel;
  }
  return fallback;
}

function outcomeOf(leg: ChannelTimeline, caller: ChannelTimeline, group: GroupTimeline): AttemptOutcome {
  if (leg.answer !== null) return 'answered';
  // Picked up by another phone (PICKUP row on the ringing leg): the call was answered elsewhere,
  // not missed by this operator (docs/reconciliation.md#attempts).
  if (leg.pickedUpBy !== null) return 'canceled';
  const cause = leg.hangup?.cause ?? null;
  if (cause === CAUSE_BUSY) return 'busy';
  if (cause === CAUSE_CALL_REJECTED) return 'declined';
  if (cause === CAUSE_ANSWERED_ELSEWHERE) return 'canceled';
  const legEnd = leg.hangup?.at ?? leg.end;
  // The phone forwarded the call (302; Asterisk's Dial/Queue write FORWARD and drop the leg at once):
  // the operator's own forwarding sent the call on, nobody's miss. Times, never row order.
  if (legEnd !== null && group.forwards.some((f) => Math.abs(legEnd - f.at) <= FORWARD_WINDOW_MS))
    return 'canceled';
  const callerGone = caller.hangup?.at ?? caller.end;
  if (legEnd !== null && callerGone !== null && legEnd >= callerGone - CALLER_LEFT_WINDOW_MS)
    return 'canceled';
  return 'no_answer';
}

/** Was this leg rung by a queue, directly or through a Local member channel? */
function rungByQueue(leg: ChannelTimeline, group: GroupTimeline): boolean {
  if (leg.apps[0]?.name === 'AppQueue') return true;
  const at = leg.start ?? 0;
  for (const channel of group.channels.values()) {
    if (!channel.parsed.isLocal || channel.apps[0]?.name !== 'AppQueue') continue;
    if ((channel.start ?? 0) <= at && at <= (channel.end ?? Number.POSITIVE_INFINITY)) return true;
  }
  return false;
}

/** Attempts of a group, ordered by ring start. */
export function operatorAttempts(
  group: GroupTimeline,
  participants: Participants,
  queues: readonly QueueStint[],
): Attempt[] {
  const attempts: Attempt[] = [];
  const pickers = pickupChannels(group);
  for (const leg of participants.ordered) {
    if (participants.kindOf(leg) !== 'operator' || !participants.isCallee(leg)) continue;
    const rangAt = leg.start ?? group.firstEventTime;
    const ringEnd = leg.answer ?? leg.hangup?.at ?? leg.end ?? group.lastEventTime;
    // A picker answered the leg it took: that leg's queue, if a queue rang it.
    const rung = pickers.get(leg) ?? leg;
    attempts.push({
      operator: leg.parsed.endpoint,
      queue: rungByQueue(rung, group) ? queueActiveAt(queues, rung.start ?? rangAt) : null,
      rang_at: toIso(rangAt),
      ring_sec: toSeconds(Math.max(0, ringEnd - rangAt)),
      outcome: outcomeOf(leg, dialler(leg, group, participants.first), group),
      uniqueid: leg.uniqueId,
      hangup_cause: leg.hangup?.cause ?? null,
    });
  }
  return attempts.sort((a, b) => a.rang_at.localeCompare(b.rang_at));
}
