import type {
  CategoryRow,
  DailySummaryRow,
  FactSlice,
  OperatorEfficiencyRow,
  PurposeRow,
  QueueStatisticsRow,
  RollupPeriodRow,
  WeeklyCategoryRow,
} from '@callcenter/analytics/aggregate';

/**
 * Messages between the reports page and its Web Worker. The page streams the API's Arrow bytes in
 * (each chunk's ArrayBuffer is transferred, not copied), the worker decodes and keeps the facts,
 * and every slice is a small message answered with small result rows: the UI thread never decodes
 * or loops over facts.
 */

/** What a fetched body holds: call/attempt/segment facts, or rollup rows (long ranges). */
export type FactKind = 'calls' | 'attempts' | 'segments' | 'rollup';

export interface ReportSettings {
  /** IANA zone of days and weeks (the queue's). */
  zone: string;
  /** The fetched period, epoch ms, [from, to). */
  fromMs: number;
  toMs: number;
  /** Service-level threshold T per queue name, seconds. */
  thresholds: Record<string, number>;
  /** T the rollup was asked for (long ranges). */
  rollupSlSec: number;
}

export type ToWorker =
  | { type: 'reset' }
  | { type: 'chunk'; kind: FactKind; bytes: ArrayBuffer }
  | { type: 'end'; kind: FactKind }
  | { type: 'slice'; requestId: number; slice: FactSlice; settings: ReportSettings };

/** Values present in the loaded facts, for the slice pickers. */
export interface SliceOptions {
  queues: string[];
  operators: string[];
  categories: string[];
}

/** Every view's rows for one slice. Facts mode fills all; rollup mode the queue and period views. */
export interface ReportResult {
  mode: 'facts' | 'rollup';
  /** Rows of each kind inside the slice. */
  counts: Partial<Record<FactKind, number>>;
  options: SliceOptions;
  queues: QueueStatisticsRow[];
  daily: DailySummaryRow[];
  dailyTotal: DailySummaryRow | null;
  weekly: DailySummaryRow[];
  weeklyCategories: WeeklyCategoryRow[];
  categories: CategoryRow[];
  operators: OperatorEfficiencyRow[];
  purposes: PurposeRow[];
  /** Rollup mode: per day and per week, inbound only. */
  rollupDays: RollupPeriodRow[];
  rollupWeeks: RollupPeriodRow[];
  /** Time spent aggregating this slice in the worker, ms. */
  aggregateMs: number;
}

export type FromWorker =
  | { type: 'loaded'; kind: FactKind; rows: number; bytes: number; decodeMs: number }
  | { type: 'result'; requestId: number; result: ReportResult }
  | { type: 'error'; kind?: FactKind; requestId?: number; message: string };
