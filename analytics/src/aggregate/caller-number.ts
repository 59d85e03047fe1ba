import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * The caller's number as one key for "is this the same customer" (docs/metrics.md#repeat-callers-and-fcr),
 * the same rule as the callbacks' (docs/metrics.md#callbacks-owed): E.164 by libphonenumber-js,
 * local formats read in `region` (Russia by default), so `89161234567`, `79161234567`,
 * `9161234567` and `+7 (916) 123-45-67` are all `+79161234567`. Extensions (fewer than 7 digits),
 * anonymous callers and anything that is not a possible number give null: such calls are
 * "unidentified" and never match another call. Browser-safe.
 */
export function normaliseCallerNumber(
  raw: string | null | undefined,
  region: CountryCode = 'RU',
): string | null {
  if (!raw) return null;
  const text = raw.trim();
  if (text.replace(/\D/g, '').length < 7) return null;
  const parsed = parsePhoneNumberFromString(text, region);
  if (!parsed?.isPossible()) return null;
  return parsed.number;
}
