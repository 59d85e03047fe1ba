import { describe, expect, it } from 'vitest';
import { formatDuration, progressLine } from '../../src/collector/backfill-progress.ts';

describe('backfill progress line', () => {
  it('shows the share done, the counts, the rate and the time left at that rate', () => {
    expect(progressLine({ doneIds: 1_500_000, totalIds: 6_000_000, elapsedSec: 10 })).toBe(
      'catch-up: [#####...............] 25% 1,500,000/6,000,000 CEL ids, 150,000 ids/s, ETA 0:30',
    );
    expect(progressLine({ doneIds: 10, totalIds: 10, elapsedSec: 2 }, 4)).toBe(
      'catch-up: [####] 100% 10/10 CEL ids, 5 ids/s, ETA 0:00',
    );
  });

  it('has no rate or ETA before anything is read', () => {
    expect(progressLine({ doneIds: 0, totalIds: 100, elapsedSec: 0 }, 4)).toBe(
      'catch-up: [....] 0% 0/100 CEL ids, 0 ids/s, ETA ?',
    );
  });

  it('formats durations as m:ss or h:mm:ss', () => {
    expect(formatDuration(59.2)).toBe('1:00');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('?');
  });
});
