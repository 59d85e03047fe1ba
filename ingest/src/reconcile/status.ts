import type { AppRun, ChannelTimeline } from './channel-timeline.ts';
import { GIVING_UP_APPS, OFFERING_APPS } from './dialplan-apps.ts';
import type { Participants } from './participants.ts';
import type { Attempt, CallStatus } from './types.ts';

/**
 * Call status (docs/reconciliation.md#status). Inbound: abandoned = the caller hung up while still
 * being offered (IVR, queue, members ringing); missed = the system stopped offering (queue timeout
 * or empty queue, all members rang out, voicemail) even if the caller hangs up later.
 * Outbound/internal: Asterisk's DIALSTATUS (in the caller's HANGUP `extra`) is the guide.
 */

/** Apps this close to a caller-initiated HANGUP are the `h` extension / hangup handlers. */
const POST_HANGUP_WINDOW_MS = 50;

/** Whether the dialplan ran another application after `offer` ended (not `h`, not a hangup handler). */
export function dialplanWentOn(caller: ChannelTimeline, offer: AppRun): boolean {
  if (offer.endRowId === null) return false;
  const hangup = caller.hangup;
  const callerHungUp = hangup !== null && (hangup.source === caller.name || hangup.source === '');
  return caller.apps.some(
    (next) =>
      next.startRowId > offer.endRowId! &&
      next.exten !== 'h' &&
      !(callerHungUp && hangup !== null && hangup.at - next.start <= POST_HANGUP_WINDOW_MS),
  );
}

/**
 * abandoned | missed for an inbound call that was never connected: abandoned when the caller hung
 * up in the IVR or while the last offer (Queue, Dial) was still running; missed when the dialplan
 * went on after that offer (queue timeout or empty queue), the call reached voicemail, or Asterisk
 * itself ended the call (`hangupsource` not the caller: an after-hours announcement, Hangup()).
 */
export function unansweredInboundStatus(caller: ChannelTimeline): 'abandoned' | 'missed' {
  const offers = caller.apps.filter((a) => OFFERING_APPS.has(a.name));
  const last = offers[offers.length - 1];
  const hangup = caller.hangup;
  const callerHungUp = hangup === null || hangup.source === '' || hangup.source === caller.name;
  if (caller.apps.some((a) => GIVING_UP_APPS.has(a.name) && (!last || a.startRowId > last.startRowId)))
    return 'missed';
  if (last && dialplanWentOn(caller, last)) return 'missed';
  return callerHungUp ? 'abandoned' : 'missed';
}

const DIALSTATUS_TO_STATUS: Record<string, CallStatus> = {
  ANSWER: 'answered',
  BUSY: 'busy',
  NOANSWER: 'no_answer',
  CANCEL: 'no_answer',
  CONGESTION: 'failed',
  CHANUNAVAIL: 'failed',
  INVALIDARGS: 'failed',
  DONTCALL: 'failed',
  TORTURE: 'failed',
};

/** Q.850 causes that mean the call could not be placed at all. */
const FAILURE_CAUSES = new Set([
  1, 2, 3, 20, 22, 27, 28, 29, 31, 34, 38, 41, 42, 44, 47, 50, 58, 65, 66, 69, 79, 88, 127,
]);

/** Status of an outbound or internal call that was never connected. */
export function unansweredOutgoingStatus(
  participants: Participants,
  attempts: readonly Attempt[],
): CallStatus {
  const dialStatus = participants.first.hangup?.dialStatus ?? '';
  const fromDialStatus = DIALSTATUS_TO_STATUS[dialStatus];
  if (fromDialStatus && fromDialStatus !== 'answered') return fromDialStatus;
  const legs = participants.ordered.filter((c) => participants.isCallee(c));
  const causes = legs.map((c) => c.hangup?.cause ?? null);
  if (causes.includes(17) || attempts.some((a) => a.outcome === 'busy')) return 'busy';
  if (causes.includes(21)) return 'busy';
  if (legs.length === 0 || causes.some((c) => c !== null && FAILURE_CAUSES.has(c))) return 'failed';
  return 'no_answer';
}
