import type { BridgeStint, ChannelTimeline, GroupTimeline } from './channel-timeline-types.ts';
import { conferenceRoomOf } from './conferences.ts';
import { pickupChannels } from './pickups.ts';

/**
 * Bridges without ids (docs/reconciliation.md#bridges-without-ids): installations whose CEL
 * `extra` has no `bridge_id` (cel_custom / cel_odbc column sets, releases before 12) still say
 * when each channel entered and left a bridge. Which stays were one bridge is rebuilt from what
 * makes a bridge in Asterisk, never from the order of rows within one millisecond:
 *
 * 1. **Dial pairs**: Dial/Queue bridge the callee leg with the channel that dialled it when it
 *    answers, so a leg's stay and its dialler's stay that begin within {@link PAIR_WINDOW_MS} of
 *    each other are one bridge. The dialler is the channel whose dialling application (Queue,
 *    Dial, …) started last before the leg's CHAN_START (Queue keeps running while its caller
 *    talks, so the newest one is the leg's).
 * 2. **Conference rooms**: stays begun while the channel ran ConfBridge/MeetMe of one room (the
 *    application's first argument) are that room's bridge.
 * 3. **Consultation bridges**: a channel that leaves a bridge and enters another within
 *    {@link PAIR_WINDOW_MS} moved into a bridge just made for it (Asterisk's attended transfer
 *    feature bridges the Local channel it dialled for the target, then moves the transferer in):
 *    its new stay is one bridge with the latest unpaired stay of another channel begun at most
 *    that long before.
 * 4. **Moves**: a stay paired by none of these (a transfer moving a channel into an existing bridge)
 *    joins the bridge that another channel was in at that moment, never one the entering channel
 *    itself left before; when several qualify, the one with a single channel left in it.
 *
 * Stays of channels with `bridge_id` are left as they are. Mutates `group` (fills `bridgeId`).
 */

/** A callee and its dialler enter the bridge within this many ms of each other (both answered). */
export const PAIR_WINDOW_MS = 1000;

const DIALLING_APPS = new Set(['Queue', 'Dial', 'RetryDial', 'FollowMe']);
const CALLEE_APPS = new Set(['AppQueue', 'AppDial', 'AppDial2']);

interface Stay {
  channel: ChannelTimeline;
  stint: BridgeStint;
  index: number;
}

const exitOf = (s: Stay): number => s.stint.exit ?? s.channel.end ?? Number.POSITIVE_INFINITY;

function diallerOf(leg: ChannelTimeline, group: GroupTimeline): ChannelTimeline | null {
  const at = leg.start ?? 0;
  let best: { channel: ChannelTimeline; start: number } | null = null;
  for (const channel of group.channels.values()) {
    if (channel === leg) continue;
    for (const app of channel.apps) {
      if (!DIALLING_APPS.has(app.name) || app.start > at) continue;
      if (at > (app.end ?? channel.end ?? Number.POSITIVE_INFINITY)) continue;
      if (!best || app.start > best.start) best = { channel, start: app.start };
    }
  }
  return best?.channel ?? null;
}

/** A callee leg, or a phone that picked one up and took its place (pickups.ts). */
const isCallee = (c: ChannelTimeline, pickers: ReadonlyMap<ChannelTimeline, ChannelTimeline>): boolean =>
  CALLEE_APPS.has(c.apps[0]?.name ?? '') || pickers.has(c) || c.uniqueId !== c.linkedIds[0];

export function assignAnonymousBridges(group: GroupTimeline): void {
  const stays: Stay[] = [];
  for (const channel of group.channels.values())
    channel.bridges.forEach((stint, index) => {
      if (stint.bridgeId) return;
      // A holding bridge (a parking lot, ARI holding) is nobody's conversation: its own.
      if (stint.technology === 'holding_bridge')
        stint.bridgeId = `inferred-holding:${channel.uniqueId}:${index}`;
      else stays.push({ channel, stint, index });
    });
  if (stays.length === 0) return;

  const parent = stays.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const union = (a: number, b: number) => {
    parent[find(a)] = find(b);
  };
  const paired = new Set<number>();
  const pickers = pickupChannels(group);

  // 1. Dial pairs.
  stays.forEach((leg, i) => {
    if (!isCallee(leg.channel, pickers)) return;
    const dialler = diallerOf(leg.channel, group);
    if (!dialler) return;
    stays.forEach((other, j) => {
      if (other.channel !== dialler) return;
      if (Math.abs(other.stint.enter - leg.stint.enter) > PAIR_WINDOW_MS) return;
      union(i, j);
      paired.add(i);
      paired.add(j);
    });
  });

  // 2. Conference rooms: stays begun while the channel ran ConfBridge/MeetMe of one room are
  //    that room's bridge (conferences.ts).
  const rooms = new Map<string, number>();
  stays.forEach((stay, i) => {
    const room = conferenceRoomOf(stay.channel, stay.stint);
    if (room === null) return;
    const other = rooms.get(room);
    if (other === undefined) rooms.set(room, i);
    else union(i, other);
    paired.add(i);
  });

  // 3. Consultation bridges: a channel that leaves its bridge and enters another at once moved
  // into a bridge that was just made for it — Asterisk's attended transfer feature bridges the
  // transfer target (the Local channel it dialled) first, then moves the transferer in. Its new
  // stay is one bridge with the latest stay of another channel begun at most PAIR_WINDOW_MS before
  // and paired with nothing yet.
  stays.forEach((stay, i) => {
    if (paired.has(i) || stay.index === 0) return;
    const previous = stay.channel.bridges[stay.index - 1]!;
    const left = previous.exit ?? Number.NEGATIVE_INFINITY;
    if (stay.stint.enter - left > PAIR_WINDOW_MS || stay.stint.enter < left) return;
    let partner: number | null = null;
    stays.forEach((other, j) => {
      if (other.channel === stay.channel || paired.has(j)) return;
      const lead = stay.stint.enter - other.stint.enter;
      if (lead < 0 || lead > PAIR_WINDOW_MS) return;
      if (partner === null || other.stint.enter > stays[partner]!.stint.enter) partner = j;
    });
    if (partner === null) return;
    union(i, partner);
    paired.add(i);
    paired.add(partner);
  });

  // 4. Moves, in time order (a move may join a bridge an earlier move made).
  const order = stays.map((_, i) => i).sort((a, b) => stays[a]!.stint.enter - stays[b]!.stint.enter);
  for (const i of order) {
    if (paired.has(i)) continue;
    const stay = stays[i]!;
    const at = stay.stint.enter;
    const left = new Set(
      stays
        .map((s, j) => ({ s, j }))
        .filter(({ s }) => s.channel === stay.channel && s.index < stay.index)
        .map(({ j }) => find(j)),
    );
    const open = new Map<number, number>();
    stays.forEach((s, j) => {
      if (s.channel === stay.channel || s.stint.enter > at || exitOf(s) <= at) return;
      const root = find(j);
      if (left.has(root)) return;
      open.set(root, (open.get(root) ?? 0) + 1);
    });
    const candidates = [...open.entries()];
    const chosen =
      candidates.length === 1 ? candidates[0] : candidates.filter(([, present]) => present === 1).at(0);
    if (!chosen) continue;
    union(i, chosen[0]);
    paired.add(i);
  }

  stays.forEach((s, i) => {
    s.stint.bridgeId = `inferred:${find(i)}`;
  });
}
