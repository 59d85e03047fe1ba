import { describe, expect, it } from 'vitest';
import { parseAsteriskTime } from '../../src/sources/asterisk-time.ts';

/** eventtime is `timestamp without time zone` in the server's local time (fixtures README). */
describe('parseAsteriskTime', () => {
  const iso = (text: string, zone?: string) => {
    const ms = parseAsteriskTime(text, zone);
    return ms === null ? null : new Date(Math.floor(ms)).toISOString();
  };

  it('keeps microseconds as the fraction of a millisecond', () => {
    expect(parseAsteriskTime('2026-11-21 04:21:48.957551')! % 1000).toBeCloseTo(957.551, 3); // within a microsecond
    expect(iso('2026-11-21 04:21:48.96042')).toBe('2026-11-21T04:21:48.960Z');
  });

  it('reads local time in the server zone, across a DST change', () => {
    expect(iso('2026-11-21 04:21:48', 'Europe/Moscow')).toBe('2026-11-21T01:21:48.000Z');
    expect(iso('2026-07-01 12:00:00', 'Europe/Berlin')).toBe('2026-07-01T10:00:00.000Z');
    expect(iso('2026-12-01 12:00:00', 'Europe/Berlin')).toBe('2026-12-01T11:00:00.000Z');
  });

  it('keeps an explicit offset, and reads epoch seconds as UTC', () => {
    expect(iso('2026-11-21 04:21:48+03', 'Europe/Berlin')).toBe('2026-11-21T01:21:48.000Z');
    expect(iso('2026-11-21T04:21:48Z', 'Europe/Moscow')).toBe('2026-11-21T04:21:48.000Z');
    expect(iso('1795234908.957551', 'Europe/Moscow')).toBe('2026-11-21T04:21:48.957Z');
  });

  it('refuses what is not a timestamp', () => {
    for (const bad of [
      '',
      'garbage',
      '2026-13-01 00:00:00',
      '2026-11-21 25:00:00',
      '2026-11-21 04:21:48.x',
    ]) {
      expect(parseAsteriskTime(bad), bad).toBeNull();
    }
  });
});
