/**
 * Types of the reconciler: what goes in (CEL and CDR rows as Asterisk's cel_pgsql / cdr_pgsql
 * write them, plus the server they came from) and what comes out (one {@link Call} per real call).
 *
 * Times inside the reconciler are UTC epoch milliseconds as numbers (with the microseconds of
 * Asterisk's `eventtime` kept as the fractional part); the output {@link Call} carries ISO 8601
 * UTC strings and durations in seconds rounded to milliseconds.
 */

/**
 * CEL event names Asterisk writes into `cel.eventtype`: the `events` of cel.conf (docs.asterisk.org,
 * "Module Configuration: cel", Asterisk 12–22: CHAN_START … LOCAL_OPTIMIZE_BEGIN, and STREAM_BEGIN,
 * STREAM_END, DTMF since 22), the names of Asterisk 1.8–11 before the bridging rework ("CEL
 * Specification": BRIDGE_START/END/UPDATE were removed in 12; 3WAY_*, CONF_*, TRANSFER,
 * HOOKFLASH), and HOLD/UNHOLD, which the reconciler reads when a server writes them.
 */
export const CEL_EVENT_TYPES = [
  'CHAN_START',
  'CHAN_END',
  'HANGUP',
  'ANSWER',
  'APP_START',
  'APP_END',
  'PARK_START',
  'PARK_END',
  'USER_DEFINED',
  'BRIDGE_ENTER',
  'BRIDGE_EXIT',
  'BLINDTRANSFER',
  'ATTENDEDTRANSFER',
  'PICKUP',
  'FORWARD',
  'LINKEDID_END',
  'LOCAL_OPTIMIZE',
  'LOCAL_OPTIMIZE_BEGIN',
  'STREAM_BEGIN',
  'STREAM_END',
  'DTMF',
  'HOLD',
  'UNHOLD',
  'BRIDGE_START',
  'BRIDGE_END',
  'BRIDGE_UPDATE',
  '3WAY_START',
  '3WAY_END',
  'CONF_ENTER',
  'CONF_EXIT',
  'CONF_START',
  'CONF_END',
  'TRANSFER',
  'HOOKFLASH',
] as const;

/** A CEL event name Asterisk documents ({@link CEL_EVENT_TYPES}). */
export type CelEventType = (typeof CEL_EVENT_TYPES)[number];

/**
 * A name not in {@link CEL_EVENT_TYPES} (a later Asterisk's event, a typo in a hand-made row):
 * read as it is and, like every event without a handler, counted in `skippedEventTypes` and
 * otherwise ignored (reconcile/channel-timeline.ts). Made only by {@link celEventType}.
 */
export type UnknownCelEventType = string & { readonly unknownCelEventType: true };

const KNOWN_CEL_EVENT_TYPES: ReadonlySet<string> = new Set(CEL_EVENT_TYPES);

/** `cel.eventtype` as read: a documented name, or the unknown name as it is. */
export function celEventType(name: string): CelEventType | UnknownCelEventType {
  return KNOWN_CEL_EVENT_TYPES.has(name) ? (name as CelEventType) : (name as UnknownCelEventType);
}

/** One row of Asterisk's `cel` table (column set of docs.asterisk.org "PostgreSQL CEL Backend"). */
export interface CelRow {
  /** The Asterisk server the row came from; keys are `(server_id, linkedid)`. */
  serverId: string;
  /** `cel.id`: insertion order on that server. Rows that share a timestamp are ordered by it. */
  id: number;
  /** `eventtype`: a documented CEL event, or an unknown name kept as it is (skipped). */
  eventType: CelEventType | UnknownCelEventType;
  /** `eventtime` as UTC epoch milliseconds (fractional part = microseconds). */
  eventTime: number;
  userDefType: string;
  cidName: string;
  cidNum: string;
  cidAni: string;
  cidRdnis: string;
  cidDnid: string;
  exten: string;
  context: string;
  chanName: string;
  appName: string;
  appData: string;
  amaFlags: number;
  accountCode: string;
  peerAccount: string;
  uniqueId: string;
  linkedId: string;
  userField: string;
  peer: string;
  /** Raw `extra` column: JSON text or empty. */
  extra: string;
}

