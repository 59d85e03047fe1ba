import type { ChannelTimeline, GroupTimeline } from './channel-timeline.ts';
import { conferenceRoomOf } from './conferences.ts';
import type { Connection } from './connections.ts';
import { GIVING_UP_APPS, OFFERING_APPS } from './dialplan-apps.ts';
import { ivrSteps } from './ivr-choice.ts';
import type { Participants } from './participants.ts';
import { serviceEntry } from './service-calls.ts';
import type { Call, Decision } from './types.ts';

/**
 * The explanation of a derived call: which rule of docs/reconciliation.md decided each field, and
 * the `cel.id`s of the rows that rule read. Written by the same pass that derives the call
 * (build-call.ts), so it can never disagree with the call; `GET /calls/:id/explain` serves it.
 */

const DOC = 'docs/reconciliation.md';
/** Rule anchors: headings of docs/reconciliation.md (GitHub's anchor of each heading). */
export const RULES = {
  status: `${DOC}#status`,
  direction: `${DOC}#direction`,
  operator: `${DOC}#numbers-and-operator`,
  attempts: `${DOC}#attempts`,
  transfers: `${DOC}#transfers`,
  times: `${DOC}#talk-hold-and-waits`,
  finality: `${DOC}#finality`,
  cdr: `${DOC}#cdr`,
  services: `${DOC}#service-calls`,
  stage: `${DOC}#ended-at-stage`,
  ivr: `${DOC}#ivr-choice`,
} as const;

const ids = (...values: (number | null | undefined)[]): number[] =>
  [...new Set(values.filter((v): v is number => typeof v === 'number'))].sort((a, b) => a - b);

const channelRows = (c: ChannelTimeline): number[] => ids(c.firstRowId, c.answerRowId, c.hangup?.rowId);

/** Rows behind the status of a call that was never connected. */
function unansweredEvidence(participants: Participants, call: Call): number[] {
  const { first } = participants;
  if (call.direction === 'inbound') {
    const apps = first.apps.filter((a) => OFFERING_APPS.has(a.name) || GIVING_UP_APPS.has(a.name));
    return ids(first.firstRowId, ...apps.flatMap((a) => [a.startRowId, a.endRowId]), first.hangup?.rowId);
  }
  const legs = participants.ordered.filter((c) => participants.isCallee(c));
  return ids(first.firstRowId, first.hangup?.rowId, ...legs.flatMap((c) => [c.firstRowId, c.hangup?.rowId]));
}

/**
 * Decisions for `call`, derived from `group` by build-call.ts: status, direction, operator, the
 * times of the first connection, every attempt (by uniqueid) and every transfer (in row order).
 */
