import { sortedUniformArrivals } from './arrivals.ts';
import { CallClone, type ChannelSequence, type VolumeCelRow } from './call-clone.ts';
import { type CallTemplate, loadCallTemplates } from './call-template.ts';
import { MinHeap } from './min-heap.ts';
import { createPrng } from './prng.ts';
import { compileTemplate } from './template-plan.ts';

/**
 * Realistic CEL volume for benchmarks: `calls` clones of the real captured calls (templates, see
 * call-template.ts), started at seeded random times over a span and written in the order one
 * Asterisk server would insert their rows into `asterisk.cel`, with fresh ids, uniqueids, channel
 * sequences, bridge ids, caller numbers and times (template-plan.ts lists what is rewritten).
 *
 * Streams: only the calls in flight are held (a min-heap keyed by each call's next row time; calls
 * last under ~2 minutes, so ~100 at 150 000 calls a day), never the millions of rows.
 *
 * @example
 * for (const { row, endsCall } of generateCelVolume({ calls: 150_000, startAt: Date.UTC(2027, 0, 11), seed: 1 })) {
 *   out.write(toCopyText(row));                        // COPY asterisk.cel (CEL_COPY_COLUMNS) FROM STDIN
 *   if (endsCall) expectCard(endsCall.linkedid, endsCall.endedAt);
 * }
 */

export type { VolumeCelRow } from './call-clone.ts';
export { type CallTemplate, DEFAULT_SCENARIOS_DIR, loadCallTemplates } from './call-template.ts';
export { CEL_COPY_COLUMNS, celCopySql, formatCelTime, toCopyChunks, toCopyText } from './copy-text.ts';

export interface CelVolumeOptions {
  /** Number of calls to generate (≥ 0). */
  calls: number;
  /** UTC epoch ms: the span starts here (the first call starts at or after it). */
  startAt: number;
  /** Length of the window over which call starts spread, ms. Default 24 h. */
  spanMs?: number;
  /** PRNG seed: same seed (and templates) → the same rows. */
  seed: number;
  /** Templates to clone (picked uniformly at random per call). Default: every captured call. */
  templates?: readonly CallTemplate[];
}

/** Set on the last row of a generated call (its final LINKEDID_END). */
export interface CallEnd {
  /** linkedid of the call's first channel (the reconciled call's `linkedid`). */
  linkedid: string;
  /** Every linkedid of the call (two for an attended transfer). */
  linkedids: string[];
  /** UTC epoch ms (µs fraction) of the call's last row = this row's eventTime. */
  endedAt: number;
  /** Name of the template cloned, e.g. `12-burst-20-concurrent#3`. */
  template: string;
}

export interface VolumeItem {
  /** The row; `id` counts 1, 2, 3… in output order. */
  row: VolumeCelRow;
  /** Present only on a call's last row. */
  endsCall?: CallEnd;
}

const DAY_MS = 86_400_000;

let defaultTemplates: CallTemplate[] | undefined;

/**
 * Rows of `calls` cloned calls, globally in insertion order (event time; rows sharing a
 * microsecond in call-arrival order; each call's rows in its template's cel.id order).
 */
export function* generateCelVolume(options: CelVolumeOptions): Generator<VolumeItem, void, undefined> {
  const { calls, startAt, seed, spanMs = DAY_MS } = options;
  if (!Number.isSafeInteger(calls) || calls < 0) throw new RangeError(`calls must be a count, got ${calls}`);
  if (!Number.isFinite(startAt)) throw new RangeError(`startAt must be epoch ms, got ${startAt}`);
  if (!(spanMs > 0)) throw new RangeError(`spanMs must be positive, got ${spanMs}`);
  if (!options.templates && !defaultTemplates) defaultTemplates = loadCallTemplates();
  const templates = options.templates ?? defaultTemplates ?? [];
  if (templates.length === 0) throw new Error('no call templates');
  const plans = templates.map(compileTemplate);

  const arrivalPrng = createPrng(seed, 1);
  const callPrng = createPrng(seed, 2);
  const arrivals = sortedUniformArrivals(calls, arrivalPrng);
  const startUs = Math.round(startAt * 1000);
  const spanUs = spanMs * 1000;
  const sequence: ChannelSequence = { value: 0 };
  const inFlight = new MinHeap<CallClone>(
    (a, b) => a.atUs < b.atUs || (a.atUs === b.atUs && a.order < b.order),
  );

  let arrived = 0;
  let nextArrivalUs: number | null = null;
  const pullArrival = (): void => {
    const step = arrivals.next();
    nextArrivalUs = step.done ? null : startUs + Math.floor(step.value * spanUs);
  };
  pullArrival();

  let id = 0;
  for (;;) {
    const head = inFlight.peek();
    if (nextArrivalUs !== null && (head === undefined || nextArrivalUs < head.atUs)) {
      const plan = plans[callPrng.int(plans.length)]!;
      inFlight.push(new CallClone(plan, nextArrivalUs, arrived++, callPrng, sequence));
      pullArrival();
      continue;
    }
    if (head === undefined) return;
    inFlight.pop();
    const row = head.take(++id);
    if (head.done) {
      const linkedids = head.linkedIds();
      yield {
        row,
        endsCall: { linkedid: linkedids[0]!, linkedids, endedAt: row.eventTime, template: head.plan.name },
      };
    } else {
      inFlight.push(head);
      yield { row };
    }
  }
}