/** One row of Asterisk's `cdr` table (contrib/realtime/postgresql/postgresql_cdr.sql). */
export interface CdrRow {
  serverId: string;
  id: number;
  accountCode: string;
  src: string;
  dst: string;
  dcontext: string;
  clid: string;
  channel: string;
  dstChannel: string;
  lastApp: string;
  lastData: string;
  /** UTC epoch ms; CDR times have one-second resolution. */
  start: number | null;
  answer: number | null;
  end: number | null;
  duration: number | null;
  billsec: number | null;
  disposition: string;
  amaFlags: string;
  userField: string;
  uniqueId: string;
  linkedId: string;
  peerAccount: string;
  sequence: number | null;
}

/**
 * Who called whom: from outside in (`inbound`), from an operator out (`outbound`), or between two
 * operators (`internal`) (docs/reconciliation.md).
 */
export type Direction = 'inbound' | 'outbound' | 'internal';

/**
 * Call status. Inbound: answered | abandoned (the caller left while still being offered: IVR,
 * queue, members ringing) | missed (the system stopped offering: queue timeout, empty queue, all
 * members rang out, voicemail). Outbound/internal: answered | no_answer | busy | failed.
 * (`ringing` exists only for provisional live cards, never in reconciled output.)
 */
export type CallStatus = 'answered' | 'abandoned' | 'missed' | 'no_answer' | 'busy' | 'failed';

/** Outcome of one ring of an operator's endpoint. no_answer + busy + declined are "missed by operators". */
export type AttemptOutcome = 'answered' | 'no_answer' | 'busy' | 'declined' | 'canceled';

/** One ring of an operator's endpoint as a callee (queue member leg, Dial leg, transfer target). */
export interface Attempt {
  /** The operator's endpoint (the `101` of `PJSIP/101-0000002a`). */
  operator: string;
  /** The queue that rang it, or null for Dial legs and transfer targets. */
  queue: string | null;
  /** ISO 8601 UTC: CHAN_START of the leg. */
  rang_at: string;
  /** Seconds from CHAN_START to ANSWER, or to the leg's HANGUP when not answered. */
  ring_sec: number;
  outcome: AttemptOutcome;
  /** The leg's `uniqueid`. */
  uniqueid: string;
  /** Q.850 hangup cause of the leg (from the HANGUP `extra`), or null. */
  hangup_cause: number | null;
}

/**
 * One transfer within a call (docs/reconciliation.md#transfers): blind or attended, by which
 * operator, to which target, when (UTC ISO).
 */
export interface Transfer {
  kind: 'blind' | 'attended';
  /** Endpoint of the operator who transferred. */
  from_operator: string | null;
  /** Target: an operator endpoint, or the dialled extension/number. */
  to: string | null;
  /** ISO 8601 UTC. */
  at: string;
}

/** One stretch of conversation between the customer side of the call and one party. */
export interface Segment {
  /** The operator's endpoint, or null when the party is external (e.g. a forward to a mobile). */
  operator: string | null;
  /** The party's endpoint (operator) or number (external). */
  party: string;
  started_at: string;
  ended_at: string;
  /** Seconds connected minus hold. */
  talk_sec: number;
  hold_sec: number;
}

/** One stretch on hold while connected (the held party heard music on hold, or HOLD/UNHOLD). */
export interface Hold {
  /** Operator of the segment the hold fell in (who put the customer on hold), or null. */
  operator: string | null;
  started_at: string;
  ended_at: string;
}

/**
 * The stage a call had reached when it ended (docs/reconciliation.md#ended-at-stage): `ivr` (the
 * caller left in the dialplan before any offer), `refused` (the dialplan ended it before any offer:
 * Busy, Congestion, Hangup), `queue`, `ringing`, `voicemail`, `talk` (connected), `service` (a
 * service application such as VoiceMailMain).
 */
export const ENDED_AT_STAGES = [
  'ivr',
  'refused',
  'queue',
  'ringing',
  'voicemail',
  'talk',
  'service',
] as const;
export type EndedAtStage = (typeof ENDED_AT_STAGES)[number];

/** How a call was closed: all its linkedids ended, or it went silent past the idle timeout. */
export type ClosedBy = 'linkedid_end' | 'idle_timeout' | 'end_of_input';

