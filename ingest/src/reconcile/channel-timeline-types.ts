import type { ChannelName } from './channel-name.ts';

/**
 * The shapes of a call group's per-channel timelines (built by channel-timeline.ts, read by
 * anonymous-bridges.ts and the call builder): their own module so the two builders need not
 * import each other.
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
  /** `cel.id` of the BRIDGE_ENTER (BRIDGE_START) row: evidence of the call's explanation. */
  enterRowId: number;
}

/** A span of time (UTC epoch ms); `end` null while still open. */
export interface Stint {
  start: number;
  end: number | null;
}

/**
 * How and when a channel hung up (its HANGUP row): time (UTC epoch ms), row id, Q.850 cause, who
 * hung up and the Dial status.
 */
export interface HangupInfo {
  at: number;
  rowId: number;
  /** Q.850 cause (16 normal, 17 busy, 21 rejected, 26 answered elsewhere, 0 unspecified). */
  cause: number | null;
  /** Name of the channel that hung up, `dialplan/builtin`, or '' when Asterisk cancelled the leg. */
  source: string;
  dialStatus: string;
}

/**
 * Everything the CEL rows say about one channel (one uniqueid) of a call group: its name,
 * linkedids, applications, bridges, answer, hold and hangup, times in UTC epoch ms.
 */
export interface ChannelTimeline {
  uniqueId: string;
  name: string;
  parsed: ChannelName;
  /** linkedids this channel carried, in order (it can change during an attended transfer). */
  linkedIds: string[];
  firstRowId: number;
  start: number | null;
  answer: number | null;
  /** `cel.id` of the channel's first ANSWER row, or null. */
  answerRowId: number | null;
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
  /**
   * This ringing channel was picked up by another phone (its PICKUP row: `extra.pickup_channel`
   * names the picker's channel, `pickup_channel_uniqueid` its uniqueid since Asterisk 12), or null.
   */
  pickedUpBy: { at: number; rowId: number; channel: string; uniqueId: string } | null;
  /** Stays in a parking lot (PARK_START → PARK_END on the parked channel), with who parked it. */
  parks: ParkStint[];
}

/**
 * One stay of a channel in a parking lot (res_parking): PARK_START → PARK_END (UTC epoch ms; end
 * null while still parked), the parker's dial string (`PJSIP/101`) and the PARK_START row id.
 */
export interface ParkStint {
  start: number;
  end: number | null;
  parker: string;
  rowId: number;
}

/**
 * A BLINDTRANSFER or ATTENDEDTRANSFER row of a call group: kind, row id, time (UTC epoch ms), the
 * transferring channel and the target.
 */
export interface TransferEvent {
  kind: 'blind' | 'attended';
  rowId: number;
  at: number;
  chanName: string;
  uniqueId: string;
  extra: Record<string, unknown>;
}

/**
 * The timelines of all channels of one call group (rows sharing linkedids), its transfers, which
 * linkedids ended (LINKEDID_END), its first and last event times (UTC epoch ms) and the event types it did not interpret.
 */
export interface GroupTimeline {
  channels: Map<string, ChannelTimeline>;
  transfers: TransferEvent[];
  /**
   * FORWARD rows: a Dial or Queue following a call forward of the channel it rang (SIP 302);
   * time (UTC epoch ms), row id, and the channel that was dialling.
   */
  forwards: { at: number; rowId: number; uniqueId: string }[];
  endedLinkedIds: Set<string>;
  /** `cel.id`s of the LINKEDID_END rows (evidence of how the call was closed). */
  linkedIdEndRowIds: number[];
  /**
   * uniqueids of the channels the LINKEDID_END rows were written on. Asterisk also retires a
   * linkedid when its last channel moves to another one (a picker or a parked call's retriever
   * bridged into an older call): that channel lives on, so the call is not over yet.
   */
  linkedIdEndChannels: string[];
  firstEventTime: number;
  lastEventTime: number;
  /** `cel.id` of the row at `lastEventTime` (evidence of an idle-timeout close). */
  lastEventRowId: number;
  skippedEventTypes: Record<string, number>;
}
