import type { ChannelTimeline } from './channel-timeline-types.ts';

/**
 * Listening in on an operator's call: Asterisk's `ChanSpy` and `ExtenSpy` applications
 * (https://docs.asterisk.org/Asterisk_22_Documentation/API_Documentation/Dialplan_Applications/ChanSpy/).
 * The spying channel joins no bridge and shares no linkedid with the call it listens to, so its
 * rows make a call group of their own — the product's `POST /control/listen` rings the
 * supervisor's phone into `[supervisor-listen]`, where ChanSpy runs (asterisk/etc/extensions.conf).
 * Such a call is `internal` and `answered` when the spying began, with no talk and no attempt on
 * the operator listened to, never `outbound`/`failed` (docs/reconciliation.md#listening-in).
 * Captured on Asterisk 22: fixtures/asterisk/scenarios-22/30-listen-in-chanspy.
 */
export const LISTEN_IN_APPS: ReadonlySet<string> = new Set(['ChanSpy', 'ExtenSpy']);

/** When `channel` began listening in (its first ChanSpy/ExtenSpy run; UTC epoch ms), or null. */
export function listenInEntry(channel: ChannelTimeline): number | null {
  const run = channel.apps.find((app) => LISTEN_IN_APPS.has(app.name));
  return run ? run.start : null;
}
