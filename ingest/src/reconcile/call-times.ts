import { toIso, toSeconds } from './intervals.ts';

/**
 * A call's start, answer and end (UTC epoch ms) as the call's time columns: ISO UTC times,
 * `duration_sec` = end − start and `wait_sec` = (answer ?? end) − start, in seconds
 * (docs/reconciliation.md, the derived columns' table). The same for calls built from CEL and
 * from CDR alone.
 */
export function callTimes(startedAt: number, answeredAt: number | null, endedAt: number) {
  return {
    started_at: toIso(startedAt),
    answered_at: answeredAt === null ? null : toIso(answeredAt),
    ended_at: toIso(endedAt),
    duration_sec: toSeconds(endedAt - startedAt),
    wait_sec: toSeconds((answeredAt ?? endedAt) - startedAt),
  };
}
