import type pg from 'pg';
import type { AsteriskServerConfig } from '../config/env-config.ts';
import type { CdrRow, CelRow } from '../reconcile/types.ts';
import { type Normalised, normaliseCdrRecord, normaliseCelRecord, type RawRecord } from './cel-record.ts';
import { copyRows } from './copy-reader.ts';

/**
 * Reads one Asterisk server's `cel` / `cdr` rows by id watermark (`id > afterId ORDER BY id`), in
 * batches, through COPY. Each batch separates usable rows from malformed ones (with the reason and
 * the raw record, for the quarantine). Rows for re-derivation can be read by linkedid.
 */

export const CEL_COLUMNS = [
  'id',
  'eventtype',
  'eventtime',
  'userdeftype',
  'cid_name',
  'cid_num',
  'cid_ani',
  'cid_rdnis',
  'cid_dnid',
  'exten',
  'context',
  'channame',
  'appname',
  'appdata',
  'amaflags',
  'accountcode',
  'peeraccount',
  'uniqueid',
  'linkedid',
  'userfield',
  'peer',
  'extra',
] as const;

export const CDR_COLUMNS = [
  'id',
  'accountcode',
  'src',
  'dst',
  'dcontext',
  'clid',
  'channel',
  'dstchannel',
  'lastapp',
  'lastdata',
  'start',
  'answer',
  'end',
  'duration',
  'billsec',
  'disposition',
  'amaflags',
  'userfield',
  'uniqueid',
  'linkedid',
  'peeraccount',
  'sequence',
] as const;

export interface MalformedRow {
  id: number | null;
  reason: string;
  raw: RawRecord;
}

export interface Batch<T> {
  rows: T[];
  malformed: MalformedRow[];
  /** Highest id read (usable or not); equals `afterId` when nothing was read. */
  lastId: number;
}

type Normaliser<T> = (record: RawRecord, serverId: string, fallbackId: number, zone: string) => Normalised<T>;

const selectList = (columns: readonly string[]): string =>
  columns
    .map((c) =>
      c === 'eventtime' || c === 'start' || c === 'answer' || c === 'end'
        ? `to_char("${c}", 'YYYY-MM-DD HH24:MI:SS.US') AS "${c}"`
        : `"${c}"`,
    )
    .join(', ');

function toBatch<T>(
  raw: (string | null)[][],
  columns: readonly string[],
  server: AsteriskServerConfig,
  afterId: number,
  normalise: Normaliser<T>,
): Batch<T> {
  const batch: Batch<T> = { rows: [], malformed: [], lastId: afterId };
  for (const fields of raw) {
    const record: RawRecord = {};
    for (let i = 0; i < columns.length; i++) record[columns[i]!] = fields[i] ?? null;
    const id = Number(record.id);
    if (Number.isSafeInteger(id) && id > batch.lastId) batch.lastId = id;
    const result = normalise(record, server.id, id, server.timeZone);
    if (result.ok) batch.rows.push(result.row);
    else
      batch.malformed.push({ id: Number.isSafeInteger(id) ? id : null, reason: result.reason, raw: record });
  }
  return batch;
}

const table = (server: AsteriskServerConfig, name: 'cel' | 'cdr'): string => `"${server.schema}"."${name}"`;

function integer(value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not a non-negative integer: ${value}`);
  return value;
}

export async function readCelBatch(
  client: pg.PoolClient,
  server: AsteriskServerConfig,
  afterId: number,
  limit: number,
): Promise<Batch<CelRow>> {
  const query = `SELECT ${selectList(CEL_COLUMNS)} FROM ${table(server, 'cel')} WHERE id > ${integer(afterId)} ORDER BY id LIMIT ${integer(limit)}`;
  return toBatch(await copyRows(client, query), CEL_COLUMNS, server, afterId, normaliseCelRecord);
}

export async function readCdrBatch(
  client: pg.PoolClient,
  server: AsteriskServerConfig,
  afterId: number,
  limit: number,
): Promise<Batch<CdrRow>> {
  const query = `SELECT ${selectList(CDR_COLUMNS)} FROM ${table(server, 'cdr')} WHERE id > ${integer(afterId)} ORDER BY id LIMIT ${integer(limit)}`;
  return toBatch(await copyRows(client, query), CDR_COLUMNS, server, afterId, normaliseCdrRecord);
}

/** All usable CEL and CDR rows of the given linkedids with id ≤ `upToId` (re-derivation of late calls). */
export async function readCallRows(
  client: pg.PoolClient,
  server: AsteriskServerConfig,
  linkedIds: readonly string[],
  upTo: { cel: number; cdr: number },
): Promise<{ cel: CelRow[]; cdr: CdrRow[] }> {
  if (linkedIds.length === 0) return { cel: [], cdr: [] };
  const cel = await client.query({
    text: `SELECT ${selectList(CEL_COLUMNS)} FROM ${table(server, 'cel')} WHERE linkedid = ANY($1) AND id <= $2 ORDER BY id`,
    values: [linkedIds, upTo.cel],
    rowMode: 'array',
  });
  const cdr = await client.query({
    text: `SELECT ${selectList(CDR_COLUMNS)} FROM ${table(server, 'cdr')} WHERE linkedid = ANY($1) AND id <= $2 ORDER BY id`,
    values: [linkedIds, upTo.cdr],
    rowMode: 'array',
  });
  const asText = (rows: unknown[][]) => rows.map((r) => r.map((v) => (v === null ? null : String(v))));
  return {
    cel: toBatch(asText(cel.rows), CEL_COLUMNS, server, 0, normaliseCelRecord).rows,
    cdr: toBatch(asText(cdr.rows), CDR_COLUMNS, server, 0, normaliseCdrRecord).rows,
  };
}
