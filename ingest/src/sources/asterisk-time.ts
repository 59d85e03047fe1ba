import { DateTime } from 'luxon';

/**
 * Asterisk writes `eventtime` (CEL) and `start/answer/end` (CDR) as `timestamp without time zone`
 * in the server's local time, with microseconds (fixtures README). This turns such text into UTC
 * epoch milliseconds (fraction = microseconds) in the server's IANA time zone; text with an explicit
 * offset (`+03`, `Z`) keeps its own. Offsets come from luxon's IANA database, cached per zone and
 * local hour so a million rows cost a million regex matches, not a million zone look-ups.
 */

const PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;

const offsetCache = new Map<string, number>();

/** Offset (minutes) of `zone` at the given local wall-clock hour. */
function zoneOffsetMinutes(zone: string, y: number, mo: number, d: number, h: number): number {
  const cacheKey = `${zone}|${y}-${mo}-${d}T${h}`;
  let offset = offsetCache.get(cacheKey);
  if (offset === undefined) {
    const local = DateTime.fromObject({ year: y, month: mo, day: d, hour: h }, { zone });
    offset = local.isValid ? local.offset : 0;
    if (offsetCache.size > 100_000) offsetCache.clear();
    offsetCache.set(cacheKey, offset);
  }
  return offset;
}

const hourCache = new Map<string, number>();

/** Digit at position i of s, or NaN. */
const digit = (s: string, i: number): number => {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : Number.NaN;
};

/**
 * Fast path for the exact layout Postgres and cel_pgsql write (`YYYY-MM-DD HH:MM:SS[.f…]`, no
 * offset): the UTC epoch of each local hour is computed once per zone and cached.
 */
function parseFixedLayout(text: string, zone: string): number | null {
  const n = text.length;
  if (n < 19 || text.charCodeAt(4) !== 45 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58)
    return null;
  if (n > 19 && text.charCodeAt(19) !== 46) return null;
  const hourKey = zone + text.slice(0, 13);
  let hourMs = hourCache.get(hourKey);
  if (hourMs === undefined) {
    const parsed = parseAsteriskTimeSlow(`${text.slice(0, 13)}:00:00`, zone);
    if (parsed === null) return null;
    hourMs = parsed;
    if (hourCache.size > 50_000) hourCache.clear();
    hourCache.set(hourKey, hourMs);
  }
  const minutes = digit(text, 14) * 10 + digit(text, 15);
  const seconds = digit(text, 17) * 10 + digit(text, 18);
  if (!(minutes <= 59 && seconds <= 60)) return null;
  let fractionMs = 0;
  if (n > 20) {
    let scale = 100;
    for (let i = 20; i < n; i++) {
      const d = digit(text, i);
      if (Number.isNaN(d)) return null;
      fractionMs += d * scale;
      scale /= 10;
    }
  }
  return hourMs + minutes * 60_000 + seconds * 1000 + fractionMs;
}

/**
 * Parses `2026-11-21 04:21:48.957551` (local to `zone`) → UTC epoch ms (`1795235... .551` µs kept as
 * the fraction); text with an offset keeps it; bare epoch seconds are UTC. Returns null for text
 * that is not such a timestamp.
 */
export function parseAsteriskTime(text: string, zone = 'UTC'): number | null {
  return parseFixedLayout(text, zone) ?? parseAsteriskTimeSlow(text, zone);
}

/** Epoch seconds with an optional fraction (`1795234908.957551`), as some exports write eventtime. */
const EPOCH_SECONDS = /^\d{9,11}(\.\d{1,9})?$/;

function parseAsteriskTimeSlow(text: string, zone: string): number | null {
  const trimmed = text.trim();
  if (EPOCH_SECONDS.test(trimmed)) return Number(trimmed) * 1000;
  const m = PATTERN.exec(trimmed);
  if (!m) return null;
  const [, ys, mos, ds, hs, mis, ss, frac, tz] = m;
  const y = Number(ys);
  const mo = Number(mos);
  const d = Number(ds);
  const h = Number(hs);
  const mi = Number(mis);
  const s = Number(ss);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  const fractionMs = frac ? Number(`0.${frac}`) * 1000 : 0;
  const wallClockMs = Date.UTC(y, mo - 1, d, h, mi, s) + fractionMs;
  let offsetMinutes: number;
  if (tz === 'Z') offsetMinutes = 0;
  else if (tz) {
    const sign = tz.startsWith('-') ? -1 : 1;
    const digits = tz.slice(1).replace(':', '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
  } else offsetMinutes = zone === 'UTC' ? 0 : zoneOffsetMinutes(zone, y, mo, d, h);
  return wallClockMs - offsetMinutes * 60_000;
}
