import { type CallEnd, callColumns, INBOUND, thresholdsByCode } from './call-columns.ts';
import type { FactFrame } from './fact-frame.ts';
import { SHORT_ABANDON_SEC } from './metric-defaults.ts';
import { type QueueMetrics, QueueTally } from './queue-metrics.ts';
import { compareText } from './slice-rows.ts';

/** One queue's row: the standard metrics (queue-metrics.ts) plus lost = abandoned + missed. */
export interface QueueStatisticsRow extends QueueMetrics {
  queue: string;
  lost: number;
  /** The T this row's service level used, seconds. */
  serviceLevelSec: number;
}

export interface QueueReportOptions {
  /** T per queue name, seconds (GET /queues `serviceLevelSec`); SERVICE_LEVEL_DEFAULT_SEC when unknown. */
  serviceLevelSec?: (queue: string) => number | undefined;
  /** Short-abandon threshold, seconds (default 5). */
  shortAbandonSec?: number;
}

/**
 * Queue statistics (sql/ANALYSTS.md "Queue statistics"): inbound calls with a queue, grouped by
 * their first queue, over the rows `rows` of `calls` (indices from sliceRows). Sorted by queue.
 */
export function queueStatistics(
  calls: FactFrame,
  rows: Int32Array,
  options: QueueReportOptions = {},
): QueueStatisticsRow[] {
  const c = callColumns(calls);
  const t = thresholdsByCode(c.queueNames, options.serviceLevelSec ?? (() => undefined));
  const tallies: (QueueTally | undefined)[] = [];
  const none = c.queueNames.indexOf('');
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k]!;
    const q = c.queue[i]!;
    if (q === none || c.directionKind[c.direction[i]!] !== INBOUND) continue;
    let tally = tallies[q];
    if (!tally) {
      tally = new QueueTally({
        serviceLevelSec: t[q]!,
        shortAbandonSec: options.shortAbandonSec ?? SHORT_ABANDON_SEC,
      });
      tallies[q] = tally;
    }
    tally.add(c.statusEnd[c.status[i]!] as CallEnd, c.queueWait[i]!, c.talk[i]!, c.hold[i]!);
  }
  const out: QueueStatisticsRow[] = [];
  tallies.forEach((tally, q) => {
    if (!tally) return;
    const m = tally.metrics();
    out.push({ queue: c.queueNames[q]!, ...m, lost: m.abandoned + m.missed, serviceLevelSec: t[q]! });
  });
  return out.sort((a, b) => compareText(a.queue, b.queue));
}
