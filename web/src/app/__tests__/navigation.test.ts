import { describe, expect, it } from 'vitest';
import { canOpen, homePath, sectionsFor } from '../navigation.ts';

describe('navigation by role', () => {
  it('gives each role its sections in order', () => {
    expect(sectionsFor('operator').map((s) => s.id)).toEqual(['operator', 'journal', 'sessions']);
    expect(sectionsFor('supervisor').map((s) => s.id)).toEqual([
      'journal',
      'reports',
      'live',
      'missed',
      'sessions',
    ]);
    expect(sectionsFor('admin').map((s) => s.id)).toEqual([
      'operator',
      'journal',
      'reports',
      'live',
      'missed',
      'sessions',
      'admin',
    ]);
  });

  it('keeps operators out of reports and administration, supervisors out of administration', () => {
    expect(canOpen('operator', 'reports')).toBe(false);
    expect(canOpen('operator', 'admin')).toBe(false);
    expect(canOpen('operator', 'missed')).toBe(false);
    expect(canOpen('operator', 'sessions')).toBe(true);
    expect(canOpen('operator', 'live')).toBe(false);
    expect(canOpen('supervisor', 'live')).toBe(true);
    expect(canOpen('supervisor', 'admin')).toBe(false);
    expect(canOpen('supervisor', 'operator')).toBe(false);
    expect(canOpen('admin', 'admin')).toBe(true);
  });

  it('lands operators on the workspace and the others on the journal', () => {
    expect(homePath('operator')).toBe('/operator');
    expect(homePath('supervisor')).toBe('/journal');
    expect(homePath('admin')).toBe('/journal');
  });
});
