import { type CdrRow, type CelRow, celEventType } from '../reconcile/types.ts';
import { CEL_READ_COLUMNS } from './asterisk-columns.ts';
import { parseAsteriskTime } from './asterisk-time.ts';

/**
 * Normalises one raw `cel` / `cdr` record (column name → text, as CSV, COPY or pg give it) into a
 * typed row, or says why it cannot be used. Columns absent from an export are empty (exports often
 * carry a subset: README.md "Commands", reconcile). A row is malformed only when the reconciler cannot place
 * it: no event type, no channel identity, or an unreadable time.
 */

export type RawRecord = Record<string, string | null | undefined>;

export type Normalised<T> = { ok: true; row: T } | { ok: false; reason: string };

const text = (record: RawRecord, column: string): string => record[column] ?? '';

const REQUIRED_CEL = ['eventtype', 'eventtime', 'uniqueid', 'linkedid'] as const;

/**
 * @param fallbackId used when the record has no `id` column (e.g. a CSV line number).
 * @param zone IANA zone of `eventtime` values written without an offset.
 */
export function normaliseCelRecord(
  record: RawRecord,
  serverId: string,
  fallbackId: number,
  zone = 'UTC',
): Normalised<CelRow> {
  for (const column of REQUIRED_CEL) {
    if (!text(record, column).trim()) return { ok: false, reason: `${column} is empty` };
  }
  const eventTime = parseAsteriskTime(text(record, 'eventtime'), zone);
  if (eventTime === null)
    return { ok: false, reason: `eventtime "${text(record, 'eventtime')}" is not a timestamp` };
  const idText = text(record, 'id').trim();
  const id = idText ? Number(idText) : fallbackId;
  if (!Number.isSafeInteger(id)) return { ok: false, reason: `id "${idText}" is not an integer` };
  const extra = text(record, 'extra');
  return {
    ok: true,
    row: {
      serverId,
      id,
      eventType: celEventType(text(record, 'eventtype').trim()),
      eventTime,
      userDefType: text(record, 'userdeftype'),
      cidName: text(record, 'cid_name'),
      cidNum: text(record, 'cid_num'),
      cidAni: text(record, 'cid_ani'),
      cidRdnis: text(record, 'cid_rdnis'),
      cidDnid: text(record, 'cid_dnid'),
      exten: text(record, 'exten'),
      context: text(record, 'context'),
      chanName: text(record, 'channame'),
      appName: text(record, 'appname'),
      appData: text(record, 'appdata'),
      amaFlags: Number(text(record, 'amaflags')) || 0,
      accountCode: text(record, 'accountcode'),
      peerAccount: text(record, 'peeraccount'),
      uniqueId: text(record, 'uniqueid').trim(),
      linkedId: text(record, 'linkedid').trim(),
      userField: text(record, 'userfield'),
      peer: text(record, 'peer'),
      extra,
    },
  };
}

const optionalTime = (value: string, zone: string): number | null | 'bad' => {
  if (!value.trim()) return null;
  return parseAsteriskTime(value, zone) ?? 'bad';
};

const optionalInt = (value: string): number | null => {
  const n = Number(value);
  return value.trim() && Number.isFinite(n) ? Math.trunc(n) : null;
};

/** Normalises a `cdr` record. Malformed: no linkedid/uniqueid, or an unreadable time. */
export function normaliseCdrRecord(
  record: RawRecord,
  serverId: string,
  fallbackId: number,
  zone = 'UTC',
): Normalised<CdrRow> {
  const linkedId = text(record, 'linkedid').trim() || text(record, 'uniqueid').trim();
  if (!linkedId) return { ok: false, reason: 'linkedid and uniqueid are empty' };
  const times: Record<'start' | 'answer' | 'end', number | null> = { start: null, answer: null, end: null };
  for (const column of ['start', 'answer', 'end'] as const) {
    const value = optionalTime(text(record, column), zone);
    if (value === 'bad')
      return { ok: false, reason: `${column} "${text(record, column)}" is not a timestamp` };
    times[column] = value;
  }
  const idText = text(record, 'id').trim();
  const id = idText ? Number(idText) : fallbackId;
  if (!Number.isSafeInteger(id)) return { ok: false, reason: `id "${idText}" is not an integer` };
  return {
    ok: true,
    row: {
      serverId,
      id,
      accountCode: text(record, 'accountcode'),
      src: text(record, 'src'),
      dst: text(record, 'dst'),
      dcontext: text(record, 'dcontext'),
      clid: text(record, 'clid'),
      channel: text(record, 'channel'),
      dstChannel: text(record, 'dstchannel'),
      lastApp: text(record, 'lastapp'),
      lastData: text(record, 'lastdata'),
      ...times,
      duration: optionalInt(text(record, 'duration')),
      billsec: optionalInt(text(record, 'billsec')),
      disposition: text(record, 'disposition'),
      amaFlags: text(record, 'amaflags'),
      userField: text(record, 'userfield'),
      uniqueId: text(record, 'uniqueid').trim(),
      linkedId,
      peerAccount: text(record, 'peeraccount'),
      sequence: optionalInt(text(record, 'sequence')),
    },
  };
}

/**
 * The hot path of the collector: one COPY row (fields in {@link CEL_READ_COLUMNS} order) → CelRow
 * without an intermediate object or closure. Same rules as {@link normaliseCelRecord}, which it
 * defers to for the reason when a row is malformed.
 */
export function celRowFromFields(
  fields: readonly (string | null)[],
  serverId: string,
  zone: string,
): Normalised<CelRow> {
  const eventType = (fields[1] ?? '').trim();
  const uniqueId = (fields[10] ?? '').trim();
  const linkedId = (fields[11] ?? '').trim();
  const id = Number(fields[0]);
  const eventTime = parseAsteriskTime(fields[2] ?? '', zone);
  if (!eventType || !uniqueId || !linkedId || eventTime === null || !Number.isSafeInteger(id)) {
    return normaliseCelRecord(celFieldsRecord(fields), serverId, id, zone);
  }
  return {
    ok: true,
    row: {
      serverId,
      id,
      eventType: celEventType(eventType),
      eventTime,
      userDefType: fields[3] ?? '',
      cidName: '',
      cidNum: fields[4] ?? '',
      cidAni: '',
      cidRdnis: '',
      cidDnid: fields[5] ?? '',
      exten: fields[6] ?? '',
      context: '',
      chanName: fields[7] ?? '',
      appName: fields[8] ?? '',
      appData: fields[9] ?? '',
      amaFlags: 0,
      accountCode: '',
      peerAccount: '',
      uniqueId,
      linkedId,
      userField: '',
      peer: '',
      extra: fields[12] ?? '',
    },
  };
}

/** The fields of a read row by column name (for the quarantine's raw record). */
export function celFieldsRecord(fields: readonly (string | null)[]): RawRecord {
  const record: RawRecord = {};
  for (let i = 0; i < CEL_READ_COLUMNS.length; i++) record[CEL_READ_COLUMNS[i]!] = fields[i] ?? null;
  return record;
}
