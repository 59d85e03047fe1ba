/**
 * IANA time-zone names for queue settings. Reports run in the queue's zone in Postgres and
 * ClickHouse, so only real Area/Location names (and `UTC`) are accepted, spelled as IANA spells
 * them: not offsets (`+03:00`), abbreviations (`EST`) or other casings (`europe/moscow`).
 */
const SUPPORTED = new Set(Intl.supportedValuesOf('timeZone'));

/** Area/Location[/Sub] with IANA's capitalised segments, e.g. `America/Argentina/Buenos_Aires`. */
const IANA_NAME = /^[A-Z][A-Za-z_-]*(?:\/[A-Z][A-Za-z0-9_+-]*)+$/;

/**
 * True for an IANA zone this runtime knows: listed by `Intl.supportedValuesOf('timeZone')`, `UTC`,
 * or a well-formed name ICU accepts that the list leaves out (an alias such as `Europe/Kyiv` on
 * older ICU, `Etc/GMT+3`).
 */
export function isIanaTimeZone(zone: string): boolean {
  if (zone === 'UTC' || SUPPORTED.has(zone)) return true;
  if (zone.length > 64 || !IANA_NAME.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
