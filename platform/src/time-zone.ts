import { IANAZone } from 'luxon';

/**
 * Throws a RangeError (`unknown time zone "X"`) for a name that is neither `UTC` nor an IANA zone
 * luxon knows. Used by the configuration (`ASTERISK_SERVERS`, `ARCHIVE_TZ`) and by commands that
 * take `--tz`.
 */
export function assertTimeZone(zone: string): void {
  if (zone !== 'UTC' && !IANAZone.isValidZone(zone)) throw new RangeError(`unknown time zone "${zone}"`);
}
