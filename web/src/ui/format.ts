import { DateTime } from 'luxon';

/**
 * Display formats shared by every page. Times arrive from the API as ISO 8601 UTC instants and are
 * shown in a given IANA zone (the call's queue zone, else the browser's): luxon does the zone
 * arithmetic, Intl the digits.
 */

/** The browser's IANA zone, e.g. `Europe/Moscow`. */
export const browserTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/** `2026-11-21T04:21:48Z` in `Europe/Moscow` → `21.11.2026 07:21:48` (ru) / `11/21/2026, 7:21:48 AM` (en). */
export function formatDateTime(iso: string | null | undefined, zone: string, language: string): string {
  if (!iso) return '—';
  const time = DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone);
  if (!time.isValid) return iso;
  return time.setLocale(language).toLocaleString({
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

/**
 * The compact form for dense tables: two-digit year, e.g. `21.11.26, 07:21:48` (ru) /
 * `11/21/26, 7:21:48 AM` (en).
 */
export function formatDateTimeShort(iso: string | null | undefined, zone: string, language: string): string {
  if (!iso) return '—';
  const time = DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone);
  if (!time.isValid) return iso;
  return time.setLocale(language).toLocaleString({
    year: '2-digit',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

/** Only the time of day, e.g. `07:21:48`. */
export function formatTime(iso: string | null | undefined, zone: string, language: string): string {
  if (!iso) return '—';
  const time = DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone);
  return time.isValid ? time.setLocale(language).toLocaleString(DateTime.TIME_WITH_SECONDS) : iso;
}

/** The zone's short name at that instant, e.g. `MSK` or `UTC+3`. */
export function zoneAbbreviation(iso: string | null | undefined, zone: string, language: string): string {
  const time = (iso ? DateTime.fromISO(iso, { zone: 'utc' }) : DateTime.utc())
    .setZone(zone)
    .setLocale(language);
  return time.isValid ? time.offsetNameShort || time.toFormat('ZZ') : zone;
}

/** Seconds as `m:ss` or `h:mm:ss` (durations of calls; fractions are rounded). */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/** A count with the language's grouping, e.g. `10 000` (ru) / `10,000` (en). */
export function formatCount(value: number, language: string): string {
  return new Intl.NumberFormat(language === 'ru' ? 'ru-RU' : 'en-US').format(value);
}

/** Bytes as `1.2 MB`-style text in the language's digits. */
export function formatBytes(bytes: number | null | undefined, language: string): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  const units = language === 'ru' ? ['Б', 'КБ', 'МБ', 'ГБ', 'ТБ'] : ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${new Intl.NumberFormat(language === 'ru' ? 'ru-RU' : 'en-US', { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}
