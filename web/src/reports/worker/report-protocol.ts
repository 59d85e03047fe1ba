import type {
  CategoryRow,
  DailySummaryRow,
  DidRow,
  FactSlice,
  IntervalRow,
  OperatorEfficiencyRow,
  PurposeRow,
  QueuePeriodRow,
  QueueStatisticsRow,
  RepeatReport,
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

/**
 * What a slice is computed with: the report's IANA zone, the fetched period (epoch ms, half-open),
 * T per queue and the rollup's T (seconds).
 */
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
  /** N of the repeat-caller report, days (1..90; default 7, docs/metrics.md#repeat-callers-and-fcr). */
  repeatWindowDays?: number;
}

/**
 * Messages to the worker: forget the loaded facts, a chunk of an Arrow body of one kind, the end
 * of a body, or a slice to compute.
 */
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
  /** Inbound calls by local interval of the day: every hour, every 15 minutes (facts mode). */
  intervals60: IntervalRow[];
  intervals15: IntervalRow[];
  /** Each queue's service level per local day and per Monday week (facts mode). */
  slDays: QueuePeriodRow[];
  slWeeks: QueuePeriodRow[];
  /** Rollup mode: per day and per week, inbound only. */
  rollupDays: RollupPeriodRow[];
  rollupWeeks: RollupPeriodRow[];
  /** Inbound calls per DID (facts mode). */
  dids: DidRow[];
  /** Repeat callers and FCR over the slice, the period as the customers' history (facts mode). */
  repeats: RepeatReport | null;
  /** Time spent aggregating this slice in the worker, ms. */
  aggregateMs: number;
}

/**
 * Messages from the worker: a body decoded (rows, bytes, ms), the result of a slice, or an error
 * (of a body or a slice).
 */
export type FromWorker =
  | { type: 'loaded'; kind: FactKind; rows: number; bytes: number; decodeMs: number }
  | { type: 'result'; requestId: number; result: ReportResult }
  | { type: 'error'; kind?: FactKind; requestId?: number; message: string };
