import type { CdrRow, CelRow } from './types.ts';

/**
 * Drops rows that repeat another row in everything but `id` (a capture replayed twice, a backend
 * that retried an insert that had in fact succeeded). Asterisk never writes two identical CEL rows
 * for one channel: its timestamps have microseconds. Keeps the lowest id.
 */

const SEP = '\u0000';

/** Identity of a CEL row's content: the fields that tell two events apart (cheap to build). */
const celKey = (r: CelRow): string =>
  r.serverId +
  SEP +
  r.uniqueId +
  SEP +
  r.linkedId +
  SEP +
  r.eventType +
  SEP +
  r.eventTime +
  SEP +
  r.appName +
  SEP +
  r.appData +
  SEP +
  r.exten +
  SEP +
  r.context +
  SEP +
  r.extra +
  SEP +
  r.userDefType +
  SEP +
  r.peer;

const cdrKey = (r: CdrRow): string => {
  const { id: _id, ...content } = r;
  return JSON.stringify(content);
};

function dedupe<T extends { id: number }>(rows: readonly T[], key: (row: T) => string): T[] {
  const seen = new Set<string>();
  const sorted = [...rows].sort((a, b) => a.id - b.id);
  return sorted.filter((row) => {
    const k = key(row);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export const withoutDuplicateCel = (rows: readonly CelRow[]): CelRow[] => dedupe(rows, celKey);
export const withoutDuplicateCdr = (rows: readonly CdrRow[]): CdrRow[] => dedupe(rows, cdrKey);
