import { parseChannelName } from './channel-name.ts';
import type { GroupTimeline } from './channel-timeline.ts';
import { type Connection, closedStints, stintEnd } from './connections.ts';
import { type Interval, intersectIntervals, toIso, toSeconds, totalMs } from './intervals.ts';
import type { Participants } from './participants.ts';
import type { Hold, Segment } from './types.ts';

/**
 * Talk segments: one per party the customer side talked to, in order, so a transferred call splits
 * its talk time between operators instead of crediting all of it to the first (the most common
 * complaint about Asterisk statistics; docs/reconciliation.md#segments).
 *
 * Hold has no CEL event in Asterisk 20: the held party hears music on hold (STREAM_BEGIN of class
 * MOH_STREAM_*); older releases log HOLD/UNHOLD. Either, on the anchor or on its party, counts as
 * hold while they are connected; MOH while waiting in a queue is not hold.
 */
export interface SegmentsResult {
  segments: Segment[];
  /** Hold intervals of the whole call (within connected time). */
  hold: Interval[];
  /** Parked intervals of the customer side (outside any connection; hold-like time). */
  parked: Interval[];
  /** Every hold and every park, in time order. */
  holds: Hold[];
}

/**
 * The operator who parked the customer: the endpoint of PARK_START's `parker_dial_string`
 * (`PJSIP/101`) when it is an operator's, else the operator of the last segment begun before the
 * park.
 */
function parkerOf(
  parker: string,
  at: number,
  segments: readonly { operator: string | null; start: number }[],
  isOperatorEndpoint: (endpoint: string) => boolean,
): string | null {
  const endpoint = parseChannelName(parker).endpoint;
  if (endpoint && isOperatorEndpoint(endpoint)) return endpoint;
  return segments.findLast((s) => s.start <= at && s.operator !== null)?.operator ?? null;
}

/**
 * The talk segments and holds of a call group from its bridge connections (see {@link
 * SegmentsResult}): one segment per party the customer side talked to, with talk and hold in
 * seconds.
 */
export function talkSegments(
  connections: readonly Connection[],
  group: GroupTimeline,
  participants: Participants,
  isOperatorEndpoint: (endpoint: string) => boolean,
): SegmentsResult {
  const runs: Connection[][] = [];
  for (const connection of connections) {
    const last = runs[runs.length - 1];
    if (last && last[0]!.party === connection.party) last.push(connection);
    else runs.push([connection]);
  }
  const anchor = participants.anchor;
  const anchorHold = [
    ...closedStints(anchor.moh, anchor, group),
    ...closedStints(anchor.holds, anchor, group),
  ];
  const allHold: Interval[] = [];
  const holds: Hold[] = [];
  const segments = runs.map((run): Segment => {
    const party = run[0]!.party;
    const partyHold = [...closedStints(party.moh, party, group), ...closedStints(party.holds, party, group)];
    const hold = intersectIntervals(run, [...anchorHold, ...partyHold]);
    allHold.push(...hold);
    const connectedMs = totalMs(run);
    const holdMs = totalMs(hold);
    const isOperator = participants.kindOf(party) === 'operator';
    for (const h of hold) {
      holds.push({
        operator: isOperator ? party.parsed.endpoint : null,
        started_at: toIso(h.start),
        ended_at: toIso(h.end),
      });
    }
    return {
      operator: isOperator ? party.parsed.endpoint : null,
      party: isOperator ? party.parsed.endpoint : party.cidNum || party.startExten || party.parsed.endpoint,
      started_at: toIso(Math.min(...run.map((c) => c.start))),
      ended_at: toIso(Math.max(...run.map((c) => c.end))),
      talk_sec: toSeconds(connectedMs - holdMs),
      hold_sec: toSeconds(holdMs),
    };
  });

  // Parked (res_parking: PARK_START → PARK_END on the customer side): hold-like time, credited to
  // the segment of the operator who parked (docs/reconciliation.md#talk-hold-and-waits).
  const starts = runs.map((run, i) => ({ operator: segments[i]!.operator, start: run[0]!.start }));
  const parked: Interval[] = [];
  for (const park of anchor.parks) {
    const interval = { start: park.start, end: stintEnd(park, anchor, group) };
    if (interval.end <= interval.start) continue;
    parked.push(interval);
    const operator = parkerOf(park.parker, park.start, starts, isOperatorEndpoint);
    holds.push({ operator, started_at: toIso(interval.start), ended_at: toIso(interval.end) });
    const index = starts.findLastIndex((s) => s.start <= park.start && s.operator === operator);
    const segment = segments[index];
    if (segment) segment.hold_sec = toSeconds(segment.hold_sec * 1000 + totalMs([interval]));
  }
  holds.sort((a, b) => a.started_at.localeCompare(b.started_at));
  return { segments, hold: allHold, parked, holds };
}
