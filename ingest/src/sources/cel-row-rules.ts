/**
 * What a CEL row must be for the reconciler to use it (docs/reconciliation.md, "Quarantine"). A row
 * that breaks a rule is quarantined with a reason that starts with the rule's name
 * (`<rule>: <detail>`), and its call is reconciled from its other rows exactly as if it were
 * absent. The rules, by name:
 *
 * - `required-fields`: eventtype, eventtime, uniqueid and linkedid are not empty; id is an integer.
 * - `known-event-type`: eventtype is one of Asterisk's CEL event types ({@link CEL_EVENT_TYPES}).
 * - `plausible-time`: eventtime is a timestamp within {@link PLAUSIBLE_FROM_MS}..{@link PLAUSIBLE_TO_MS}
 *   (2000-01-01 to 2100-01-01 UTC): `infinity`, BC dates and year 4713 would otherwise hold their
 *   call open — and the watermark behind it — for good.
 * - `channel-identity`: channame is not empty (every CEL event belongs to a channel).
 * - `parsable-extra`: extra is empty or a JSON object; a HANGUP may also carry Asterisk 11's
 *   `cause,source,dialstatus` text.
 * - `field-size`: uniqueid and linkedid ≤ 150 characters (Asterisk's AST_MAX_UNIQUEID), eventtype ≤
 *   32, channame ≤ 256, extra ≤ 16,384, every other field ≤ 4,096.
 */

/** CEL event types of Asterisk 1.8 to 22 (docs.asterisk.org "CEL Events"; older ones still readable). */
export const CEL_EVENT_TYPES: ReadonlySet<string> = new Set([
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
  'BRIDGE_START',
  'BRIDGE_END',
  'BRIDGE_UPDATE',
  'BLINDTRANSFER',
  'ATTENDEDTRANSFER',
  'TRANSFER',
  'PICKUP',
  'FORWARD',
  'LINKEDID_END',
  'LOCAL_OPTIMIZE',
  'LOCAL_OPTIMIZE_BEGIN',
  'STREAM_BEGIN',
  'STREAM_END',
  'DTMF',
  'CONF_ENTER',
  'CONF_EXIT',
  'CONF_START',
  'CONF_END',
  '3WAY_START',
  '3WAY_END',
  'HOOKFLASH',
]);

/** Earliest plausible eventtime, UTC epoch ms (2000-01-01). */
export const PLAUSIBLE_FROM_MS = Date.UTC(2000, 0, 1);
/** Latest plausible eventtime, UTC epoch ms (2100-01-01). */
export const PLAUSIBLE_TO_MS = Date.UTC(2100, 0, 1);

/** Longest uniqueid/linkedid (Asterisk's AST_MAX_UNIQUEID). */
const MAX_ID = 150;
const MAX_EVENT_TYPE = 32;
const MAX_CHANNEL = 256;
const MAX_EXTRA = 16_384;
const MAX_OTHER = 4_096;

/** The fields a rule looks at, already trimmed where the reader trims them. */
export interface CelRuleInput {
  eventType: string;
  eventTime: number;
  uniqueId: string;
  linkedId: string;
  chanName: string;
  extra: string;
  /** The other text fields read (lengths only). */
  others: readonly string[];
}

/**
 * The first rule `row` breaks, as `<rule>: <detail>`, or null when it keeps them all. Assumes
 * `required-fields` was checked (the time parsed, the ids are non-empty).
 */
export function brokenCelRule(row: CelRuleInput): string | null {
  if (
    row.eventType.length > MAX_EVENT_TYPE ||
    row.uniqueId.length > MAX_ID ||
    row.linkedId.length > MAX_ID ||
    row.chanName.length > MAX_CHANNEL ||
    row.extra.length > MAX_EXTRA
  )
    return `field-size: ${oversized(row)}`;
  for (const value of row.others)
    if (value.length > MAX_OTHER)
      return `field-size: a field of ${value.length} characters (at most ${MAX_OTHER})`;
  if (!CEL_EVENT_TYPES.has(row.eventType))
    return `known-event-type: "${row.eventType.slice(0, MAX_EVENT_TYPE)}" is not a CEL event type`;
  if (!(row.eventTime >= PLAUSIBLE_FROM_MS && row.eventTime < PLAUSIBLE_TO_MS))
    return `plausible-time: eventtime ${new Date(row.eventTime).toISOString()} is outside 2000-01-01..2100-01-01`;
  if (!row.chanName.trim()) return 'channel-identity: channame is empty';
  if (row.extra && !extraIsReadable(row.eventType, row.extra))
    return `parsable-extra: extra "${row.extra.slice(0, 60)}" is neither empty nor a JSON object`;
  return null;
}

function oversized(row: CelRuleInput): string {
  if (row.eventType.length > MAX_EVENT_TYPE)
    return `eventtype has ${row.eventType.length} characters (at most ${MAX_EVENT_TYPE})`;
  if (row.uniqueId.length > MAX_ID)
    return `uniqueid has ${row.uniqueId.length} characters (at most ${MAX_ID})`;
  if (row.linkedId.length > MAX_ID)
    return `linkedid has ${row.linkedId.length} characters (at most ${MAX_ID})`;
  if (row.chanName.length > MAX_CHANNEL)
    return `channame has ${row.chanName.length} characters (at most ${MAX_CHANNEL})`;
  return `extra has ${row.extra.length} characters (at most ${MAX_EXTRA})`;
}

/** Asterisk 11's HANGUP extra: `cause,source,dialstatus` with a numeric cause. */
const ASTERISK_11_HANGUP = /^\d{1,3},[^,{}]*,[^,{}]*$/;

function extraIsReadable(eventType: string, extra: string): boolean {
  if (extra.charCodeAt(0) !== 123 /* { */) return eventType === 'HANGUP' && ASTERISK_11_HANGUP.test(extra);
  try {
    const value: unknown = JSON.parse(extra);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}
