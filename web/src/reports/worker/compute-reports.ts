import {
  CALL_SLICE_COLUMNS,
  categoryReport,
  compareText,
  dailySummary,
  didReport,
  type FactFrame,
  type FactSlice,
  intervalDistribution,
  LocalCalendar,
  normaliseCallerNumber,
  operatorEfficiency,
  PART_SLICE_COLUMNS,
  purposeDistribution,
  queueStatistics,
  REPEAT_WINDOW_DAYS_DEFAULT,
  ROLLUP_SLICE_COLUMNS,
  repeatCallers,
  rollupPeriods,
  rollupQueueStatistics,
  serviceLevelOverTime,
  sliceRows,
  weeklyCategories,
  weeklyDynamics,
} from '@callcenter/analytics/aggregate';
import { frameFromIPC } from './decode-arrow.ts';
import { COLUMNS_OF } from './fact-columns.ts';
import type { FactKind, ReportResult, ReportSettings, SliceOptions } from './report-protocol.ts';

/**
 * Arrow IPC stream bytes → the frame of `kind`: zero-copy views, each column decoded when a report
 * first reads it (decode-arrow.ts); no per-row objects.
 */
export function decodeFacts(kind: FactKind, bytes: Uint8Array): FactFrame {
  return frameFromIPC(bytes, COLUMNS_OF[kind]);
}

const EMPTY: Omit<ReportResult, 'mode' | 'counts' | 'options' | 'aggregateMs'> = {
  queues: [],
  daily: [],
  dailyTotal: null,
  weekly: [],
  weeklyCategories: [],
  categories: [],
  operators: [],
  purposes: [],
  intervals60: [],
  intervals15: [],
  slDays: [],
  slWeeks: [],
  rollupDays: [],
  rollupWeeks: [],
  dids: [],
  repeats: null,
};

function valuesOf(frame: FactFrame | undefined, column: string): string[] {
  const c = frame?.columns.get(column);
  if (c?.kind !== 'dict') return [];
  const used = new Uint8Array(c.dictionary.length);
  for (let i = 0; i < c.codes.length; i++) used[c.codes[i]!] = 1;
  return c.dictionary.filter((v, code) => v !== '' && used[code] === 1).sort(compareText);
}

function optionsOf(frames: Partial<Record<FactKind, FactFrame>>): SliceOptions {
  const union = (...lists: string[][]) => [...new Set(lists.flat())].sort(compareText);
  return {
    queues: union(valuesOf(frames.calls, 'queue'), valuesOf(frames.rollup, 'queue')),
    operators: union(
      valuesOf(frames.calls, 'operator'),
      valuesOf(frames.attempts, 'operator'),
      valuesOf(frames.segments, 'operator'),
      valuesOf(frames.rollup, 'operator'),
    ),
    categories: valuesOf(frames.calls, 'category'),
  };
}

/**
 * Every view of the reports for `slice` over the loaded frames: from call/attempt/segment facts
 * when `calls` is loaded, else from rollup rows (the long-range path). Pure: the worker calls it
 * for each slice without refetching.
 */
export function computeReports(
  frames: Partial<Record<FactKind, FactFrame>>,
  slice: FactSlice,
  settings: ReportSettings,
): ReportResult {
  const started = performance.now();
  const calendar = new LocalCalendar(settings.fromMs, settings.toMs, settings.zone);
  const options = { serviceLevelSec: (queue: string) => settings.thresholds[queue] };
  const { calls, attempts, segments, rollup } = frames;
  if (calls) {
    const callRows = sliceRows(calls, slice, CALL_SLICE_COLUMNS);
    const attemptRows = attempts ? sliceRows(attempts, slice, PART_SLICE_COLUMNS) : new Int32Array(0);
    const segmentRows = segments ? sliceRows(segments, slice, PART_SLICE_COLUMNS) : new Int32Array(0);
    const { days, total } = dailySummary(calls, callRows, calendar, options);
    return {
      mode: 'facts',
      counts: { calls: callRows.length, attempts: attemptRows.length, segments: segmentRows.length },
      options: optionsOf(frames),
      ...EMPTY,
      queues: queueStatistics(calls, callRows, options),
      daily: days,
      dailyTotal: total,
      weekly: weeklyDynamics(calls, callRows, calendar, options),
      weeklyCategories: weeklyCategories(calls, callRows, calendar),
      categories: categoryReport(calls, callRows),
      operators:
        attempts && segments
          ? operatorEfficiency(
              { calls, attempts, segments },
              { calls: callRows, attempts: attemptRows, segments: segmentRows },
            )
          : [],
      purposes: purposeDistribution(calls, callRows),
      intervals60: intervalDistribution(calls, callRows, calendar, 60, options),
      intervals15: intervalDistribution(calls, callRows, calendar, 15, options),
      slDays: serviceLevelOverTime(calls, callRows, calendar, 'day', options),
      slWeeks: serviceLevelOverTime(calls, callRows, calendar, 'week', options),
      dids: didReport(calls, callRows, options),
      // The customers' history is the whole period, whatever the slice (docs/metrics.md#repeat-callers-and-fcr).
      repeats: repeatCallers(
        calls,
        sliceRows(calls, { fromMs: slice.fromMs, toMs: slice.toMs }, CALL_SLICE_COLUMNS),
        callRows,
        {
          windowDays: settings.repeatWindowDays ?? REPEAT_WINDOW_DAYS_DEFAULT,
          normalise: (raw) => normaliseCallerNumber(raw),
        },
      ),
      aggregateMs: performance.now() - started,
    };
  }
  if (rollup) {
    const rows = sliceRows(rollup, slice, ROLLUP_SLICE_COLUMNS);
    return {
      mode: 'rollup',
      counts: { rollup: rows.length },
      options: optionsOf(frames),
      ...EMPTY,
      queues: rollupQueueStatistics(
        rollup,
        rows,
        (queue) => settings.thresholds[queue] ?? settings.rollupSlSec,
      ),
      rollupDays: rollupPeriods(rollup, rows, settings.rollupSlSec),
      rollupWeeks: rollupPeriods(rollup, rows, settings.rollupSlSec, {
        labels: calendar.weeks,
        indexOf: (ms) => calendar.weekIndex(ms),
      }),
      aggregateMs: performance.now() - started,
    };
  }
  return { mode: 'facts', counts: {}, options: optionsOf(frames), ...EMPTY, aggregateMs: 0 };
}
