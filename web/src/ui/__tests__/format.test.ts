import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatDateTime, formatDuration, formatTime } from '../format.ts';

describe('display formats', () => {
  it('shows an instant in the given zone', () => {
    expect(formatDateTime('2026-11-21T04:21:48Z', 'Europe/Moscow', 'ru')).toBe('21.11.2026, 07:21:48');
    expect(formatTime('2026-11-21T04:21:48.000Z', 'Asia/Yekaterinburg', 'ru')).toBe('09:21:48');
    expect(formatDateTime(null, 'UTC', 'ru')).toBe('—');
  });

  it('shows durations as m:ss or h:mm:ss', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(9.6)).toBe('0:10');
    expect(formatDuration(61)).toBe('1:01');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(null)).toBe('—');
  });

  it('groups digits the way each language does', () => {
    expect(formatCount(10_000, 'ru')).toBe('10\u00a0000');
    expect(formatCount(10_000, 'en')).toBe('10,000');
    expect(formatBytes(1536, 'en')).toBe('1.5 KB');
    expect(formatBytes(5 * 1024 ** 3, 'ru')).toBe('5 ГБ');
  });
});
