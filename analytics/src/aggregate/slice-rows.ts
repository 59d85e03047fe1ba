import { codeMask, type DictColumn, type FactFrame, numberColumn } from './fact-frame.ts';

/**
 * A slice of the facts, applied in the browser without refetching: a sub-period and lists of
 * allowed values (an absent or empty list allows everything). A list applies to a frame only when
 * the frame has that column (attempt and segment facts have no category).
 */
export interface FactSlice {
  /** Epoch ms, inclusive. */
  fromMs?: number;
  /** Epoch ms, exclusive. */
  toMs?: number;
  queues?: readonly string[];
  operators?: readonly string[];
  categories?: readonly string[];
  directions?: readonly string[];
}

/** Which column of a frame each slice dimension filters (call facts by default). */
export interface SliceColumns {
  time: string;
  queue?: string;
  operator?: string;
  category?: string;
  direction?: string;
}

/** Which call_facts columns the report slices read for time, queue, operator and category. */
export const CALL_SLICE_COLUMNS: SliceColumns = {
  time: 'started_at',
  queue: 'queue',
  operator: 'operator',
  category: 'category',
  direction: 'direction',
};

/** Attempt and segment facts: filtered on the call's start and the call's first queue. */
export const PART_SLICE_COLUMNS: SliceColumns = {
  time: 'call_started_at',
  queue: 'queue',
  operator: 'operator',
  direction: 'direction',
};

/** Indices of the rows of `frame` inside `slice`, ascending (every row when nothing filters). */
export function sliceRows(frame: FactFrame, slice: FactSlice, columns: SliceColumns): Int32Array {
  const time = numberColumn(frame, columns.time).values;
  const from = slice.fromMs ?? Number.NEGATIVE_INFINITY;
  const to = slice.toMs ?? Number.POSITIVE_INFINITY;
  const masks: { codes: Int32Array; allowed: Uint8Array }[] = [];
  const add = (name: string | undefined, values: readonly string[] | undefined) => {
    if (!name || !values || values.length === 0) return;
    const column = frame.columns.get(name);
    if (column?.kind !== 'dict') return;
    masks.push({ codes: column.codes, allowed: codeMask(column as DictColumn, values) });
  };
  add(columns.queue, slice.queues);
  add(columns.operator, slice.operators);
  add(columns.category, slice.categories);
  add(columns.direction, slice.directions);
  const out = new Int32Array(frame.rows);
  let n = 0;
  rows: for (let i = 0; i < frame.rows; i++) {
    const t = time[i]!;
    if (!(t >= from && t < to)) continue;
    for (const mask of masks) if (mask.allowed[mask.codes[i]!] === 0) continue rows;
    out[n++] = i;
  }
  return out.subarray(0, n);
}

/** Plain code-unit order (as ClickHouse sorts UTF-8 strings), for stable report rows. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `numerator / denominator`, or null without a denominator. */
export function share(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

/** Per code of `column`: 1 where the value equals `value` (lookup for hot loops). */
export function isValue(column: DictColumn, value: string): Uint8Array {
  return codeMask(column, [value]);
}
