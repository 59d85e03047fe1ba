import { DateTime } from 'luxon';

/**
 * Days and Monday weeks of a period in a queue's own time zone (docs/metrics.md#time-zones: reports run
 * in the queue's zone; a call at 21:30 UTC on Sunday is a Monday call in Moscow), for row loops
 * over epoch milliseconds.
 *
 * Local midnights come from luxon, so days of 23 or 25 hours (DST changes) are right. Lookup is a
 * table of 15-minute slots (every zone offset in use is a multiple of 15 minutes, so every local
 * midnight falls on a slot boundary): `dayIndex(ms)` is one division and one array read.
 */
export class LocalCalendar {
  /** Local days, `YYYY-MM-DD`, in order. */
  readonly days: readonly string[];
  /** Epoch ms of each day's local midnight (plus the end of the last day). */
  readonly dayStarts: readonly number[];
  /** Monday of each local week, `YYYY-MM-DD`, in order. */
  readonly weeks: readonly string[];
  /** Week index of each day index. */
  readonly weekOfDay: Int32Array;
  readonly zone: string;
  private readonly base: number;
  private readonly slots: Int32Array;
  private readonly exact: boolean;

  /**
   * The local days touching [fromMs, toMs) in `zone` (an IANA name). Throws a RangeError for an
   * unknown zone or an empty or reversed period.
   */
  constructor(fromMs: number, toMs: number, zone: string) {
    if (!(toMs > fromMs)) throw new RangeError('the period must end after it starts');
    const first = DateTime.fromMillis(fromMs, { zone });
    if (!first.isValid) throw new RangeError(`unknown time zone "${zone}"`);
    this.zone = zone;
    const days: string[] = [];
    const starts: number[] = [];
    const weeks: string[] = [];
    const weekOfDay: number[] = [];
    let day = first.startOf('day');
    while (day.toMillis() < toMs) {
      const monday = day.minus({ days: day.weekday - 1 }).toISODate()!;
      if (weeks[weeks.length - 1] !== monday) weeks.push(monday);
      days.push(day.toISODate()!);
      starts.push(day.toMillis());
      weekOfDay.push(weeks.length - 1);
      day = day.plus({ days: 1 }).startOf('day');
    }
    starts.push(day.toMillis());
    this.days = days;
    this.dayStarts = starts;
    this.weeks = weeks;
    this.weekOfDay = Int32Array.from(weekOfDay);
    this.base = starts[0]!;
    this.exact = starts.every((start) => (start - this.base) % SLOT_MS === 0);
    const slotCount = Math.ceil((starts[starts.length - 1]! - this.base) / SLOT_MS);
    this.slots = new Int32Array(this.exact ? slotCount : 0);
    let d = 0;
    for (let s = 0; s < this.slots.length; s++) {
      const at = this.base + s * SLOT_MS;
      while (starts[d + 1]! <= at) d++;
      this.slots[s] = d;
    }
  }

  /** Index into {@link days} of the instant `ms`, or -1 outside the calendar (or NaN). */
  dayIndex(ms: number): number {
    const offset = ms - this.base;
    if (!(offset >= 0)) return -1;
    if (this.exact) {
      const slot = Math.floor(offset / SLOT_MS);
      return slot < this.slots.length ? this.slots[slot]! : -1;
    }
    return this.searchDay(ms);
  }

  /**
   * Day index of each of `ms[rows[k]]` (or of every `ms[i]` when `rows` is null) into `out`:
   * {@link dayIndex} inlined for row loops over a million rows.
   */
  dayIndexes(ms: Float64Array, rows: Int32Array | null, out: Int32Array): void {
    const n = rows ? rows.length : ms.length;
    if (!this.exact) {
      for (let k = 0; k < n; k++) out[k] = this.dayIndex(ms[rows ? rows[k]! : k]!);
      return;
    }
    const { base, slots } = this;
    const count = slots.length;
    for (let k = 0; k < n; k++) {
      const offset = ms[rows ? rows[k]! : k]! - base;
      const slot = Math.floor(offset / SLOT_MS);
      out[k] = offset >= 0 && slot < count ? slots[slot]! : -1;
    }
  }

  /** Index into {@link weeks} of the instant `ms`, or -1 outside the calendar. */
  weekIndex(ms: number): number {
    const d = this.dayIndex(ms);
    return d < 0 ? -1 : this.weekOfDay[d]!;
  }

  private searchDay(ms: number): number {
    const starts = this.dayStarts;
    if (ms >= starts[starts.length - 1]!) return -1;
    let lo = 0;
    let hi = starts.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= ms) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

const SLOT_MS = 15 * 60_000;
