import { type DailySummaryRow, summaryBuckets, summaryRow } from './daily-summary.ts';
import type { FactFrame } from './fact-frame.ts';
import type { LocalCalendar } from './local-calendar.ts';
import type { QueueReportOptions } from './queue-statistics.ts';

/**
 * The daily summary's figures per Monday week of `calendar` (weeks in the queue's zone; a week
 * cut by the period counts only its days inside it). `day` holds the Monday. Weeks without an
 * inbound or outbound call are left out.
 */
export function weeklyDynamics(
  calls: FactFrame,
  rows: Int32Array,
  calendar: LocalCalendar,
  options: QueueReportOptions = {},
): DailySummaryRow[] {
  const sums = summaryBuckets(calls, rows, calendar.weeks.length, (ms) => calendar.weekIndex(ms), options);
  const out: DailySummaryRow[] = [];
  calendar.weeks.forEach((week, w) => {
    const row = summaryRow(sums, w, week);
    if (row) out.push(row);
  });
  return out;
}