export function callDecisions(
  call: Call,
  group: GroupTimeline,
  participants: Participants,
  connections: readonly Connection[],
  transferRowIds: readonly number[],
): Decision[] {
  const { first } = participants;
  const decisions: Decision[] = [];
  const connected = connections.flatMap((c) => c.rowIds);
  // Answered without a connection: an operator who entered a conference room alone (its
  // BRIDGE_ENTER into the room; docs/reconciliation.md#conferences).
  const roomEntry =
    call.answered_at !== null && connections.length === 0
      ? first.bridges.find((b) => conferenceRoomOf(first, b) !== null)
      : undefined;
  // Answered without a connection: a service call (VoiceMailMain, Echo; its APP_START).
  const service = call.ended_at_stage === 'service' ? serviceEntry(first) : null;
  decisions.push({
    field: 'status',
    value: call.status,
    rule: roomEntry ? `${DOC}#conferences` : service ? RULES.services : RULES.status,
    evidence: roomEntry
      ? ids(roomEntry.enterRowId)
      : service
        ? ids(service.rowId)
        : call.answered_at !== null
          ? ids(...(connections[0]?.rowIds ?? []))
          : unansweredEvidence(participants, call),
  });
  decisions.push({
    field: 'ended_at_stage',
    value: call.ended_at_stage,
    rule: RULES.stage,
    evidence: service
      ? ids(first.firstRowId, service.rowId, first.hangup?.rowId)
      : call.answered_at !== null
        ? ids(...connections.flatMap((c) => c.rowIds), ...(roomEntry ? [roomEntry.enterRowId] : []))
        : ids(...unansweredEvidence(participants, call), ...first.apps.map((a) => a.startRowId)),
  });
  // The menu application's APP_START and the first APP_START at each chosen extension.
  decisions.push({
    field: 'ivr_choice',
    value: call.ivr_choice,
    rule: RULES.ivr,
    evidence: ids(...ivrSteps(first).flatMap((s) => s.rowIds)),
  });
  decisions.push({
    field: 'direction',
    value: call.direction,
    rule: RULES.direction,
    evidence: ids(
      first.firstRowId,
      ...participants.ordered.filter((c) => participants.isCallee(c)).map((c) => c.firstRowId),
    ),
  });
  const operatorConnection =
    call.direction === 'inbound'
      ? connections.findLast((c) => c.party.parsed.endpoint === call.operator)
      : undefined;
  decisions.push({
    field: 'operator',
    value: call.operator,
    rule: RULES.operator,
    evidence: operatorConnection ? ids(...operatorConnection.rowIds) : ids(first.firstRowId),
  });
  decisions.push({
    field: 'answered_at',
    value: call.answered_at,
    rule: RULES.times,
    evidence: ids(
      first.firstRowId,
      ...(connections[0]?.rowIds ?? []),
      ...(roomEntry ? [roomEntry.enterRowId] : []),
      ...(service ? [service.rowId] : []),
    ),
  });
  decisions.push({ field: 'talk_sec', value: call.talk_sec, rule: RULES.times, evidence: ids(...connected) });
  call.attempts.forEach((attempt, i) => {
    const leg = group.channels.get(attempt.uniqueid);
    decisions.push({
      field: `attempts[${i}]`,
      value: attempt.outcome,
      rule: RULES.attempts,
      // A picked ring: its PICKUP row too (docs/reconciliation.md#attempts).
      evidence: leg ? ids(...channelRows(leg), ...(leg.pickedUpBy ? [leg.pickedUpBy.rowId] : [])) : [],
    });
  });
  call.transfers.forEach((transfer, i) => {
    decisions.push({
      field: `transfers[${i}]`,
      value: transfer.to,
      rule: RULES.transfers,
      evidence: ids(transferRowIds[i]),
    });
  });
  decisions.push({
    field: 'closed_by',
    value: call.closed_by,
    rule: RULES.finality,
    evidence: call.closed_by === 'linkedid_end' ? ids(...group.linkedIdEndRowIds) : ids(group.lastEventRowId),
  });
  return decisions;
}

/** Decisions of a call rebuilt from CDR alone (docs/reconciliation.md#cdr): no CEL row to cite. */
export function cdrOnlyDecisions(call: Call): Decision[] {
  return [
    { field: 'status', value: call.status, rule: RULES.cdr, evidence: [] },
    { field: 'direction', value: call.direction, rule: RULES.cdr, evidence: [] },
    { field: 'ended_at_stage', value: call.ended_at_stage, rule: RULES.cdr, evidence: [] },
    { field: 'ivr_choice', value: call.ivr_choice, rule: RULES.cdr, evidence: [] },
    { field: 'operator', value: call.operator, rule: RULES.cdr, evidence: [] },
    ...call.attempts.map((a, i) => ({
      field: `attempts[${i}]`,
      value: a.outcome,
      rule: RULES.cdr,
      evidence: [],
    })),
    ...call.transfers.map((t, i) => ({
      field: `transfers[${i}]`,
      value: t.to,
      rule: RULES.cdr,
      evidence: [],
    })),
  ];
}
