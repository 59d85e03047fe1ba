import type { ChannelTimeline } from './channel-timeline-types.ts';
import { GIVING_UP_APPS, OFFERING_APPS, REFUSING_APPS } from './dialplan-apps.ts';
import type { Participants } from './participants.ts';
import { dialplanWentOn } from './status.ts';
import type { EndedAtStage } from './types.ts';

/**
 * The stage a call had reached when it ended (docs/reconciliation.md#ended-at-stage), from the
 * CEL of its first channel (the caller, or the operator who placed it) and its callee legs:
 *
 * - `talk`: connected with a party (or an operator in a conference room);
 * - `service`: reached one of Asterisk's services (VoiceMailMain, Echo; service-calls.ts);
 * - `voicemail`: VoiceMail/MinivmRecord started after the last offer, or with no offer at all;
 * - `ringing`: a callee leg was still ringing when the call ended (an outgoing call: any callee
 *   leg at all), or the last offer was a Dial;
 * - `queue`: the last offer was a Queue and no member was ringing at the end (waiting, or the
 *   queue gave up and the dialplan hung up);
 * - `refused`: no offer and no voicemail, and the dialplan ended the call: Busy()/Congestion(),
 *   or the HANGUP's `hangupsource` is not the caller (Hangup() after an announcement);
 * - `ivr`: no offer and no voicemail, and the caller hung up (IVR menu, greeting).
 */

/** A leg that ended this close to (or after) the caller's hangup was still ringing (attempts rule 6). */
const RING_END_TOLERANCE_MS = 500;

const channelEnd = (c: ChannelTimeline): number | null => c.hangup?.at ?? c.end ?? null;

/** Stage of a call never connected, service calls aside. */
export function unansweredStage(participants: Participants): EndedAtStage {
  const { first } = participants;
  const legs = participants.ordered.filter(
    (c) =>
      participants.isCallee(c) &&
      (participants.kindOf(c) === 'operator' || participants.kindOf(c) === 'external'),
  );
  const offers = first.apps.filter((a) => OFFERING_APPS.has(a.name));
  const last = offers[offers.length - 1];
  if (first.apps.some((a) => GIVING_UP_APPS.has(a.name) && (!last || a.startRowId > last.startRowId)))
    return 'voicemail';
  if (participants.direction !== 'inbound' && legs.length > 0) return 'ringing';
  if (last) {
    const callerEnd = channelEnd(first);
    const stillRinging = legs.some((leg) => {
      if (leg.answer !== null) return false;
      const end = channelEnd(leg);
      return end === null || callerEnd === null || end >= callerEnd - RING_END_TOLERANCE_MS;
    });
    if (stillRinging && !dialplanWentOn(first, last)) return 'ringing';
    return last.name === 'Queue' ? 'queue' : 'ringing';
  }
  const hangup = first.hangup;
  const systemHungUp = hangup !== null && hangup.source !== '' && hangup.source !== first.name;
  if (first.apps.some((a) => REFUSING_APPS.has(a.name)) || systemHungUp) return 'refused';
  return 'ivr';
}
