import { DateTime } from 'luxon';
import { parseAsteriskTime } from '../sources/asterisk-time.ts';
import type { CaptureRecords } from './capture-files.ts';

/**
 * A capture made new, for the live demo (`npm start -- --demo-live`, README.md "Live calls"):
 * the same rows, their times moved so the capture's first row is at `startsAt`, and every
 * uniqueid / linkedid moved by the same number of seconds (Asterisk's uniqueid is
 * `<epoch seconds of the channel's creation>.<sequence>`), so a capture replayed again is a new
 * call (new linkedids) whose CEL is fresh on the server's clock — what screen-pops need (the CEL
 * side pops only rings younger than a minute, live/src/cel-ringing.ts).
 *
 * Times are Asterisk's text (`eventtime`, CDR `start`/`answer`/`end`: local time of the server's
 * zone without an offset, microseconds); the moved text keeps that layout and the microsecond
 * digits. Ids also move inside CEL `extra` (transfer events name channels by uniqueid).
 */

const TIME_COLUMNS = { cel: ['eventtime'], cdr: ['start', 'answer', 'end'] } as const;
const ID_COLUMNS = ['uniqueid', 'linkedid'] as const;
const ASTERISK_ID = /^(\d+)\.(\d+)$/;

/** `text` (a server-local Asterisk time) moved by `deltaMs`, in the same layout; '' stays ''. */
function moveTime(text: string, deltaMs: number, zone: string): string {
  if (!text) return text;
  const at = parseAsteriskTime(text, zone);
  if (at === null) return text;
  const fraction = /\.(\d+)$/.exec(text)?.[1] ?? '';
  const moved = DateTime.fromMillis(Math.floor(at) + deltaMs, { zone });
  // deltaMs is whole seconds: the fraction digits stay as they were.
  const whole = moved.toFormat('yyyy-MM-dd HH:mm:ss');
  return fraction ? `${whole}.${fraction}` : whole;
}

/**
 * The capture moved by whole seconds so its first CEL row is at `startsAt` (UTC epoch ms, within
 * half a second) on a server in `zone`, its ids moved by the same seconds. Pure; the input is not
 * changed.
 */
export function freshCapture(capture: CaptureRecords, startsAt: number, zone: string): CaptureRecords {
  const first = Math.min(
    ...capture.cel.map((r) => parseAsteriskTime(r.eventtime ?? '', zone) ?? Number.POSITIVE_INFINITY),
  );
  if (!Number.isFinite(first)) return capture;
  // Whole seconds: CDR times have no fraction, and the ids move by the same seconds.
  const deltaSec = Math.round((startsAt - first) / 1000);
  const deltaMs = deltaSec * 1000;
  const ids = new Map<string, string>();
  const idOf = (id: string) => {
    const match = ASTERISK_ID.exec(id);
    if (!match) return id;
    let moved = ids.get(id);
    if (moved === undefined) {
      moved = `${Number(match[1]) + deltaSec}.${match[2]}`;
      ids.set(id, moved);
    }
    return moved;
  };
  const move = (table: 'cel' | 'cdr', record: Record<string, string>) => {
    const next = { ...record };
    for (const column of TIME_COLUMNS[table])
      if (next[column] !== undefined) next[column] = moveTime(next[column]!, deltaMs, zone);
    for (const column of ID_COLUMNS) if (next[column] !== undefined) next[column] = idOf(next[column]!);
    return next;
  };
  const cel = capture.cel.map((r) => move('cel', r));
  const cdr = capture.cdr.map((r) => move('cdr', r));
  // Uniqueids named inside `extra` (JSON strings): moved like the columns.
  for (const row of cel)
    if (row.extra)
      row.extra = row.extra.replace(/"(\d+\.\d+)"/g, (whole, id: string) =>
        ids.has(id) ? `"${ids.get(id)}"` : whole,
      );
  return { name: capture.name, cel, cdr };
}
