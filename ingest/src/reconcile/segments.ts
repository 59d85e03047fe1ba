import type { GroupTimeline } from './channel-timeline.ts';
import { type Connection, closedStints } from './connections.ts';
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
  holds: Hold[];
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
  return { segments, hold: allHold, holds };
}
