import type { ChannelTimeline } from './channel-timeline-types.ts';
import { OFFERING_APPS } from './dialplan-apps.ts';

/**
 * Service calls (docs/reconciliation.md#service-calls): a phone that reached one of Asterisk's own
 * services rather than a person, such as an operator checking a mailbox (`VoiceMailMain`, app_voicemail)
 * or testing the headset (`Echo`, app_echo). Recognised by the application in the channel's
 * CEL APP_START rows, never by the extension dialled (`*97`, `*43` are this product's numbers;
 * other sites use others).
 */

/**
 * Applications that serve the caller themselves: reaching one is the call's purpose. ChanSpy and
 * ExtenSpy: a supervisor listening in on an operator's call (`POST /control/listen`,
 * docs/reconciliation.md#listening-in), which joins no bridge and shares no linkedid with it.
 */
export const SERVICE_APPS: ReadonlySet<string> = new Set(['VoiceMailMain', 'Echo', 'ChanSpy', 'ExtenSpy']);

/**
 * The first service application the channel ran before any offering application (Queue, Dial,
 * RetryDial, FollowMe), or null. After an offer a mailbox is where a missed call went, not why
 * the call was made.
 */
export function serviceEntry(channel: ChannelTimeline): { at: number; rowId: number; app: string } | null {
  for (const app of channel.apps) {
    if (OFFERING_APPS.has(app.name)) return null;
    if (SERVICE_APPS.has(app.name)) return { at: app.start, rowId: app.startRowId, app: app.name };
  }
  return null;
}
