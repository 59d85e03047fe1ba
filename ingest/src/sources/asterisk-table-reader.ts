import type { AsteriskServerConfig } from '@callcenter/platform/config';
import type pg from 'pg';
import { APP_END_NEEDED, IGNORED_EVENT_TYPES, MOH_USERDEFTYPE_PREFIX } from '../reconcile/relevant-rows.ts';
import type { CdrRow, CelRow } from '../reconcile/types.ts';
import { CDR_COLUMNS, CEL_READ_COLUMNS } from './asterisk-columns.ts';
import {
  celFieldsRecord,
  celRowFromFields,
  type Normalised,
  normaliseCdrRecord,
  type RawRecord,
} from './cel-record.ts';
import { copyEach, copyRows } from './copy-reader.ts';
import { IdGaps, idWindow } from './id-gaps.ts';

/**
 * Reads one Asterisk server's `cel` / `cdr` rows by id watermark (`id > afterId ORDER BY id`), in
 * batches, through COPY, never past an id that may still be committing (sources/id-gaps.ts). Each batch separates usable rows from malformed ones (with the reason and
 * the raw record, for the quarantine). Rows for re-derivation can be read by linkedid.
 */

export interface MalformedRow {
  id: number | null;
  reason: string;
  raw: RawRecord;
}

/**
 * One batch read from a `cel`/`cdr` table: the usable rows, the malformed ones (for the
 * quarantine) and the highest id read.
 */
export interface Batch<T> {
  rows: T[];
  malformed: MalformedRow[];
  /** Highest id read (usable or not); equals `afterId` when nothing was read. */
  lastId: number;
}

type Normaliser<T> = (record: RawRecord, serverId: string, fallbackId: number, zone: string) => Normalised<T>;

/**
 * Times as `YYYY-MM-DD HH24:MI:SS.US` within years 1..9999 AD; others (`infinity`, BC dates) as
 * PostgreSQL writes them, so the plausible-time rule (cel-row-rules.ts) names them — to_char alone
 * would drop the era (4713 BC reads as 4713 AD) and turn `infinity` into an empty string.
 */
