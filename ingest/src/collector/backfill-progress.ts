/**
 * The catch-up's progress line: how far the collector's CEL read position is between where the
 * catch-up started and the table's end (the highest `cel.id` seen), the rate in CEL ids per second
 * (ids ≈ rows: Asterisk numbers its CEL rows consecutively) and the time left at that rate.
 * Used by `callcenter start` while it catches up (a long backfill) and by `npm run bench:ingest`.
 */

/** Where a catch-up stands after a cycle (sums over the collector's servers). */
export interface CatchUpProgress {
  /** CEL ids read so far since the catch-up started. */
  doneIds: number;
  /** CEL ids to read from the catch-up's start to the table's current end. */
  totalIds: number;
  /** Seconds since the catch-up started. */
  elapsedSec: number;
}

/** `1:02:03` or `2:03` for a number of seconds (rounded up); `?` when not finite. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.ceil(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/**
 * One progress line, e.g. `catch-up: [#######.............] 35% 1,575,000/4,500,000 CEL ids,
 * 152,300 ids/s, ETA 0:19`.
 */
export function progressLine(p: CatchUpProgress, width = 20): string {
  const share = p.totalIds > 0 ? Math.min(1, p.doneIds / p.totalIds) : 1;
  const filled = Math.round(share * width);
  const rate = p.elapsedSec > 0 ? p.doneIds / p.elapsedSec : 0;
  const eta = rate > 0 ? (p.totalIds - p.doneIds) / rate : Number.POSITIVE_INFINITY;
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  return `catch-up: [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.floor(share * 100)}% ${n(p.doneIds)}/${n(p.totalIds)} CEL ids, ${n(rate)} ids/s, ETA ${formatDuration(eta)}`;
}

/**
 * Calls `report` with {@link progressLine} every `everyMs` at most, from `everyMs` after its
 * creation, and on the last call (`final`) if it reported before: a backfill of millions of rows
 * prints a line every few seconds, a catch-up shorter than `everyMs` prints nothing.
 */
export function throttledProgress(
  report: (line: string, progress: CatchUpProgress) => void,
  everyMs = 5000,
): (progress: CatchUpProgress, final?: boolean) => void {
  let last = performance.now();
  let reported = false;
  return (progress, final = false) => {
    const now = performance.now();
    if (final ? !reported : now - last < everyMs) return;
    last = now;
    reported = true;
    report(progressLine(progress), progress);
  };
}
