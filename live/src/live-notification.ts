/**
 * The `call_live` notification: how ingest (the ARI source and the collector's CEL-side ringing)
 * tells the API's live stream that something happened on a call right now. Postgres NOTIFY is the
 * transport (ingest never imports api): it reaches an API in another process (`callcenter serve`)
 * as well as the one the main job serves, and the ringing notification is sent in the same
 * transaction that upserts the provisional card, so the card exists when the API reads it.
 *
 * Payload: one small JSON object (NOTIFY payloads are limited to 8000 bytes). The API turns it into
 * the SSE events of README.md "Live calls" (`call.ringing` with the caller's history; `call.answered`,
 * `call.held`, `call.unheld`, `call.transferred`, `call.hangup`).
 */

export const CALL_LIVE_CHANNEL = 'call_live';

/**
 * The kinds of live call events, as NOTIFY `call_live` carries them and the SSE stream sends them.
 */
export type LiveCallEventType =
  | 'call.ringing'
  | 'call.answered'
  | 'call.held'
  | 'call.unheld'
  | 'call.transferred'
  | 'call.hangup';

/** Every {@link LiveCallEventType}, for validation. */
export const LIVE_CALL_EVENT_TYPES: readonly LiveCallEventType[] = [
  'call.ringing',
  'call.answered',
  'call.held',
  'call.unheld',
  'call.transferred',
  'call.hangup',
];

/** The direction of a live call as far as it is known while ringing. */
export type LiveDirection = 'inbound' | 'outbound' | 'internal';

/** What every live notification names: the card, and the operator channel it is about. */
export interface LiveCallRef {
  /** app.calls id of the card (provisional or reconciled). */
  id: number;
  serverId: string;
  linkedid: string;
  /** Uniqueid (= ARI channel id) of the operator's channel. */
  channelId: string;
  /** The operator's endpoint (`101` of `PJSIP/101-0000002a`). */
  endpoint: string;
}

/** `call.ringing`: an operator's phone started ringing for a call. */
export interface RingingNotification {
  type: 'call.ringing';
  call: LiveCallRef & {
    direction: LiveDirection;
    callerNumber: string | null;
    did: string | null;
    queue: string | null;
    /** ISO 8601 UTC: when the call started (the caller's channel was created). */
    startedAt: string;
    /** True while the card is provisional (the CEL-derived call has not been written yet). */
    provisional: boolean;
  };
  /** Which source saw it first: `ari` or `cel`. */
  source: 'ari' | 'cel';
  /** Epoch ms when the source received the event (for latency measurement). */
  receivedAt: number;
}

/** The other live events: the call reference plus details, and the queue for supervisors' scope. */
export interface CallStateNotification {
  type: Exclude<LiveCallEventType, 'call.ringing'>;
  call: LiveCallRef;
  queue: string | null;
  /** Event-specific details (`transfer`, `cause`, …), passed to clients as they are. */
  details: Record<string, unknown>;
  /** `ari`, or `cel` where no ARI runs (the collector's CEL side, live/cel-ringing.ts). */
  source: 'ari' | 'cel';
  receivedAt: number;
}

/**
 * One `call_live` notification: a ring (with the screen-pop facts) or a later state of the call.
 */
export type LiveNotification = RingingNotification | CallStateNotification;

const MAX_PAYLOAD = 7900;

/** JSON text of a notification; details are dropped when the payload would exceed NOTIFY's limit. */
export function encodeLiveNotification(notification: LiveNotification): string {
  const text = JSON.stringify(notification);
  if (text.length <= MAX_PAYLOAD || notification.type === 'call.ringing') return text;
  return JSON.stringify({ ...notification, details: { truncated: true } });
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Parses a `call_live` payload; null for anything that is not a well-formed notification. */
export function decodeLiveNotification(payload: string): LiveNotification | null {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  if (!isObject(value) || !isObject(value.call)) return null;
  const type = value.type;
  if (typeof type !== 'string' || !LIVE_CALL_EVENT_TYPES.includes(type as LiveCallEventType)) return null;
  const call = value.call;
  if (
    typeof call.id !== 'number' ||
    typeof call.serverId !== 'string' ||
    typeof call.linkedid !== 'string' ||
    typeof call.channelId !== 'string' ||
    typeof call.endpoint !== 'string'
  )
    return null;
  return value as unknown as LiveNotification;
}
