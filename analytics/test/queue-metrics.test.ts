import { describe, expect, it } from 'vitest';
import { queueMetrics } from '../src/aggregate/index.ts';

/** Figures worked by hand: 6 offered, 3 answered (waits 2, 10, 30), 2 abandoned (3 s short, 12 s), 1 missed. */
const calls = [
  { status: 'answered', queue_wait_sec: 2, talk_sec: 60, hold_sec: 0 },
  { status: 'answered', queue_wait_sec: 10, talk_sec: 100, hold_sec: 20 },
  { status: 'answered', queue_wait_sec: 30, talk_sec: 40, hold_sec: 0 },
  { status: 'abandoned', queue_wait_sec: 3, talk_sec: 0, hold_sec: 0 },
  { status: 'abandoned', queue_wait_sec: 12, talk_sec: 0, hold_sec: 0 },
  { status: 'missed', queue_wait_sec: 21, talk_sec: 0, hold_sec: 0 },
];

describe('queueMetrics', () => {
  it('computes the standard definitions', () => {
    const m = queueMetrics(calls, { serviceLevelSec: 20, shortAbandonSec: 5 });
    expect(m).toMatchObject({ offered: 6, answered: 3, abandoned: 2, shortAbandoned: 1, missed: 1 });
    expect(m.answerRate).toBeCloseTo(0.5);
    expect(m.abandonRate).toBeCloseTo(2 / 6);
    // answered within 20 s: 2 (waits 2 and 10) / (6 offered − 1 short abandon)
    expect(m.serviceLevel).toBeCloseTo(2 / 5);
    expect(m.asa).toBeCloseTo(14);
    expect(m.aht).toBeCloseTo(220 / 3);
  });

  it('gives nulls, not NaN, for an empty queue', () => {
    const m = queueMetrics([]);
    expect(m).toMatchObject({ offered: 0, answerRate: null, serviceLevel: null, asa: null, aht: null });
  });
});
