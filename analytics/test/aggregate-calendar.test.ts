import { describe, expect, it } from 'vitest';
import { LocalCalendar } from '../src/aggregate/index.ts';

/** Local days and weeks of a queue's zone, across DST changes and half-hour zones. */
describe('LocalCalendar', () => {
  it('puts 21:30 UTC on Sunday into Monday in Moscow (UTC+3, no DST)', () => {
    const cal = new LocalCalendar(
      Date.parse('2025-03-02T21:00:00Z'),
      Date.parse('2025-03-16T21:00:00Z'),
      'Europe/Moscow',
    );
    expect(cal.days[0]).toBe('2025-03-03');
    expect(cal.days).toHaveLength(14);
    expect(cal.weeks).toEqual(['2025-03-03', '2025-03-10']);
    expect(cal.days[cal.dayIndex(Date.parse('2025-03-02T21:30:00Z'))]).toBe('2025-03-03');
    expect(cal.dayIndex(Date.parse('2025-03-02T20:59:59.999Z'))).toBe(-1);
    expect(cal.dayIndex(Date.parse('2025-03-16T21:00:00Z'))).toBe(-1);
    expect(cal.weeks[cal.weekIndex(Date.parse('2025-03-09T21:10:00Z'))]).toBe('2025-03-10');
  });

  it('has a 23-hour day when Berlin springs forward and a 25-hour one when it falls back', () => {
    const spring = new LocalCalendar(
      Date.parse('2025-03-29T00:00:00Z'),
      Date.parse('2025-03-31T22:00:00Z'),
      'Europe/Berlin',
    );
    expect(spring.days).toEqual(['2025-03-29', '2025-03-30', '2025-03-31']);
    expect(spring.dayStarts[2]! - spring.dayStarts[1]!).toBe(23 * 3_600_000);
    // 23:30 local on 30 March is 21:30 UTC (CEST, UTC+2): still the 30th; 22:30 UTC is the 31st.
    expect(spring.days[spring.dayIndex(Date.parse('2025-03-30T21:30:00Z'))]).toBe('2025-03-30');
    expect(spring.days[spring.dayIndex(Date.parse('2025-03-30T22:30:00Z'))]).toBe('2025-03-31');
    // 23:30 UTC on the 29th is 00:30 CET on the 30th.
    expect(spring.days[spring.dayIndex(Date.parse('2025-03-29T23:30:00Z'))]).toBe('2025-03-30');
    const autumn = new LocalCalendar(
      Date.parse('2025-10-25T12:00:00Z'),
      Date.parse('2025-10-28T00:00:00Z'),
      'Europe/Berlin',
    );
    expect(autumn.dayStarts[2]! - autumn.dayStarts[1]!).toBe(25 * 3_600_000);
    expect(autumn.days[autumn.dayIndex(Date.parse('2025-10-26T22:59:00Z'))]).toBe('2025-10-26');
    expect(autumn.days[autumn.dayIndex(Date.parse('2025-10-26T23:00:00Z'))]).toBe('2025-10-27');
  });

  it('handles half-hour zones and weeks cut by the period', () => {
    const india = new LocalCalendar(
      Date.parse('2025-03-05T18:30:00Z'),
      Date.parse('2025-03-12T18:30:00Z'),
      'Asia/Kolkata',
    );
    // Thursday 6 March 00:00 IST = 5 March 18:30 UTC.
    expect(india.days[0]).toBe('2025-03-06');
    expect(india.weeks).toEqual(['2025-03-03', '2025-03-10']);
    expect(india.days[india.dayIndex(Date.parse('2025-03-06T18:29:59Z'))]).toBe('2025-03-06');
    expect(india.days[india.dayIndex(Date.parse('2025-03-06T18:30:00Z'))]).toBe('2025-03-07');
  });

  it('refuses an unknown zone and an empty period', () => {
    expect(() => new LocalCalendar(0, 86_400_000, 'Mars/Olympus')).toThrow(/unknown time zone/);
    expect(() => new LocalCalendar(5, 5, 'UTC')).toThrow(/end after/);
  });
});
