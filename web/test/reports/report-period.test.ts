import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { journalLink, slotEnd, weekEnd } from '../../src/reports/drill-down.ts';
import { presetPeriods, type ReportSearch } from '../../src/reports/report-period.ts';

/** The period presets and the drill-down URLs of the reports (web/src/reports). */

describe('presetPeriods', () => {
  it('gives today, yesterday, Monday weeks, calendar months and 30 days in the zone', () => {
    // Wednesday 3 Dec 2026, 22:30 UTC = Thursday 4 Dec 01:30 in Moscow.
    const now = DateTime.fromISO('2026-12-03T22:30:00Z');
    expect(presetPeriods('Europe/Moscow', now)).toEqual({
      today: ['2026-12-04', '2026-12-04'],
      yesterday: ['2026-12-03', '2026-12-03'],
      thisWeek: ['2026-11-30', '2026-12-04'],
      lastWeek: ['2026-11-23', '2026-11-29'],
      thisMonth: ['2026-12-01', '2026-12-04'],
      lastMonth: ['2026-11-01', '2026-11-30'],
      last30: ['2026-11-05', '2026-12-04'],
    });
    expect(presetPeriods('UTC', now).today).toEqual(['2026-12-03', '2026-12-03']);
  });
});

describe('journalLink', () => {
  const report: ReportSearch = {
    from: '2026-11-18',
    to: '2026-11-24',
    queue: '',
    operator: '101',
    category: '',
    direction: '',
  };

  it('carries the period in the report zone, the slice and what the figure adds', () => {
    const url = new URL(
      journalLink(report, 'Europe/Moscow', {
        direction: 'inbound',
        status: 'abandoned',
        timeFrom: '09:15',
        timeTo: slotEnd(9 * 60 + 15, 15),
      }) ?? '',
      'http://x',
    );
    expect(url.pathname).toBe('/journal');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      from: '2026-11-18',
      to: '2026-11-24',
      tz: 'Europe/Moscow',
      operator: '101',
      direction: 'inbound',
      status: 'abandoned',
      time_from: '09:15',
      time_to: '09:30',
    });
  });

  it('clips a week to the period and refuses a slice the journal cannot express', () => {
    const url = new URL(
      journalLink(report, 'UTC', { from: '2026-11-23', to: weekEnd('2026-11-23') }) ?? '',
      'http://x',
    );
    expect(url.searchParams.get('from')).toBe('2026-11-23');
    expect(url.searchParams.get('to')).toBe('2026-11-24');
    expect(slotEnd(23 * 60, 60)).toBe('24:00');
    expect(journalLink({ ...report, category: 'Жалоба' }, 'UTC')).toBeNull();
  });
});
