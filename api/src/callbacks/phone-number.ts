import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * Phone numbers as one key for "is this the same customer" (docs/metrics.md#callbacks-owed): E.164 by libphonenumber-js, local formats read in the default region. In Russia
 * `89161234567`, `79161234567`, `9161234567` and `+7 (916) 123-45-67` are all `+79161234567`.
 * Internal extensions (`101`), anonymous callers and garbage are not possible numbers and give
 * null, so they never match anything.
 *
 * @example
 * normalisePhoneNumber('89161234567'); // '+79161234567'
 * normalisePhoneNumber('101'); // null
 */
export const DEFAULT_PHONE_REGION: CountryCode = 'RU';

/**
 * `raw` as E.164 (`+79161234567`), read in `region` when it has no country code; null for an
 * extension, an anonymous caller or anything that is not a possible number (see above).
 */
export function normalisePhoneNumber(
  raw: string | null | undefined,
  region: CountryCode = DEFAULT_PHONE_REGION,
): string | null {
  if (!raw) return null;
  const text = raw.trim();
  // Short dial strings are extensions or service codes, never a customer's number.
  if (text.replace(/\D/g, '').length < 7) return null;
  const parsed = parsePhoneNumberFromString(text, region);
  if (!parsed?.isPossible()) return null;
  return parsed.number;
}
