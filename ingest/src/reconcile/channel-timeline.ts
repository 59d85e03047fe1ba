import { assignAnonymousBridges } from './anonymous-bridges.ts';
import { extraNumber, extraString, parseCelExtra } from './cel-extra.ts';
import { parseChannelName } from './channel-name.ts';
import type {
  AppRun,
  BridgeStint,
  ChannelTimeline,
  GroupTimeline,
  HangupInfo,
  ParkStint,
  Stint,
  TransferEvent,
} from './channel-timeline-types.ts';
import type { CelEventType, CelRow } from './types.ts';

export type {
  AppRun,
  BridgeStint,
  ChannelTimeline,
  GroupTimeline,
  HangupInfo,
  ParkStint,
  Stint,
  TransferEvent,
};

/**
 * Per-channel timelines built from a call group's CEL rows, by a table from CEL event type to
 * handler (the wazo-call-logd interpreter shape). Rows are interpreted in `cel.id` order: several
 * rows share one timestamp, and `eventtime` is not monotonic in id (fixtures README).
 */

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
    if (channel.answer === null) {
      channel.answer = row.eventTime;
      channel.answerRowId = row.id;
    }
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
      enterRowId: row.id,
    });
  },
  BRIDGE_EXIT(row, channel) {
    const extra = parseCelExtra(row);
    const bridgeId = extraString(extra, 'bridge_id');
    const technology = extraString(extra, 'bridge_technology');
    const open = (b: BridgeStint) => b.exit === null && (!bridgeId || b.bridgeId === bridgeId);
    // Without a bridge id, the stay of the same bridge technology: a channel leaving a parking
    // lot's holding bridge and entering the retriever's in one millisecond may have its rows in
    // either order (docs/reconciliation.md#bridges-without-ids).
    const stint =
      (!bridgeId && technology
        ? channel.bridges.findLast((b) => open(b) && b.technology === technology)
        : undefined) ?? channel.bridges.findLast(open);
    if (stint) stint.exit = row.eventTime;
  },
  // Asterisk 11 and older: one BRIDGE_START on the channel that bridged, naming its `peer`; both
  // channels are in one two-party bridge until BRIDGE_END (no bridge ids then).
  BRIDGE_START(row, channel, group) {
    const bridgeId = `legacy:${row.uniqueId}:${row.id}`;
    const stint = { bridgeId, technology: 'legacy', enter: row.eventTime, exit: null, enterRowId: row.id };
    channel.bridges.push(stint);
    const peer = [...group.channels.values()].find((c) => c.name === row.peer);
    peer?.bridges.push({ ...stint });
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
    group.linkedIdEndRowIds.push(row.id);
    group.linkedIdEndChannels.push(row.uniqueId);
  },
  // Seen in real data and carrying nothing a call card needs: the bridges already show their effect.
  DTMF() {},
  LOCAL_OPTIMIZE() {},
  LOCAL_OPTIMIZE_BEGIN() {},
  FORWARD(row, _channel, group) {
    group.forwards.push({ at: row.eventTime, rowId: row.id, uniqueId: row.uniqueId });
  },
  // The row's channel is the ringing one that was picked up (Asterisk's pickup.c; the picker's
  // channel then takes its place in the Dial). docs/reconciliation.md#attempts.
  PICKUP(row, channel) {
    const extra = parseCelExtra(row);
    channel.pickedUpBy = {
      at: row.eventTime,
      rowId: row.id,
      channel: extraString(extra, 'pickup_channel'),
      uniqueId: extraString(extra, 'pickup_channel_uniqueid'),
    };
  },
  // res_parking: PARK_START on the parked channel (`extra.parker_dial_string`), PARK_END when it
  // leaves the lot (taken back, timed out, hung up). docs/reconciliation.md#talk-hold-and-waits.
  PARK_START(row, channel) {
    const parker = extraString(parseCelExtra(row), 'parker_dial_string');
    channel.parks.push({ start: row.eventTime, end: null, parker, rowId: row.id });
  },
  PARK_END(row, channel) {
    const open = channel.parks.findLast((p) => p.end === null);
    if (open) open.end = row.eventTime;
  },
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
    answerRowId: null,
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
    pickedUpBy: null,
    parks: [],
  };
}

/**
 * Builds the timelines of one call group. `rows` must be sorted by `id`; they are read in
 * `eventtime` order (microseconds), `id` order among rows of the very same time: Asterisk 22
 * numbers the rows of one millisecond in another order than 20 (a Queue's APP_END may get a
 * lower id than its APP_START), while the times it writes keep each channel's order
 * (docs/reconciliation.md#input-rows).
 */
export function buildGroupTimeline(idOrdered: readonly CelRow[]): GroupTimeline {
  const rows = [...idOrdered].sort((a, b) => a.eventTime - b.eventTime || a.id - b.id);
  const group: GroupTimeline = {
    channels: new Map(),
    transfers: [],
    forwards: [],
    endedLinkedIds: new Set(),
    linkedIdEndRowIds: [],
    linkedIdEndChannels: [],
    firstEventTime: Number.POSITIVE_INFINITY,
    lastEventTime: Number.NEGATIVE_INFINITY,
    lastEventRowId: 0,
    skippedEventTypes: {},
  };
  for (const row of rows) {
    group.firstEventTime = Math.min(group.firstEventTime, row.eventTime);
    if (row.eventTime >= group.lastEventTime) {
      group.lastEventTime = row.eventTime;
      group.lastEventRowId = row.id;
    }
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
  assignAnonymousBridges(group);
  return group;
}
