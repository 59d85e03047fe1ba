import { extraNumber, extraString, parseCelExtra } from './cel-extra.ts';
import { type ChannelName, parseChannelName } from './channel-name.ts';
import type { CelEventType, CelRow } from './types.ts';

/**
 * Per-channel timelines built from a call group's CEL rows, by a table from CEL event type to
 * handler (the wazo-call-logd interpreter shape). Rows are interpreted in `cel.id` order: several
 * rows share one timestamp, and `eventtime` is not monotonic in id (fixtures README).
 */

/** One run of a dialplan application on a channel (APP_START → APP_END). */
export interface AppRun {
  name: string;
  data: string;
  exten: string;
  context: string;
  start: number;
  startRowId: number;
  end: number | null;
  endRowId: number | null;
}

/** A channel's stay in one bridge (BRIDGE_ENTER → BRIDGE_EXIT). */
export interface BridgeStint {
  bridgeId: string;
  technology: string;
  enter: number;
  exit: number | null;
}

export interface Stint {
  start: number;
  end: number | null;
}

export interface HangupInfo {
  at: number;
  rowId: number;
  /** Q.850 cause (16 normal, 17 busy, 21 rejected, 26 answered elsewhere, 0 unspecified). */
  cause: number | null;
  /** Name of the channel that hung up, `dialplan/builtin`, or '' when Asterisk cancelled the leg. */
  source: string;
  dialStatus: string;
}

export interface ChannelTimeline {
  uniqueId: string;
  name: string;
  parsed: ChannelName;
  /** linkedids this channel carried, in order (it can change during an attended transfer). */
  linkedIds: string[];
  firstRowId: number;
  start: number | null;
  answer: number | null;
  end: number | null;
  hangup: HangupInfo | null;
  cidNum: string;
  cidName: string;
  /** `exten`/`context` of CHAN_START: the dialled number (DID for a trunk caller). */
  startExten: string;
  startContext: string;
  /** First non-empty `cid_dnid` seen on the channel. */
  dnid: string;
  apps: AppRun[];
  bridges: BridgeStint[];
  /** Music on hold played to this channel (STREAM_BEGIN/END of class MOH_STREAM_*). */
  moh: Stint[];
  /** HOLD/UNHOLD CEL events (older releases; absent in 20.x). */
  holds: Stint[];
  /** MixMonitor targets started on this channel (appdata path, options stripped). */
  recordings: string[];
}

export interface TransferEvent {
  kind: 'blind' | 'attended';
  rowId: number;
  at: number;
  chanName: string;
  uniqueId: string;
  extra: Record<string, unknown>;
}

export interface GroupTimeline {
  channels: Map<string, ChannelTimeline>;
  transfers: TransferEvent[];
  endedLinkedIds: Set<string>;
  firstEventTime: number;
  lastEventTime: number;
  skippedEventTypes: Record<string, number>;
}

type Handler = (row: CelRow, channel: ChannelTimeline, group: GroupTimeline) => void;

const closeLast = (stints: Stint[], at: number): void => {
  const open = stints.findLast((s) => s.end === null);
  if (open) open.end = at;
};

const isMoh = (row: CelRow): boolean => row.userDefType.startsWith('MOH_');

