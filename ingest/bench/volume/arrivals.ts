import type { Prng } from './prng.ts';

/**
 * Call arrival times: `count` points spread over [0, 1) in ascending order, distributed as the
 * sorted order statistics of `count` uniform draws — i.e. a Poisson process conditioned on exactly
 * `count` arrivals in the window. Streams in O(1) memory: each next point is the minimum of the
 * remaining uniforms on what is left of the interval (t += (1 − t)(1 − U^(1/remaining))).
 *
 * @returns fractions of the span, non-decreasing, each in [0, 1).
 */
export function* sortedUniformArrivals(count: number, prng: Prng): Generator<number> {
  let t = 0;
  for (let remaining = count; remaining > 0; remaining--) {
    t += (1 - t) * (1 - prng.float() ** (1 / remaining));
    yield Math.min(t, 1 - Number.EPSILON);
  }
}
