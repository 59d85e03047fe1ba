import type { CelEventType, CelRow } from './types.ts';

/**
 * Which CEL rows the reconciler reads at all. Many rows carry nothing a call needs: the APP_END of
 * every dialplan application but the dialling ones, prompt playback (FILE_STREAM_*) and DTMF.
 * APP_START rows are all kept: they show the dialplan going on after a queue gave up, a leg's
 * first application marks it as a Queue/Dial leg, and the one after an IVR menu shows the caller's
 * choice (ivr-choice.ts). The collector leaves the other rows in the
 * database (sources/asterisk-table-reader.ts builds its filter from these constants); the
 * reconciler gives the same calls with or without them (tested on every capture).
 */

/**
 * Applications whose end matters: a caller's stay in a queue, the span of a Dial, a stay in a
 * conference room (ConfBridge; MeetMe on older systems: which calls met there, group-calls.ts).
 */
export const APP_END_NEEDED = ['Queue', 'Dial', 'RetryDial', 'FollowMe', 'ConfBridge', 'MeetMe'] as const;

/** Event types never read. */
export const IGNORED_EVENT_TYPES = ['DTMF'] as const satisfies readonly CelEventType[];

/** STREAM_BEGIN/END rows are needed only for music on hold (userdeftype MOH_STREAM_*). */
export const MOH_USERDEFTYPE_PREFIX = 'MOH_';

/**
 * Whether the reconciler reads this CEL row: not DTMF, an APP_END only of
 * Queue/Dial/RetryDial/FollowMe/ConfBridge/MeetMe, a STREAM_BEGIN/END only for music on hold.
 */
export function isRelevantRow(row: CelRow): boolean {
  if ((IGNORED_EVENT_TYPES as readonly string[]).includes(row.eventType)) return false;
  if (row.eventType === 'APP_END') return (APP_END_NEEDED as readonly string[]).includes(row.appName);
  if (row.eventType === 'STREAM_BEGIN' || row.eventType === 'STREAM_END') {
    return row.userDefType.startsWith(MOH_USERDEFTYPE_PREFIX);
  }
  return true;
}
