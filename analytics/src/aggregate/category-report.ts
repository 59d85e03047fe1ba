import { dictColumn, type FactFrame, numberColumn } from './fact-frame.ts';
import type { LocalCalendar } from './local-calendar.ts';
import { compareText, share } from './slice-rows.ts';

/** One category (sql/ANALYSTS.md "Categories: calls and share needing a callback"). */
export interface CategoryRow {
  category: string;
  calls: number;
  /** Share of all calls with a category in the slice. */
  shareOfCalls: number | null;
  /** Calls whose card says the customer must be called back (`needs_callback = 1`). */
  callbacks: number;
  callbackShare: number | null;
}

/** One category in one Monday week (sql/ANALYSTS.md "Categories: weekly dynamics"). */
export interface WeeklyCategoryRow {
  /** Monday, `YYYY-MM-DD`, in the calendar's zone. */
  week: string;
  category: string;
  calls: number;
  callbacks: number;
  callbackShare: number | null;
}

/**
 * Calls of any direction whose card has a category, per category (or per category and
 * sub-category with `bySubcategory`: the key is `category / subcategory`). Sorted by calls
 * descending, then name.
 */
export function categoryReport(
  calls: FactFrame,
  rows: Int32Array,
  options: { bySubcategory?: boolean } = {},
): CategoryRow[] {
  const category = dictColumn(calls, 'category');
  const sub = options.bySubcategory ? dictColumn(calls, 'subcategory') : null;
  const callback = numberColumn(calls, 'needs_callback').values;
  const none = category.dictionary.indexOf('');
  const width = sub ? sub.dictionary.length : 1;
  const counts = new Float64Array(category.dictionary.length * width * 2);
  let total = 0;
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k]!;
    const code = category.codes[i]!;
    if (code === none) continue;
    const key = (code * width + (sub ? sub.codes[i]! : 0)) * 2;
    counts[key]! += 1;
    if (callback[i] === 1) counts[key + 1]! += 1;
    total++;
  }
  const out: CategoryRow[] = [];
  for (let key = 0; key < counts.length; key += 2) {
    const n = counts[key]!;
    if (n === 0) continue;
    const cell = key / 2;
    const name = category.dictionary[Math.floor(cell / width)]!;
    const subName = sub ? sub.dictionary[cell % width]! : '';
    const callbacks = counts[key + 1]!;
    out.push({
      category: sub && subName !== '' ? `${name} / ${subName}` : name,
      calls: n,
      shareOfCalls: share(n, total),
      callbacks,
      callbackShare: share(callbacks, n),
    });
  }
  return out.sort((a, b) => b.calls - a.calls || compareText(a.category, b.category));
}

/** Per Monday week of `calendar` × category: calls and callbacks. Sorted by week, category. */
export function weeklyCategories(
  calls: FactFrame,
  rows: Int32Array,
  calendar: LocalCalendar,
): WeeklyCategoryRow[] {
  const category = dictColumn(calls, 'category');
  const started = numberColumn(calls, 'started_at').values;
  const callback = numberColumn(calls, 'needs_callback').values;
  const none = category.dictionary.indexOf('');
  const width = category.dictionary.length;
  const counts = new Float64Array(calendar.weeks.length * width * 2);
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k]!;
    const code = category.codes[i]!;
    if (code === none) continue;
    const w = calendar.weekIndex(started[i]!);
    if (w < 0) continue;
    const key = (w * width + code) * 2;
    counts[key]! += 1;
    if (callback[i] === 1) counts[key + 1]! += 1;
  }
  const out: WeeklyCategoryRow[] = [];
  for (let key = 0; key < counts.length; key += 2) {
    const n = counts[key]!;
    if (n === 0) continue;
    const cell = key / 2;
    const callbacks = counts[key + 1]!;
    out.push({
      week: calendar.weeks[Math.floor(cell / width)]!,
      category: category.dictionary[cell % width]!,
      calls: n,
      callbacks,
      callbackShare: share(callbacks, n),
    });
  }
  return out.sort((a, b) => compareText(a.week, b.week) || compareText(a.category, b.category));
}
