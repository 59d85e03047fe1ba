import { describe, expect, it } from 'vitest';
import { alarmOf, SERVICE_LEVEL_TARGET, slAlarmOf } from '../wallboard-alarms.ts';

describe('wallboard alarm colours', () => {
  it('turns the longest wait yellow from half of T and red from T (the queue service-level threshold)', () => {
    expect(alarmOf(0, 20)).toBe('ok');
    expect(alarmOf(9, 20)).toBe('ok');
    expect(alarmOf(10, 20)).toBe('warn');
    expect(alarmOf(19, 20)).toBe('warn');
    expect(alarmOf(20, 20)).toBe('alarm');
    expect(alarmOf(45, 30)).toBe('alarm');
  });

  it('turns the service level red below the target, yellow within 10 points above it, never for no calls', () => {
    expect(SERVICE_LEVEL_TARGET).toBe(0.8);
    expect(slAlarmOf(null)).toBe('ok');
    expect(slAlarmOf(0.79)).toBe('alarm');
    expect(slAlarmOf(0.8)).toBe('warn');
    expect(slAlarmOf(0.89)).toBe('warn');
    expect(slAlarmOf(0.9)).toBe('ok');
    expect(slAlarmOf(1)).toBe('ok');
  });
});
