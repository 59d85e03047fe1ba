/**
 * How report figures are shown: shares as percentages with one decimal, seconds with one decimal
 * (ASA, AHT) or as h:mm:ss (totals), counts with the language's grouping. Null (no denominator)
 * shows as a dash, never NaN.
 */

const locale = (language: string) => (language === 'ru' ? 'ru-RU' : 'en-US');

/** A share (0.873) as a percentage with one decimal in the language's format; `—` for null. */
export function formatPercent(share: number | null, language: string): string {
  if (share === null || !Number.isFinite(share)) return '—';
  return new Intl.NumberFormat(locale(language), {
    style: 'percent',
    maximumFractionDigits: 1,
    minimumFractionDigits: 1,
  }).format(share);
}

/** Seconds with one decimal in the language's format; `—` for null. */
export function formatSeconds(seconds: number | null, language: string): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  return new Intl.NumberFormat(locale(language), {
    maximumFractionDigits: 1,
    minimumFractionDigits: 1,
  }).format(seconds);
}

/** A count with the language's digit grouping. */
export function formatNumber(value: number, language: string): string {
  return new Intl.NumberFormat(locale(language)).format(value);
}

/** A share as a CSV number: percent with one decimal (null stays empty). */
export const csvPercent = (share: number | null): number | null =>
  share === null || !Number.isFinite(share) ? null : Math.round(share * 1000) / 10;

/** Seconds as a CSV number with one decimal. */
export const csvSeconds = (seconds: number | null): number | null =>
  seconds === null || !Number.isFinite(seconds) ? null : Math.round(seconds * 10) / 10;
