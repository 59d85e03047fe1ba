import { CallEnd, callColumns, INBOUND, OUTBOUND, thresholdsByCode } from './call-columns.ts';
import type { FactFrame } from './fact-frame.ts';
import type { LocalCalendar } from './local-calendar.ts';
import { SHORT_ABANDON_SEC } from './metric-defaults.ts';
import type { QueueReportOptions } from './queue-statistics.ts';
import { share } from './slice-rows.ts';

/**
 * One line of the consolidated daily report ("Сводный отчёт по звонкам"; the SQL
 * reference is sql/ANALYSTS.md "Daily consolidated report"): inbound answered and lost
 * ("упущенные" = abandoned + missed), short abandons apart, outbound placed and answered, and the
 * service level of queue calls (null when nothing is left to measure).
 */
export interface DailySummaryRow {
  /** Local date `YYYY-MM-DD` in the calendar's zone (or the week's Monday, or `total`). */
  day: string;
  answered: number;
  lost: number;
  shortAbandons: number;
  outbound: number;
  outboundAnswered: number;
  /** Inbound calls that entered a queue; of them answered within T, and short abandons. */
  queueOffered: number;
  queueAnsweredInSl: number;
  queueShortAbandons: number;
  /** queueAnsweredInSl / (queueOffered − queueShortAbandons); null when that is 0. */
  serviceLevel: number | null;
}

const F = {
  present: 0,
  answered: 1,
  lost: 2,
  short: 3,
  out: 4,
  outAnswered: 5,
  qOffered: 6,
  qInSl: 7,
  qShort: 8,
};
const FIELDS = 9;

/**
 * Sums per bucket: `bucketOf(ms)` gives a bucket index (or -1: outside) of each call start.
 * Inbound and outbound calls only, as the SQL reference.
 */
export function summaryBuckets(
  calls: FactFrame,
  rows: Int32Array,
  buckets: number,
  bucketOf: (startedAtMs: number) => number,
  options: QueueReportOptions = {},
): Float64Array {
  const c = callColumns(calls);
  const t = thresholdsByCode(c.queueNames, options.serviceLevelSec ?? (() => undefined));
  const short = options.shortAbandonSec ?? SHORT_ABANDON_SEC;
  const none = c.queueNames.indexOf('');
  const sums = new Float64Array(buckets * FIELDS);
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k]!;
    const kind = c.directionKind[c.direction[i]!]!;
    if (kind !== INBOUND && kind !== OUTBOUND) continue;
    const b = bucketOf(c.startedAt[i]!);
    if (b < 0) continue;
    const at = b * FIELDS;
    const end = c.statusEnd[c.status[i]!]!;
    sums[at + F.present]! += 1;
    if (kind === OUTBOUND) {
      sums[at + F.out]! += 1;
      if (end === CallEnd.answered) sums[at + F.outAnswered]! += 1;
      continue;
    }
    const wait = c.queueWait[i]!;
    const isShort = end === CallEnd.abandoned && wait < short;
    if (end === CallEnd.answered) sums[at + F.answered]! += 1;
    else if (end === CallEnd.abandoned || end === CallEnd.missed) sums[at + F.lost]! += 1;
    if (isShort) sums[at + F.short]! += 1;
    const q = c.queue[i]!;
    if (q === none) continue;
    sums[at + F.qOffered]! += 1;
    if (end === CallEnd.answered && wait <= t[q]!) sums[at + F.qInSl]! += 1;
    if (isShort) sums[at + F.qShort]! += 1;
  }
  return sums;
}

/** The row of bucket `b` of {@link summaryBuckets}' sums, labelled `label`; null if it is empty. */
export function summaryRow(sums: Float64Array, b: number, label: string): DailySummaryRow | null {
  const at = b * FIELDS;
  if (sums[at + F.present] === 0) return null;
  const queueOffered = sums[at + F.qOffered]!;
  const queueShortAbandons = sums[at + F.qShort]!;
  const queueAnsweredInSl = sums[at + F.qInSl]!;
  return {
    day: label,
    answered: sums[at + F.answered]!,
    lost: sums[at + F.lost]!,
    shortAbandons: sums[at + F.short]!,
    outbound: sums[at + F.out]!,
    outboundAnswered: sums[at + F.outAnswered]!,
    queueOffered,
    queueAnsweredInSl,
    queueShortAbandons,
    serviceLevel: share(queueAnsweredInSl, queueOffered - queueShortAbandons),
  };
}

/** Adds every bucket's sums into one (the period's total). */
export function totalOf(sums: Float64Array): Float64Array {
  const total = new Float64Array(FIELDS);
  for (let at = 0; at < sums.length; at++) total[at % FIELDS]! += sums[at]!;
  return total;
}

/**
 * Per local day of `calendar` (days with an inbound or outbound call only) and the period's
 * `total` line ("Итого"), over `rows` of `calls`. Each queue's service level uses its own T.
 */
export function dailySummary(
  calls: FactFrame,
  rows: Int32Array,
  calendar: LocalCalendar,
  options: QueueReportOptions = {},
): { days: DailySummaryRow[]; total: DailySummaryRow | null } {
  const sums = summaryBuckets(calls, rows, calendar.days.length, (ms) => calendar.dayIndex(ms), options);
  const days: DailySummaryRow[] = [];
  calendar.days.forEach((day, d) => {
    const row = summaryRow(sums, d, day);
    if (row) days.push(row);
  });
  return { days, total: summaryRow(totalOf(sums), 0, 'total') };
}
