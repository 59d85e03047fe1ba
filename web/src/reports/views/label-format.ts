import { DateTime } from 'luxon';

/** `2026-11-21` → `21.11.2026` (ru) / `11/21/2026` (en); other labels unchanged. */
export function formatDay(day: string, language: string): string {
  const date = DateTime.fromISO(day, { zone: 'utc' });
  return date.isValid ? date.setLocale(language).toLocaleString(DateTime.DATE_SHORT) : day;
}

/** An empty dictionary value shown in tables. */
export const orNotSet = (value: string, notSet: string) => (value === '' ? notSet : value);
