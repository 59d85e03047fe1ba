import type { GroupTimeline } from './channel-timeline.ts';
import { stintEnd } from './connections.ts';

/**
 * Queue stays. CEL has no queue events: a caller's stay in a queue is its `Queue` application run
 * (APP_START → APP_END), the queue being the first field of `appdata` (`support,t,,,20`).
 */
export interface QueueStint {
  queue: string;
  start: number;
  end: number;
  uniqueId: string;
}

/**
 * Every Queue application run of a call group (APP_START → APP_END, or the channel's end), with
 * the queue name from `appdata`, in the order of the channels' applications.
 */
export function queueStints(group: GroupTimeline): QueueStint[] {
  const stints: QueueStint[] = [];
  for (const channel of group.channels.values()) {
    for (const app of channel.apps) {
      if (app.name !== 'Queue') continue;
      const queue = app.data.split(',')[0]!.trim();
      if (!queue) continue;
      stints.push({
        queue,
        start: app.start,
        end: stintEnd(app, channel, group),
        uniqueId: channel.uniqueId,
      });
    }
  }
  return stints.sort((a, b) => a.start - b.start);
}

/** The queue a caller was waiting in at `at`, or null. */
export function queueActiveAt(stints: readonly QueueStint[], at: number): string | null {
  return stints.findLast((s) => s.start <= at && at <= s.end)?.queue ?? null;
}
