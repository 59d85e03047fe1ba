import { dictColumn, type FactFrame, numberColumn } from './fact-frame.ts';
import { QueueTally } from './queue-metrics.ts';
import type { QueueStatisticsRow } from './queue-statistics.ts';
import { compareText, type SliceColumns, share } from './slice-rows.ts';

/**
 * Reports over `/reports/rollup` rows (one per bucket × queue × operator, counted by ClickHouse),
 * the long-range path: a year of calls is a few thousand rows instead of millions. Same
 * definitions as the per-call reports (queue-metrics.ts); the service level counts each
 * queue's calls against its own T (the API passes every queue's T to the rollup query).
 */

/** Rollup columns the reports read (analytics/src/clickhouse ROLLUP_COLUMNS). */
export const ROLLUP_REPORT_COLUMNS = {
  text: ['bucket_label', 'queue', 'operator'],
  numbers: [
    'bucket_start',
    'calls',
    'offered',
    'answered',
    'abandoned',
    'short_abandons',
    'missed',
    'talk_sec',
    'hold_sec',
    'queue_wait_answered_sec',
    'answered_in_sl',
  ],
} as const;

/** Which rollup columns the report slices read for time, queue and operator. */
export const ROLLUP_SLICE_COLUMNS: SliceColumns = {
  time: 'bucket_start',
  queue: 'queue',
  operator: 'operator',
};

/** One bucket's inbound figures (the rollup has no outbound split). */
export interface RollupPeriodRow {
  /** The bucket's local start, `YYYY-MM-DD` (day, week) or `YYYY-MM-DD HH:MM` (hour). */
  bucket: string;
  calls: number;
  offered: number;
  answered: number;
  lost: number;
  shortAbandons: number;
  /** answered_in_sl / (offered − short abandons) of calls with a queue. */
  serviceLevel: number | null;
  asaSec: number | null;
}

function columns(frame: FactFrame) {
  const n = (name: string) => numberColumn(frame, name).values;
  return {
    label: dictColumn(frame, 'bucket_label'),
    queue: dictColumn(frame, 'queue'),
    calls: n('calls'),
    offered: n('offered'),
    answered: n('answered'),
    abandoned: n('abandoned'),
    short: n('short_abandons'),
    missed: n('missed'),
    talk: n('talk_sec'),
    hold: n('hold_sec'),
    wait: n('queue_wait_answered_sec'),
    inSl: n('answered_in_sl'),
  };
}

function addRow(tally: QueueTally, c: ReturnType<typeof columns>, i: number): void {
  tally.addCounts({
    offered: c.offered[i]!,
    answered: c.answered[i]!,
    abandoned: c.abandoned[i]!,
    shortAbandoned: c.short[i]!,
    missed: c.missed[i]!,
    answeredInSl: c.inSl[i]!,
    waitSum: c.wait[i]!,
    // Rows with a queue hold inbound calls only: their talk and hold are the answered calls'.
    handleSum: c.talk[i]! + c.hold[i]!,
  });
}

/**
 * Queue statistics from rollup rows (queue ≠ ''), sorted by queue. The rollup counted
 * `answered_in_sl` against each queue's own T; `serviceLevelSec` names that T per queue on the
 * rows (a number: the same for all).
 */
export function rollupQueueStatistics(
  rollup: FactFrame,
  rows: Int32Array,
  serviceLevelSec: number | ((queue: string) => number),
): QueueStatisticsRow[] {
  const tOf = typeof serviceLevelSec === 'number' ? () => serviceLevelSec : serviceLevelSec;
  const c = columns(rollup);
  const none = c.queue.dictionary.indexOf('');
  const tallies: (QueueTally | undefined)[] = [];
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k]!;
    const q = c.queue.codes[i]!;
    if (q === none) continue;
    tallies[q] ??= new QueueTally({ serviceLevelSec: tOf(c.queue.dictionary[q]!) });
    addRow(tallies[q]!, c, i);
  }
  const out: QueueStatisticsRow[] = [];
  tallies.forEach((tally, q) => {
    if (!tally) return;
    const m = tally.metrics();
    const queue = c.queue.dictionary[q]!;
    out.push({ queue, ...m, lost: m.abandoned + m.missed, serviceLevelSec: tOf(queue) });
  });
  return out.sort((a, b) => compareText(a.queue, b.queue));
}

/**
 * Per bucket: inbound figures and the queue calls' SL and ASA, sorted by label. Buckets are the
 * rollup's own (`bucket_label`), or `group` (e.g. Monday weeks of a LocalCalendar over day rows:
 * `indexOf(bucket_start)` → index into `labels`, -1 to leave a row out).
 */
export function rollupPeriods(
  rollup: FactFrame,
  rows: Int32Array,
  serviceLevelSec: number,
  group?: { labels: readonly string[]; indexOf: (bucketStartMs: number) => number },
): RollupPeriodRow[] {
  const c = columns(rollup);
  const start = numberColumn(rollup, 'bucket_start').values;
  const labels = group?.labels ?? c.label.dictionary;
  const none = c.queue.dictionary.indexOf('');
  const byLabel = new Map<number, { calls: number; tally: QueueTally; queued: QueueTally }>();
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k]!;
    const label = group ? group.indexOf(start[i]!) : c.label.codes[i]!;
    if (label < 0) continue;
    let entry = byLabel.get(label);
    if (!entry) {
      entry = {
        calls: 0,
        tally: new QueueTally({ serviceLevelSec }),
        queued: new QueueTally({ serviceLevelSec }),
      };
      byLabel.set(label, entry);
    }
    entry.calls += c.calls[i]!;
    addRow(entry.tally, c, i);
    if (c.queue.codes[i] !== none) addRow(entry.queued, c, i);
  }
  const out: RollupPeriodRow[] = [];
  for (const [label, entry] of byLabel) {
    const all = entry.tally;
    const queued = entry.queued.metrics();
    out.push({
      bucket: labels[label]!,
      calls: entry.calls,
      offered: all.offered,
      answered: all.answered,
      lost: all.abandoned + all.missed,
      shortAbandons: all.shortAbandoned,
      serviceLevel: queued.serviceLevel,
      asaSec: share(entry.queued.waitSum, entry.queued.waitCount),
    });
  }
  return out.sort((a, b) => compareText(a.bucket, b.bucket));
}
