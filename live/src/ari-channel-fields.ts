import type { AriCallerId, AriChannel } from '@callcenter/asterisk/ari';

/** Small readings of ARI channel fields shared by the live-call tracker and its call facts. */

/** The caller of a channel that has none yet. */
export const NO_CALLER: AriCallerId = { name: '', number: '' };

/** `null` for an absent, empty or blank ARI string (ARI sends `""` for unknown values). */
export const blankToNull = (v: string | undefined | null) => (v && v.trim() !== '' ? v : null);

/** The queue name of a channel sitting in Queue() (`support,t,,,20` → `support`). */
export function queueOf(channel: AriChannel | undefined): string | null {
  const dialplan = channel?.dialplan;
  if (dialplan?.app_name !== 'Queue') return null;
  return blankToNull((dialplan.app_data ?? '').split(',')[0]);
}
