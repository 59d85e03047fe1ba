import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCapture } from '../../src/replay/capture-files.ts';
import { freshCapture } from '../../src/replay/fresh-capture.ts';
import { parseAsteriskTime } from '../../src/sources/asterisk-time.ts';
import { SCENARIOS_DIR } from '../fixtures.ts';

/**
 * The live demo's capture made new (`npm start -- --demo-live`): the real capture 10 (an attended
 * transfer, whose CEL `extra` names channels by uniqueid) moved to a given instant.
 */
describe('freshCapture', () => {
  const capture = readCapture(join(SCENARIOS_DIR, '10-attended-transfer-refer-replaces'));
  const startsAt = Date.parse('2026-12-07T23:00:00.000Z');

  it('moves every time by the same amount, first CEL row at the given instant (whole seconds), layout and microseconds kept', () => {
    for (const zone of ['UTC', 'Europe/Moscow']) {
      const fresh = freshCapture(capture, startsAt, zone);
      const at = (text: string) => parseAsteriskTime(text, zone)!;
      const delta = at(fresh.cel[0]!.eventtime!) - at(capture.cel[0]!.eventtime!);
      expect(Math.abs(at(fresh.cel[0]!.eventtime!) - startsAt)).toBeLessThanOrEqual(500);
      expect(delta % 1000).toBe(0);
      fresh.cel.forEach((row, i) => {
        const before = capture.cel[i]!.eventtime!;
        expect(row.eventtime).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?$/);
        expect(row.eventtime!.slice(23)).toBe(before.slice(23));
        expect(Math.abs(at(row.eventtime!) - at(before) - delta)).toBeLessThan(1);
      });
      for (const [i, row] of fresh.cdr.entries()) {
        const before = capture.cdr[i]!;
        if (before.answer) expect(Math.abs(at(row.answer!) - at(before.answer) - delta)).toBeLessThan(1);
        else expect(row.answer).toBe(before.answer);
      }
    }
  });

  it('moves the uniqueids and linkedids by the same seconds, inside CEL extra too, so a replay is a new call', () => {
    const fresh = freshCapture(capture, startsAt, 'UTC');
    const seconds = Math.round((startsAt - parseAsteriskTime(capture.cel[0]!.eventtime!, 'UTC')!) / 1000);
    expect(seconds).toBeGreaterThan(0);
    const moved = (id: string) => {
      const [epoch, seq] = id.split('.');
      return `${Number(epoch) + seconds}.${seq}`;
    };
    fresh.cel.forEach((row, i) => {
      expect(row.uniqueid).toBe(moved(capture.cel[i]!.uniqueid!));
      expect(row.linkedid).toBe(moved(capture.cel[i]!.linkedid!));
    });
    for (const [i, row] of fresh.cdr.entries()) expect(row.linkedid).toBe(moved(capture.cdr[i]!.linkedid!));
    const transfer = fresh.cel.find((r) => r.eventtype === 'ATTENDEDTRANSFER')!;
    expect(JSON.parse(transfer.extra!)).toMatchObject({
      transferee_channel_uniqueid: moved('1795235377.75'),
      transfer_target_channel_uniqueid: moved('1795235384.80'),
      channel2_uniqueid: moved('1795235384.79'),
    });
    // The input is left as it was.
    expect(capture.cel[0]!.linkedid).toBe('1795235377.75');
  });
});
