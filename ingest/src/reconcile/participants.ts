import type { ChannelTimeline, GroupTimeline } from './channel-timeline.ts';
import { conferenceEntry } from './conferences.ts';
import { listenInEntry } from './listen-in.ts';
import { pickupChannels } from './pickups.ts';
import type { Direction, OperatorDirectory } from './types.ts';

/**
 * Who is who in a call group: which channels are operators' phones (by the operators directory,
 * never by guessing from numbers — docs/reconciliation.md#participants), which are external (trunks), which channel started
 * the call, and which channels are callee legs.
 */

export type ChannelKind = 'operator' | 'external' | 'local' | 'system';

/**
 * The roles of a call group's channels: the kind of each (operator, external, local, system), the
 * channels in start order, the call's first real channel, its direction, the customer-side anchor
 * whose conversation is measured, and which channels are callee legs.
 */
export interface Participants {
  kindOf(channel: ChannelTimeline): ChannelKind;
  /** All channels, ordered by start. */
  ordered: ChannelTimeline[];
  /** The call's first real (non-Local, non-helper) channel. */
  first: ChannelTimeline;
  direction: Direction;
  /**
   * The customer side whose conversation time is measured: inbound, the caller; outbound, the
   * external callee leg; internal, the calling operator.
   */
  anchor: ChannelTimeline;
  /** Channels created by Queue/Dial for this call rather than by a device placing a call. */
  isCallee(channel: ChannelTimeline): boolean;
}

const CALLEE_APPS = new Set(['AppQueue', 'AppDial', 'AppDial2']);

/**
 * A callee leg inherits the linkedid of the channel that dialled it, so its uniqueid differs from
 * its first linkedid; a device placing a call starts its own linkedid (Asterisk CEL docs,
 * "linkedid"). Queue/Dial legs also get `APP_START AppQueue|AppDial` (fixtures README).
 */
function isCalleeLeg(channel: ChannelTimeline, pickers: ReadonlySet<ChannelTimeline>): boolean {
  const firstApp = channel.apps[0]?.name;
  if (firstApp && CALLEE_APPS.has(firstApp)) return true;
  if (pickers.has(channel)) return true;
  return channel.uniqueId !== channel.linkedIds[0];
}

const startOf = (c: ChannelTimeline): number => c.start ?? Number.POSITIVE_INFINITY;

/** Classifies the channels of one group. Throws when the group holds no channel at all. */
export function identifyParticipants(
  serverId: string,
  group: GroupTimeline,
  isOperator: OperatorDirectory,
): Participants {
  const kinds = new Map<ChannelTimeline, ChannelKind>();
  const kindOf = (c: ChannelTimeline): ChannelKind => {
    let kind = kinds.get(c);
    if (!kind) {
      kind = c.parsed.isLocal
        ? 'local'
        : c.parsed.isSystem
          ? 'system'
          : isOperator(serverId, c.parsed.endpoint)
            ? 'operator'
            : 'external';
      kinds.set(c, kind);
    }
    return kind;
  };
  const ordered = [...group.channels.values()].sort(
    (a, b) => startOf(a) - startOf(b) || a.firstRowId - b.firstRowId,
  );
  if (ordered.length === 0) throw new Error('call group without channels');
  const real = ordered.filter((c) => kindOf(c) === 'operator' || kindOf(c) === 'external');
  const first = real[0] ?? ordered[0]!;
  const pickers = new Set(pickupChannels(group).keys());
  const callees = real.filter((c) => c !== first && isCalleeLeg(c, pickers));

  let direction: Direction;
  if (kindOf(first) === 'external') direction = 'inbound';
  else if (callees.some((c) => kindOf(c) === 'external')) direction = 'outbound';
  else if (
    callees.some((c) => kindOf(c) === 'operator') ||
    isOperator(serverId, first.startExten) ||
    // An operator's call into a conference room is no outbound call (docs/reconciliation.md#conferences).
    conferenceEntry(first) !== null ||
    // Listening in on another operator's call (ChanSpy) is no outbound call (docs/reconciliation.md#listening-in).
    listenInEntry(first) !== null
  )
    direction = 'internal';
  else direction = 'outbound';

  const anchor = direction === 'outbound' ? (callees.find((c) => kindOf(c) === 'external') ?? first) : first;

  return {
    kindOf,
    ordered,
    first,
    direction,
    anchor,
    isCallee: (c) => c !== first && isCalleeLeg(c, pickers),
  };
}
