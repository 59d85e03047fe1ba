import type { ChannelTimeline, GroupTimeline, Stint } from './channel-timeline.ts';
import type { Interval } from './intervals.ts';
import type { Participants } from './participants.ts';

/**
 * Conversation time: when the anchor (customer side) shared a bridge with a real party.
 * A holding bridge (parking, ARI holding) is not a conversation; a Local channel in the bridge is
 * followed to whatever its other half is bridged with (Queue members behind `Local/…@from-queue`).
 */

export interface Connection extends Interval {
  /** The party the anchor talked to (an operator's or an external channel). */
  party: ChannelTimeline;
  /** `cel.id`s of the BRIDGE_ENTER rows that joined the two sides (the explanation's evidence). */
  rowIds: number[];
}

const HOLDING_TECHNOLOGIES = new Set(['holding_bridge']);

/** End of a stint that was never closed: the channel's end, or the last row of the group. */
export function stintEnd(
  stint: { end?: number | null; exit?: number | null },
  channel: ChannelTimeline,
  group: GroupTimeline,
): number {
  return stint.exit ?? stint.end ?? channel.end ?? group.lastEventTime;
}

/** Closed copies of open stints (MOH, HOLD) for interval arithmetic. */
export function closedStints(
  stints: readonly Stint[],
  channel: ChannelTimeline,
  group: GroupTimeline,
): Interval[] {
  return stints.map((s) => ({ start: s.start, end: stintEnd(s, channel, group) }));
}

function partiesOf(
  channel: ChannelTimeline,
  window: Interval,
  group: GroupTimeline,
  participants: Participants,
  visited: Set<ChannelTimeline>,
): Connection[] {
  visited.add(channel);
  const out: Connection[] = [];
  for (const stint of channel.bridges) {
    if (!stint.bridgeId || HOLDING_TECHNOLOGIES.has(stint.technology)) continue;
    const mine = {
      start: Math.max(stint.enter, window.start),
      end: Math.min(stintEnd(stint, channel, group), window.end),
    };
    // A stay still open at the call's last row (Asterisk died mid-call: no BRIDGE_EXIT ever came)
    // is a connection even when that last row is the BRIDGE_ENTER itself (docs/reconciliation.md#timeouts).
    const mineOpen = stint.exit === null;
    if (mine.end < mine.start || (mine.end === mine.start && !mineOpen)) continue;
    for (const other of group.channels.values()) {
      if (visited.has(other)) continue;
      for (const theirs of other.bridges) {
        if (theirs.bridgeId !== stint.bridgeId) continue;
        const start = Math.max(mine.start, theirs.enter);
        const end = Math.min(mine.end, stintEnd(theirs, other, group));
        if (end < start || (end === start && !(mineOpen && theirs.exit === null))) continue;
        const kind = participants.kindOf(other);
        const rowIds = [stint.enterRowId, theirs.enterRowId];
        if (kind === 'operator' || kind === 'external') out.push({ start, end, party: other, rowIds });
        else if (kind === 'local')
          out.push(
            ...throughLocal(other, { start, end }, group, participants, visited).map((c) => ({
              ...c,
              rowIds: [...rowIds, ...c.rowIds],
            })),
          );
      }
    }
  }
  visited.delete(channel);
  return out;
}

/** Follows a Local half to its other half's bridge partners within `window`. */
function throughLocal(
  half: ChannelTimeline,
  window: Interval,
  group: GroupTimeline,
  participants: Participants,
  visited: Set<ChannelTimeline>,
): Connection[] {
  const out: Connection[] = [];
  visited.add(half);
  for (const other of group.channels.values()) {
    if (other === half || visited.has(other) || other.parsed.localPair !== half.parsed.localPair) continue;
    out.push(...partiesOf(other, window, group, participants, visited));
  }
  visited.delete(half);
  return out;
}

/**
 * Every stretch the anchor spent bridged with a real party, ordered by start, each extended by the
 * consultation hold that followed it (see {@link withConsultationHold}).
 */
export function anchorConnections(group: GroupTimeline, participants: Participants): Connection[] {
  const window = { start: Number.NEGATIVE_INFINITY, end: Number.POSITIVE_INFINITY };
  const connections = partiesOf(participants.anchor, window, group, participants, new Set()).sort(
    (a, b) => a.start - b.start || a.end - b.end,
  );
  return withConsultationHold(connections, participants.anchor, group);
}

/**
 * An operator who starts an attended transfer with the DTMF feature (features.conf `atxfer`) leaves
 * the bridge to consult the target in a bridge of their own; Asterisk's bridging core plays music
 * on hold to the party left behind ("Attended transfers": the transferee "is placed on hold" —
 * docs.asterisk.org, Feature Code Call Transfers). While the anchor stays in that bridge hearing
 * music that began while the operator was still with it, the anchor is on hold by that operator,
 * not between calls: the connection is extended to the end of that music (or of the anchor's stay,
 * or to the next connection's start, whichever is first) and the hold rules count it as hold
 * (docs/reconciliation.md#talk-hold-and-waits).
 */
function withConsultationHold(
  connections: readonly Connection[],
  anchor: ChannelTimeline,
  group: GroupTimeline,
): Connection[] {
  return connections.map((connection, i) => {
    const stay = anchor.bridges.find(
      (b) =>
        !HOLDING_TECHNOLOGIES.has(b.technology) &&
        b.enter <= connection.end &&
        stintEnd(b, anchor, group) > connection.end,
    );
    if (!stay) return connection;
    const music = anchor.moh.find(
      (m) => m.start < connection.end && stintEnd(m, anchor, group) > connection.end,
    );
    if (!music) return connection;
    const later = connections
      .slice(i + 1)
      .map((c) => c.start)
      .filter((t) => t >= connection.end);
    const end = Math.min(stintEnd(music, anchor, group), stintEnd(stay, anchor, group), ...later);
    return end > connection.end ? { ...connection, end } : connection;
  });
}
