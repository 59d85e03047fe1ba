/**
 * Browser-safe aggregation shared by the server and the web worker (no Node, no React): call,
 * attempt and segment facts as typed columns (Arrow decoded without per-row objects) and the
 * client-side reports over them, with one set of metric definitions (docs/metrics.md).
 */
export {
  type ArrowDataLike,
  type ArrowTableLike,
  type ArrowVectorLike,
  frameFromArrow,
  lazyFrameFromArrow,
} from './arrow-frame.ts';
export { CALL_REPORT_COLUMNS, type CallColumns, callColumns } from './call-columns.ts';
export { normaliseCallerNumber } from './caller-number.ts';
export {
  type CategoryRow,
  categoryReport,
  type WeeklyCategoryRow,
  weeklyCategories,
} from './category-report.ts';
export { type DailySummaryRow, dailySummary } from './daily-summary.ts';
export {
  type DidChoiceRow,
  type DidRow,
  didReport,
  REPEAT_WINDOW_DAYS_DEFAULT,
  type RepeatCallerRow,
  type RepeatOptions,
  type RepeatReport,
  type RepeatRow,
  repeatCallers,
} from './entry-reports.ts';
export {
  codeMask,
  codeOf,
  type DictColumn,
  dictColumn,
  type FactColumn,
  type FactFrame,
  frameFromRows,
  type NumberColumn,
  numberColumn,
  type RowColumnKind,
} from './fact-frame.ts';
export {
  type IntervalFigures,
  type IntervalRow,
  intervalDistribution,
  localMinutes,
  type QueuePeriodRow,
  serviceLevelOverTime,
} from './interval-reports.ts';
export { LocalCalendar } from './local-calendar.ts';
export { SERVICE_LEVEL_DEFAULT_SEC, SHORT_ABANDON_SEC } from './metric-defaults.ts';
export {
  ATTEMPT_REPORT_COLUMNS,
  type OperatorEfficiencyRow,
  operatorEfficiency,
  SEGMENT_REPORT_COLUMNS,
} from './operator-efficiency.ts';
export { type PurposeRow, purposeDistribution } from './purpose-distribution.ts';
export {
  CallEnd,
  callEndOf,
  type QueueCall,
  type QueueCounts,
  type QueueMetricOptions,
  type QueueMetrics,
  QueueTally,
  queueMetrics,
} from './queue-metrics.ts';
export { type QueueReportOptions, type QueueStatisticsRow, queueStatistics } from './queue-statistics.ts';
export {
  ROLLUP_REPORT_COLUMNS,
  ROLLUP_SLICE_COLUMNS,
  type RollupPeriodRow,
  rollupPeriods,
  rollupQueueStatistics,
} from './rollup-reports.ts';
export {
  CALL_SLICE_COLUMNS,
  compareText,
  type FactSlice,
  PART_SLICE_COLUMNS,
  type SliceColumns,
  share,
  sliceRows,
} from './slice-rows.ts';
export { type StatusDayCounts, statusDayCounts, statusDayRows } from './status-day-counts.ts';
export { weeklyDynamics } from './weekly-dynamics.ts';