const selectList = (columns: readonly string[]): string =>
  columns
    .map((c) =>
      c === 'eventtime' || c === 'start' || c === 'answer' || c === 'end'
        ? `CASE WHEN "${c}" BETWEEN '0001-01-01' AND '9999-12-31' THEN to_char("${c}", 'YYYY-MM-DD HH24:MI:SS.US') ELSE "${c}"::text END AS "${c}"`
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

/**
 * The reconciler's relevance rule (reconcile/relevant-rows.ts) as SQL: rows it never reads stay in
 * the database. Built from constants, no user input.
 */
const RELEVANT_CEL = (() => {
  const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');
  return `eventtype NOT IN (${list(IGNORED_EVENT_TYPES)})
    AND (eventtype <> 'APP_END' OR appname IN (${list(APP_END_NEEDED)}))
    AND (eventtype NOT IN ('STREAM_BEGIN', 'STREAM_END') OR userdeftype LIKE '${MOH_USERDEFTYPE_PREFIX}%')`;
})();

/**
 * The next window of CEL ids, `(afterId, afterId + window]`, capped at the table's current end and
 * below the first unsettled gap in the ids (sources/id-gaps.ts: a row with a lower id may still be
 * committing). A window of ids rather than a LIMIT of rows, so ids the relevance filter skips still
 * move the read position; `more` says whether rows lie beyond the window (false while the window
 * waits for a gap seen unsettled before: a NOTIFY or the poll brings the next read), `tableEnd` is
 * the table's highest id.
 */
export async function readCelBatch(
  client: pg.PoolClient,
  server: AsteriskServerConfig,
  afterId: number,
  window: number,
  gaps: IdGaps = new IdGaps(),
): Promise<Batch<CelRow> & { more: boolean; tableEnd: number }> {
  const ids = await idWindow(client, table(server, 'cel'), integer(afterId), { window: integer(window) });
  const maxId = ids.tableEnd;
  const batch: Batch<CelRow> & { more: boolean; tableEnd: number } = {
    rows: [],
    malformed: [],
    lastId: afterId,
    more: false,
    tableEnd: maxId,
  };
  if (maxId <= afterId) return batch;
  const readable = gaps.settle(afterId, ids.end, ids.gaps, ids);
  const upTo = readable.readableTo;
  batch.more = readable.held ? !readable.heldBefore : upTo < maxId;
  if (upTo <= afterId) return batch;
  await client.query(ISO_DATES);
  const query = `SELECT ${selectList(CEL_READ_COLUMNS)} FROM ${table(server, 'cel')}
    WHERE id > ${integer(afterId)} AND id <= ${integer(upTo)} AND ${RELEVANT_CEL} ORDER BY id`;
  // Each row becomes a CelRow as it arrives: the batch never exists twice (as texts and as rows).
  await copyEach(client, query, (fields) => {
    const result = celRowFromFields(fields, server.id, server.timeZone);
    if (result.ok) batch.rows.push(result.row);
    else {
      const id = Number(fields[0]);
      batch.malformed.push({
        id: Number.isSafeInteger(id) ? id : null,
        reason: result.reason,
        raw: celFieldsRecord(fields),
      });
    }
  });
  batch.lastId = upTo;
  return batch;
}

const ISO_DATES = 'SET DateStyle = ISO';

/**
 * Up to `limit` CDR rows with `id > afterId`, in id order, through COPY, split into usable and
 * malformed; never past the first unsettled gap in the ids (sources/id-gaps.ts), so a CDR row
 * committed after a higher id was read is still read. `held`: the batch stops at such a gap.
 */
export async function readCdrBatch(
  client: pg.PoolClient,
  server: AsteriskServerConfig,
  afterId: number,
  limit: number,
  gaps: IdGaps = new IdGaps(),
): Promise<Batch<CdrRow> & { held: boolean }> {
  const ids = await idWindow(client, table(server, 'cdr'), integer(afterId), { rows: integer(limit) });
  const readable = gaps.settle(afterId, ids.end, ids.gaps, ids);
  if (readable.readableTo <= afterId)
    return { rows: [], malformed: [], lastId: afterId, held: readable.held };
  await client.query(ISO_DATES);
  const query = `SELECT ${selectList(CDR_COLUMNS)} FROM ${table(server, 'cdr')} WHERE id > ${integer(afterId)} AND id <= ${integer(readable.readableTo)} ORDER BY id`;
  const batch = toBatch(await copyRows(client, query), CDR_COLUMNS, server, afterId, normaliseCdrRecord);
  return { ...batch, held: readable.held };
}

/** All usable CEL and CDR rows of the given linkedids with id ≤ `upTo` (re-derivation of late calls). */
export async function readCallRows(
  client: pg.PoolClient,
  server: AsteriskServerConfig,
  linkedIds: readonly string[],
  upTo: { cel: number; cdr: number },
): Promise<{ cel: CelRow[]; cdr: CdrRow[] }> {
  if (linkedIds.length === 0) return { cel: [], cdr: [] };
  await client.query(ISO_DATES);
  // COPY takes no bind parameters: the linkedids go in as escaped literals.
  const list = linkedIds.map((l) => client.escapeLiteral(l)).join(', ');
  const cel = await copyRows(
    client,
    `SELECT ${selectList(CEL_READ_COLUMNS)} FROM ${table(server, 'cel')}
     WHERE linkedid IN (${list}) AND id <= ${integer(upTo.cel)} AND ${RELEVANT_CEL} ORDER BY id`,
  );
  const cdr = await copyRows(
    client,
    `SELECT ${selectList(CDR_COLUMNS)} FROM ${table(server, 'cdr')} WHERE linkedid IN (${list}) AND id <= ${integer(upTo.cdr)} ORDER BY id`,
  );
  const celRows: CelRow[] = [];
  for (const fields of cel) {
    const result = celRowFromFields(fields, server.id, server.timeZone);
    if (result.ok) celRows.push(result.row);
  }
  return { cel: celRows, cdr: toBatch(cdr, CDR_COLUMNS, server, 0, normaliseCdrRecord).rows };
}
