import { runPbxLiveBench } from '@callcenter/api/bench/live-pbx';
import { describe, expect, it } from 'vitest';

/**
 * `npm run bench:live -- --pbx` at a tiny size (api/bench/live-pbx-bench.ts): it runs, measures
 * every call it placed, and finds each card equal to what the SIP peers did. No time is asserted
 * (the figures are the bench's to print).
 */
describe('bench:live --pbx at a tiny size', () => {
  it('places the calls, pops each on its operator stream, and every card matches the scenario', async () => {
    const figures = await runPbxLiveBench({
      calls: 6,
      concurrency: 3,
      rate: 2,
      operators: 4,
      ringMs: 300,
      talkMs: 2000,
      log: () => {},
    });
    expect(figures.mismatches).toEqual([]);
    expect(figures).toMatchObject({ calls: 6, pops: 6, mismatched_calls: 0 });
    expect(figures.max_concurrent_calls).toBeGreaterThanOrEqual(2);
    expect(figures.max_concurrent_calls).toBeLessThanOrEqual(3);
    for (const key of ['pop_p50_ms', 'pop_p95_ms', 'card_p95_ms', 'fact_p95_ms'] as const)
      expect(Number.isFinite(figures[key]), key).toBe(true);
  });
});
