import { operatorAttempts } from './attempts.ts';
import { callTimes } from './call-times.ts';
import type { ChannelTimeline, GroupTimeline } from './channel-timeline.ts';
import { conferenceEntry } from './conferences.ts';
import { anchorConnections } from './connections.ts';
import { callDecisions } from './decisions.ts';
import { unansweredStage } from './ended-stage.ts';
import { mergeIntervals, toSeconds, totalMs } from './intervals.ts';
import { ivrChoice } from './ivr-choice.ts';
import { identifyParticipants, type Participants } from './participants.ts';
import { queueStints } from './queue-stints.ts';
import { talkSegments } from './segments.ts';
import { serviceEntry } from './service-calls.ts';
import { unansweredInboundStatus, unansweredOutgoingStatus } from './status.ts';
import { callTransfers } from './transfers.ts';
import type { Call, CallExplanation, ClosedBy, OperatorDirectory } from './types.ts';
import { RECONCILER_VERSION } from './version.ts';

/** `s` and empty extensions name no number (a trunk that sends no DID lands in `s`). */
const numberOrNull = (...candidates: string[]): string | null =>
  candidates.find((c) => c !== '' && c !== 's') ?? null;

/**
 * Who ended the call, from the `hangupsource` of the customer side's HANGUP (the channel that hung
 * up, or `dialplan/builtin` / empty when Asterisk did). An outgoing call that never connected was
 * ended by the operator who placed it (cancelled) or by the system (busy, failed, timeout).
 */
function hungUpBy(participants: Participants, answered: boolean): Call['hung_up_by'] {
  if (!answered && participants.direction !== 'inbound') {
    const placer = participants.first.hangup;
    if (!placer) return null;
    return placer.source === participants.first.name ? 'operator' : 'system';
  }
  const hangup = participants.anchor.hangup;
  if (!hangup) return null;
  const channel = participants.ordered.find((c) => c.name === hangup.source);
  if (!channel) return 'system';
  const kind = participants.kindOf(channel);
  return kind === 'operator' ? 'operator' : kind === 'external' ? 'customer' : 'system';
}

const channelEnd = (c: ChannelTimeline): number | null => c.end ?? c.hangup?.at ?? null;

/**
 * Derives one call from the timeline of its group (all CEL rows of its linkedids).
 * Field definitions: types.ts and docs/reconciliation.md. The decisions (decisions.ts) come
 * from the same pass, so an explanation never disagrees with its call.
 */
export function buildCall(
  serverId: string,
  group: GroupTimeline,
  linkedIds: readonly string[],
  closedBy: ClosedBy,
  isOperator: OperatorDirectory,
): CallExplanation {
  const participants = identifyParticipants(serverId, group, isOperator);
  const { first, direction } = participants;
  const startedAt = first.start ?? group.firstEventTime;
  // A call closed without its LINKEDID_END (Asterisk died, rows lost) lasts until its last row while
  // a channel of it never ended (docs/reconciliation.md#timeouts).
  const openEnd = closedBy === 'linkedid_end' ? null : group.lastEventTime;
  const ends = participants.ordered
    .map((c) => channelEnd(c) ?? openEnd)
    .filter((t): t is number => t !== null);
  const endedAt = ends.length > 0 ? Math.max(...ends) : group.lastEventTime;

  const connections = anchorConnections(group, participants);
  const { segments, hold, parked, holds } = talkSegments(connections, group, participants, (endpoint) =>
    isOperator(serverId, endpoint),
  );
  // An operator alone in a conference room reached it: answered when it entered the room
  // (docs/reconciliation.md#conferences).
  // A service call (VoiceMailMain, Echo) is answered when the service started
  // (docs/reconciliation.md#service-calls).
  const service = connections.length === 0 && direction === 'internal' ? serviceEntry(first) : null;
  const answeredAt =
    connections[0]?.start ??
    (participants.kindOf(first) === 'operator' && direction === 'internal' ? conferenceEntry(first) : null) ??
    service?.at ??
    null;
  const connectedMs = totalMs(connections);
  const holdMs = totalMs(mergeIntervals(hold));
  // Parked time is outside every connection: hold-like, never talk (docs/reconciliation.md#talk-hold-and-waits).
  const parkedMs = totalMs(mergeIntervals(parked));

  const queues = queueStints(group);
  const firstQueue = queues[0];
  const queueWaitEnd = firstQueue ? (answeredAt ?? firstQueue.end) : null;

  const attempts = operatorAttempts(group, participants, queues);
  const status =
    answeredAt !== null
      ? 'answered'
      : direction === 'inbound'
        ? unansweredInboundStatus(first)
        : unansweredOutgoingStatus(participants, attempts);

  const did = direction === 'inbound' ? numberOrNull(first.startExten, first.dnid) : null;
  const operator =
    direction === 'inbound'
      ? (segments.findLast((s) => s.operator !== null)?.operator ?? null)
      : participants.kindOf(first) === 'operator'
        ? first.parsed.endpoint
        : null;
  const recordings = participants.ordered.flatMap((c) => c.recordings);

  const call: Call = {
    server_id: serverId,
    linkedid: first.linkedIds[0]!,
    uniqueid: first.uniqueId,
    linkedids: [...linkedIds].sort(),
    direction,
    status,
    ...callTimes(startedAt, answeredAt, endedAt),
    queue_wait_sec:
      firstQueue && queueWaitEnd !== null ? toSeconds(Math.max(0, queueWaitEnd - firstQueue.start)) : null,
    talk_sec: toSeconds(connectedMs - holdMs),
    hold_sec: toSeconds(holdMs + parkedMs),
    src_number: numberOrNull(first.cidNum),
    dst_number: direction === 'inbound' ? did : numberOrNull(first.startExten, first.dnid),
    did,
    queue: firstQueue?.queue ?? null,
    queues: [...new Set(queues.map((q) => q.queue))],
    operator,
    hung_up_by: hungUpBy(participants, answeredAt !== null),
    ended_at_stage:
      service !== null && connections.length === 0 && answeredAt === service.at
        ? 'service'
        : answeredAt !== null
          ? 'talk'
          : unansweredStage(participants),
    ivr_choice: ivrChoice(first),
    attempts,
    transfers: callTransfers(serverId, group, isOperator),
    segments,
    holds,
    recording_path: recordings[0] ?? null,
    recordings,
    closed_by: closedBy,
    flags: [],
    reconciler_version: RECONCILER_VERSION,
  };
  const transferRowIds = [...group.transfers].sort((a, b) => a.rowId - b.rowId).map((t) => t.rowId);
  return { call, decisions: callDecisions(call, group, participants, connections, transferRowIds) };
}
