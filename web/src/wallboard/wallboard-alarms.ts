/**
 * The wallboard's alarm colours (README.md "Live wallboard"):
 *
 * - longest wait against the queue's service-level threshold T (`app.queues.service_level_sec`,
 *   docs/metrics.md "Service level"): a caller waiting longer than T is already outside the
 *   service level — `alarm` from T on, `warn` from half of T;
 * - today's service level against {@link SERVICE_LEVEL_TARGET} (the 80 % of the common "80/20"
 *   goal; queues have no target setting): `alarm` below it, `warn` within 10 points above it.
 */

export type Alarm = 'ok' | 'warn' | 'alarm';

/** Share of calls within T a queue should reach. */
export const SERVICE_LEVEL_TARGET = 0.8;

/** Alarm of a wait of `waitSec` seconds in a queue whose T is `thresholdSec`. */
export function alarmOf(waitSec: number, thresholdSec: number): Alarm {
  if (waitSec >= thresholdSec) return 'alarm';
  if (waitSec >= thresholdSec / 2) return 'warn';
  return 'ok';
}

/** Alarm of today's service level (0..1; null — nothing counted yet — is never an alarm). */
export function slAlarmOf(serviceLevel: number | null): Alarm {
  if (serviceLevel === null) return 'ok';
  if (serviceLevel < SERVICE_LEVEL_TARGET) return 'alarm';
  if (serviceLevel < SERVICE_LEVEL_TARGET + 0.1) return 'warn';
  return 'ok';
}
