import { ApiError } from '../../errors/api-error.ts';
import type { SortKey } from './call-schemas.ts';

/**
 * The keyset cursor of `GET /calls`: base64url of the JSON `[sort value, id]` of the last row of
 * a page. `started_at` travels as text with microseconds (`2026-11-21T04:21:48.957123Z`, as the
 * database formats it: a JS Date would drop the microseconds and skip or repeat rows), the
 * `*_sec` columns as numbers (float8 round-trips exactly through JSON).
 */
export interface CursorPosition {
  value: string | number;
  id: number;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

/** Encodes the position after which the next page starts. */
export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.value, position.id]), 'utf8').toString('base64url');
}

const invalid = () =>
  new ApiError(400, 'validation_failed', 'the request is not valid', [
    {
      path: ['cursor'],
      message: 'not a cursor of this listing: pass nextCursor unchanged, with the same sort',
    },
  ]);

/** Decodes a cursor for the given sort; 400 when it is not one this API made for that sort. */
export function decodeCursor(cursor: string, sort: SortKey): CursorPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw invalid();
  const [value, id] = parsed as [unknown, unknown];
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) throw invalid();
  if (sort === 'started_at') {
    if (typeof value !== 'string' || !TIMESTAMP.test(value) || Number.isNaN(Date.parse(value)))
      throw invalid();
  } else if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalid();
  }
  return { value, id };
}