/** CEL event type → handler. Events not listed are counted in `skippedEventTypes` and ignored. */
const HANDLERS: { readonly [K in CelEventType]?: Handler } = {
  CHAN_START(row, channel) {
    channel.start = row.eventTime;
    channel.startExten = row.exten;
    channel.startContext = row.context;
    if (row.cidNum) channel.cidNum = row.cidNum;
    if (row.cidName) channel.cidName = row.cidName;
  },
  ANSWER(row, channel) {
    channel.answer ??= row.eventTime;
  },
  HANGUP(row, channel) {
    const extra = parseCelExtra(row);
    channel.hangup = {
      at: row.eventTime,
      rowId: row.id,
      cause: extraNumber(extra, 'hangupcause'),
      source: extraString(extra, 'hangupsource'),
      dialStatus: extraString(extra, 'dialstatus'),
    };
  },
  CHAN_END(row, channel) {
    channel.end = row.eventTime;
  },
  APP_START(row, channel) {
    channel.apps.push({
      name: row.appName,
      data: row.appData,
      exten: row.exten,
      context: row.context,
      start: row.eventTime,
      startRowId: row.id,
      end: null,
      endRowId: null,
    });
    if (row.appName === 'MixMonitor' && row.appData) {
      const path = row.appData.split(',')[0]!.trim();
      if (path) channel.recordings.push(path);
    }
  },
  APP_END(row, channel) {
    const run = channel.apps.findLast((a) => a.end === null && a.name === row.appName);
    if (run) {
      run.end = row.eventTime;
      run.endRowId = row.id;
    }
  },
  BRIDGE_ENTER(row, channel) {
    const extra = parseCelExtra(row);
    channel.bridges.push({
      bridgeId: extraString(extra, 'bridge_id'),
      technology: extraString(extra, 'bridge_technology'),
      enter: row.eventTime,
      exit: null,
    });
  },
  BRIDGE_EXIT(row, channel) {
    const bridgeId = extraString(parseCelExtra(row), 'bridge_id');
    const stint = channel.bridges.findLast((b) => b.exit === null && (!bridgeId || b.bridgeId === bridgeId));
    if (stint) stint.exit = row.eventTime;
  },
  // Asterisk 11 and older: one BRIDGE_START on the channel that bridged, naming its `peer`; both
  // channels are in one two-party bridge until BRIDGE_END (no bridge ids then).
  BRIDGE_START(row, channel, group) {
    const bridgeId = `legacy:${row.uniqueId}:${row.id}`;
    channel.bridges.push({ bridgeId, technology: 'legacy', enter: row.eventTime, exit: null });
    const peer = [...group.channels.values()].find((c) => c.name === row.peer);
    peer?.bridges.push({ bridgeId, technology: 'legacy', enter: row.eventTime, exit: null });
  },
  BRIDGE_END(row, channel, group) {
    const open = channel.bridges.findLast((b) => b.exit === null && b.technology === 'legacy');
    if (!open) return;
    open.exit = row.eventTime;
    for (const other of group.channels.values()) {
      for (const b of other.bridges)
        if (b.bridgeId === open.bridgeId && b.exit === null) b.exit = row.eventTime;
    }
  },
  STREAM_BEGIN(row, channel) {
    if (isMoh(row)) channel.moh.push({ start: row.eventTime, end: null });
  },
  STREAM_END(row, channel) {
    if (isMoh(row)) closeLast(channel.moh, row.eventTime);
  },
  HOLD(row, channel) {
    channel.holds.push({ start: row.eventTime, end: null });
  },
  UNHOLD(row, channel) {
    closeLast(channel.holds, row.eventTime);
  },
  BLINDTRANSFER(row, _channel, group) {
    group.transfers.push(transferEvent('blind', row));
  },
  ATTENDEDTRANSFER(row, _channel, group) {
    group.transfers.push(transferEvent('attended', row));
  },
  LINKEDID_END(row, _channel, group) {
    group.endedLinkedIds.add(row.linkedId);
  },
  // Seen in real data and carrying nothing a call card needs: the bridges already show their effect.
  DTMF() {},
  LOCAL_OPTIMIZE() {},
  LOCAL_OPTIMIZE_BEGIN() {},
  PICKUP() {},
  FORWARD() {},
  PARK_START() {},
  PARK_END() {},
};

function transferEvent(kind: 'blind' | 'attended', row: CelRow): TransferEvent {
  return {
    kind,
    rowId: row.id,
    at: row.eventTime,
    chanName: row.chanName,
    uniqueId: row.uniqueId,
    extra: parseCelExtra(row),
  };
}

function newChannel(row: CelRow): ChannelTimeline {
  return {
    uniqueId: row.uniqueId,
    name: row.chanName,
    parsed: parseChannelName(row.chanName),
    linkedIds: [row.linkedId],
    firstRowId: row.id,
    start: null,
    answer: null,
    end: null,
    hangup: null,
    cidNum: row.cidNum,
    cidName: row.cidName,
    startExten: row.exten,
    startContext: row.context,
    dnid: row.cidDnid,
    apps: [],
    bridges: [],
    moh: [],
    holds: [],
    recordings: [],
  };
}

/** Builds the timelines of one call group. `rows` must be sorted by `id`. */
export function buildGroupTimeline(rows: readonly CelRow[]): GroupTimeline {
  const group: GroupTimeline = {
    channels: new Map(),
    transfers: [],
    endedLinkedIds: new Set(),
    firstEventTime: Number.POSITIVE_INFINITY,
    lastEventTime: Number.NEGATIVE_INFINITY,
    skippedEventTypes: {},
  };
  for (const row of rows) {
    group.firstEventTime = Math.min(group.firstEventTime, row.eventTime);
    group.lastEventTime = Math.max(group.lastEventTime, row.eventTime);
    let channel = group.channels.get(row.uniqueId);
    if (!channel) {
      channel = newChannel(row);
      group.channels.set(row.uniqueId, channel);
    }
    if (channel.linkedIds[channel.linkedIds.length - 1] !== row.linkedId)
      channel.linkedIds.push(row.linkedId);
    if (!channel.dnid && row.cidDnid) channel.dnid = row.cidDnid;
    if (!channel.cidNum && row.cidNum) channel.cidNum = row.cidNum;
    const handler = HANDLERS[row.eventType as CelEventType];
    if (handler) handler(row, channel, group);
    else group.skippedEventTypes[row.eventType] = (group.skippedEventTypes[row.eventType] ?? 0) + 1;
  }
  return group;
}