/** One real call as the reconciler derives it (docs/reconciliation.md; `callcenter reconcile` prints it). */
export interface Call {
  server_id: string;
  /** linkedid of the call's first channel. */
  linkedid: string;
  /** uniqueid of the call's first channel. */
  uniqueid: string;
  /** Every linkedid merged into this call (transfers join linkedids). */
  linkedids: string[];
  direction: Direction;
  status: CallStatus;
  started_at: string;
  answered_at: string | null;
  ended_at: string;
  duration_sec: number;
  wait_sec: number;
  queue_wait_sec: number | null;
  talk_sec: number;
  hold_sec: number;
  src_number: string | null;
  dst_number: string | null;
  did: string | null;
  /** The first queue entered, or null. */
  queue: string | null;
  /** Every queue entered, in order. */
  queues: string[];
  /** Inbound: the last operator who talked to the caller; outbound/internal: the one who placed it. */
  operator: string | null;
  /** Who ended the call: the customer (external party), an operator, or Asterisk itself. */
  hung_up_by: 'customer' | 'operator' | 'system' | null;
  /** The stage the call had reached when it ended; null for a call rebuilt from CDR alone and never answered. */
  ended_at_stage: EndedAtStage | null;
  /**
   * The caller's IVR menu choice(s) (docs/reconciliation.md#ivr-choice): the extension its first
   * channel moved to from each WaitExten/BackGround menu, joined by `>` (`3`, `2>1`; `t` timeout,
   * `i` invalid); null with no menu or no choice made (hung up in the menu), and from CDR alone.
   */
  ivr_choice: string | null;
  attempts: Attempt[];
  transfers: Transfer[];
  segments: Segment[];
  holds: Hold[];
  /** MixMonitor file of the call's first recording (path as Asterisk wrote it), or null. */
  recording_path: string | null;
  recordings: string[];
  closed_by: ClosedBy;
  /** Data-quality notes, e.g. `cdr_only`, `cdr_disposition_mismatch`. */
  flags: string[];
  reconciler_version: string;
}

/**
 * One decision behind a derived call (`GET /calls/:id/explain`): the field (`status`,
 * `direction`, `operator`, `attempts[0]`, `transfers[1]`, …), the value it got, the rule that gave
 * it (an anchor of docs/reconciliation.md, e.g. `docs/reconciliation.md#status`) and the `cel.id`s
 * of the rows that rule read (empty for a call rebuilt from CDR alone).
 */
export interface Decision {
  field: string;
  value: unknown;
  rule: string;
  evidence: number[];
}

/** A call with the decisions that derived it (`ReconcileOptions.explain`). */
export interface CallExplanation {
  call: Call;
  decisions: Decision[];
}

/** Which endpoints are operators' phones, per Asterisk server. */
export type OperatorDirectory = (serverId: string, endpoint: string) => boolean;

/**
 * How `reconcile` decides: the operator directory, the servers' "now" and the idle timeout for
 * finalisation, or close everything at the end of the input.
 */
export interface ReconcileOptions {
  isOperator: OperatorDirectory;
  /**
   * "Now" on the servers' clock (UTC epoch ms) for idle finalisation; a group whose last row is
   * older than `idleTimeoutSec` is closed with `closed_by: 'idle_timeout'`. Omit to keep such
   * groups open.
   */
  now?: number;
  /** Silence after which an unfinished call is closed (seconds). Default 4 hours. */
  idleTimeoutSec?: number;
  /** Close every group at the end of the input (CLI over an export): `closed_by: 'end_of_input'`. */
  closeAll?: boolean;
  /** Also return each call's decisions in `explanations` (what `GET /calls/:id/explain` shows). */
  explain?: boolean;
}

/**
 * What `reconcile` returns: the final calls, the rows still pending (to pass again with later
 * rows), the groups it failed on (for the quarantine) and event types it did not interpret.
 */
export interface ReconcileResult {
  /** Final calls, ordered by started_at. */
  calls: Call[];
  /** CEL rows of groups that are not final yet (keep them and call again when more rows arrive). */
  pending: CelRow[];
  /** CDR rows of calls that are not final yet (their CEL is pending, or not seen yet). */
  pendingCdr: CdrRow[];
  /** Event types seen but not interpreted (site-specific user events and the like), with counts. */
  skippedEventTypes: Record<string, number>;
  /** Groups that failed to reconcile: their rows and the reason (never stops the batch). */
  failures: { linkedids: string[]; reason: string; rows: CelRow[] }[];
  /** With `options.explain`: every call of `calls` with its decisions (same order). */
  explanations?: CallExplanation[];
}
