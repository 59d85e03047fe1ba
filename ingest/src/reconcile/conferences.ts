import type { BridgeStint, ChannelTimeline } from './channel-timeline-types.ts';
import type { CelRow } from './types.ts';

/**
 * Conference rooms (docs/reconciliation.md#conferences). ConfBridge's bridge does not pass the
 * oldest linkedid to the channels that join it (Asterisk's bridging core does so only in basic
 * bridges: Dial, Queue, parking retrieval; `ast_bridge_channel_update_linkedids`), so every
 * member of a room keeps the linkedid of the call it came from. A caller an operator moved into a
 * room and the operators who dialled the room are still one conversation: the reconciler treats
 * the stays of one room that overlap in time as one call. The room is the first argument of the
 * application (`ConfBridge(800,…)`, `MeetMe(800,…)` on older systems).
 */

/** Applications that put a channel into a conference room. */
export const CONFERENCE_APPS: ReadonlySet<string> = new Set(['ConfBridge', 'MeetMe']);

/** The room a conference application's `appdata` names (`800` of `800,room-profile,user-profile`). */
export function conferenceRoom(appData: string): string {
  return appData.split(/[,|]/)[0]!.trim();
}

/** One channel's stay in a conference room: APP_START → APP_END (UTC epoch ms), its linkedid. */
interface RoomStay {
  room: string;
  linkedId: string;
  start: number;
  end: number;
}

/**
 * Pairs of linkedids (of one server's rows) whose channels were in the same conference room at the
 * same time. A stay runs from the application's APP_START to its APP_END on that channel; without
 * APP_END, to the channel's HANGUP or CHAN_END; a stay still open counts as lasting. Stays that
 * only touch (one leaves the millisecond another enters) are not together. Decided from times,
 * never from the order of rows.
 */
export function conferenceLinks(rows: readonly CelRow[]): [string, string][] {
  const open = new Map<string, RoomStay[]>();
  const stays: RoomStay[] = [];
  const channelEnd = new Map<string, number>();
  const ends: { uniqueId: string; app: string; at: number }[] = [];
  for (const row of rows) {
    if (row.eventType === 'APP_START' && CONFERENCE_APPS.has(row.appName)) {
      const stay = {
        room: `${row.appName}:${conferenceRoom(row.appData)}`,
        linkedId: row.linkedId,
        start: row.eventTime,
        end: Number.POSITIVE_INFINITY,
      };
      stays.push(stay);
      const list = open.get(`${row.uniqueId}\u0000${row.appName}`);
      if (list) list.push(stay);
      else open.set(`${row.uniqueId}\u0000${row.appName}`, [stay]);
    } else if (row.eventType === 'APP_END' && CONFERENCE_APPS.has(row.appName)) {
      ends.push({ uniqueId: row.uniqueId, app: row.appName, at: row.eventTime });
    } else if (row.eventType === 'HANGUP' || row.eventType === 'CHAN_END') {
      channelEnd.set(row.uniqueId, Math.min(channelEnd.get(row.uniqueId) ?? row.eventTime, row.eventTime));
    }
  }
  if (stays.length === 0) return [];
  // Each APP_END closes the channel's earliest stay of that application still open at its time.
  for (const end of ends.sort((a, b) => a.at - b.at)) {
    const stay = open
      .get(`${end.uniqueId}\u0000${end.app}`)
      ?.find((s) => s.end === Number.POSITIVE_INFINITY && s.start <= end.at);
    if (stay) stay.end = end.at;
  }
  for (const [key, list] of open) {
    const hangup = channelEnd.get(key.split('\u0000')[0]!);
    if (hangup === undefined) continue;
    for (const stay of list)
      if (stay.end === Number.POSITIVE_INFINITY && stay.start <= hangup) stay.end = hangup;
  }
  const links: [string, string][] = [];
  const byRoom = new Map<string, RoomStay[]>();
  for (const stay of stays) {
    const list = byRoom.get(stay.room);
    if (list) list.push(stay);
    else byRoom.set(stay.room, [stay]);
  }
  for (const list of byRoom.values()) {
    list.sort((a, b) => a.start - b.start || a.end - b.end);
    let current = list[0]!;
    let until = current.end;
    for (const stay of list.slice(1)) {
      if (stay.start < until) {
        links.push([current.linkedId, stay.linkedId]);
        until = Math.max(until, stay.end);
      } else {
        current = stay;
        until = stay.end;
      }
    }
  }
  return links;
}

/**
 * The conference room (`ConfBridge:800`) a channel was in during `stint`: a conference
 * application of the channel was running when the stay began; null for any other bridge.
 */
export function conferenceRoomOf(channel: ChannelTimeline, stint: BridgeStint): string | null {
  const run = channel.apps.findLast(
    (a) =>
      CONFERENCE_APPS.has(a.name) &&
      a.start <= stint.enter &&
      stint.enter <= (a.end ?? channel.end ?? Number.POSITIVE_INFINITY),
  );
  return run ? `${run.name}:${conferenceRoom(run.data)}` : null;
}

/**
 * When the channel entered a conference room (its first stay in a room's bridge, UTC epoch ms), or
 * null: an operator who dialled a room reached it even when nobody else was there
 * (docs/reconciliation.md#conferences).
 */
export function conferenceEntry(channel: ChannelTimeline): number | null {
  const stint = channel.bridges.find((b) => conferenceRoomOf(channel, b) !== null);
  return stint ? stint.enter : null;
}
