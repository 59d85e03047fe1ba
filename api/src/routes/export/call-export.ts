import { posix } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { type SqlBool, sql } from 'kysely';
import type { AuthUser } from '../../auth/auth-user.ts';
import { callScope } from '../../scope/call-scope.ts';
import { type CallFilters, type Db, filterPredicates, hasIcu } from '../calls/call-repository.ts';

/**
 * The calls CSV export: every call `user` may see under the `GET /calls` filters (the same
 * predicates and scope, built by routes/calls/call-repository.ts, in SQL), read in keyset pages of
 * `(started_at, id)` and piped through csv-stringify, so memory holds about one page whatever the
 * size of the export and no connection or transaction is held while the client reads slowly.
 */

/** Rows read per query. */
export const EXPORT_PAGE_SIZE = 1000;

/**
 * The export columns, in order: `key` of a record and the header a person reads — `header` in
 * English (the default, stable for scripts), `ru` in the Russian locale (`locale=ru`, or the
 * user's language; see {@link resolveExportLanguage}).
 */
export const EXPORT_COLUMNS = [
  { key: 'id', header: 'id', ru: 'Номер звонка' },
  { key: 'linkedid', header: 'linkedid', ru: 'linkedid' },
  { key: 'started_at_utc', header: 'started_at_utc', ru: 'Начало (UTC)' },
  { key: 'started_at_local', header: 'started_at_local', ru: 'Начало (местное)' },
  { key: 'time_zone', header: 'time_zone', ru: 'Часовой пояс' },
  { key: 'answered_at_utc', header: 'answered_at_utc', ru: 'Ответ (UTC)' },
  { key: 'ended_at_utc', header: 'ended_at_utc', ru: 'Конец (UTC)' },
  { key: 'direction', header: 'direction', ru: 'Направление' },
  { key: 'status', header: 'status', ru: 'Статус' },
  { key: 'queue', header: 'queue', ru: 'Очередь' },
  { key: 'operator', header: 'operator', ru: 'Оператор' },
  { key: 'operator_name', header: 'operator_name', ru: 'Имя оператора' },
  { key: 'src_number', header: 'src_number', ru: 'Откуда' },
  { key: 'dst_number', header: 'dst_number', ru: 'Куда' },
  { key: 'did', header: 'did', ru: 'DID' },
  { key: 'wait_sec', header: 'wait_sec', ru: 'Ожидание, с' },
  { key: 'queue_wait_sec', header: 'queue_wait_sec', ru: 'Ожидание в очереди, с' },
  { key: 'talk_sec', header: 'talk_sec', ru: 'Разговор, с' },
  { key: 'hold_sec', header: 'hold_sec', ru: 'Удержание, с' },
  { key: 'duration_sec', header: 'duration_sec', ru: 'Длительность, с' },
  { key: 'attempts', header: 'attempts', ru: 'Вызовов операторов' },
  { key: 'missed_by_operators', header: 'missed_by_operators', ru: 'Пропущено операторами' },
  { key: 'transfers', header: 'transfers', ru: 'Переводов' },
  { key: 'recording', header: 'recording', ru: 'Запись' },
  { key: 'manual', header: 'manual', ru: 'Закрыт вручную' },
  { key: 'purpose', header: 'purpose', ru: 'Цель' },
  { key: 'category', header: 'category', ru: 'Категория' },
  { key: 'subcategory', header: 'subcategory', ru: 'Подкатегория' },
  { key: 'tags', header: 'tags', ru: 'Метки' },
  { key: 'notes', header: 'notes', ru: 'Заметки' },
  { key: 'needs_callback', header: 'needs_callback', ru: 'Нужен перезвон' },
  { key: 'resolved_first_call', header: 'resolved_first_call', ru: 'Решено с первого звонка' },
  { key: 'completed', header: 'completed', ru: 'Карточка заполнена' },
  { key: 'completed_at_utc', header: 'completed_at_utc', ru: 'Карточка заполнена (UTC)' },
] as const;

/** A column of the CSV export. */
export type ExportKey = (typeof EXPORT_COLUMNS)[number]['key'];
/** One exported call: column → value (numbers for counts and seconds, null for empty). */
export type ExportRecord = Record<ExportKey, string | number | null>;

/** The export's SELECT: one row per call with dictionary names, counts and the local start time. */
function exportQuery(db: Db, user: AuthUser) {
  return db
    .selectFrom('app.calls as c')
    .leftJoin('app.queues as q', (join) =>
      join.onRef('q.server_id', '=', 'c.server_id').onRef('q.name', '=', 'c.queue'),
    )
    .leftJoin('app.asterisk_servers as srv', 'srv.id', 'c.server_id')
    .leftJoin('app.operators as op', (join) =>
      join.onRef('op.server_id', '=', 'c.server_id').onRef('op.endpoint', '=', 'c.operator_endpoint'),
    )
    .leftJoin('app.call_purposes as p', 'p.id', 'c.purpose_id')
    .leftJoin('app.call_categories as cat', 'cat.id', 'c.category_id')
    .leftJoin('app.call_subcategories as sub', 'sub.id', 'c.subcategory_id')
    .where(callScope(user))
    .select([
      'c.id',
      'c.linkedid',
      // Text with microseconds: the keyset position (a JS Date would drop them).
      sql<string>`to_char(c.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('sort_key'),
      'c.started_at',
      // The queue's zone (reports run in it), else the server's, else UTC.
      sql<string>`coalesce(q.time_zone, srv.time_zone, 'UTC')`.as('time_zone'),
      sql<string>`to_char(c.started_at AT TIME ZONE coalesce(q.time_zone, srv.time_zone, 'UTC'), 'YYYY-MM-DD HH24:MI:SS')`.as(
        'started_at_local',
      ),
      'c.answered_at',
      'c.ended_at',
      'c.direction',
      'c.status',
      'c.queue',
      'c.operator_endpoint',
      'op.name as operator_name',
      'c.src_number',
      'c.dst_number',
      'c.did',
      'c.wait_sec',
      'c.queue_wait_sec',
      'c.talk_sec',
      'c.hold_sec',
      'c.duration_sec',
      sql<number>`(SELECT count(*)::int FROM app.call_attempts a WHERE a.call_id = c.id)`.as('attempts'),
      // The same "missed" outcomes as the facts (ingest/src/shipper/fact-rows.ts MISSED_OUTCOMES).
      sql<number>`(SELECT count(*)::int FROM app.call_attempts a
                   WHERE a.call_id = c.id AND a.outcome IN ('no_answer', 'busy', 'declined'))`.as(
        'missed_by_operators',
      ),
      sql<number>`(SELECT count(*)::int FROM app.call_transfers t WHERE t.call_id = c.id)`.as('transfers'),
      'c.recording_path',
      'c.recordings',
      'c.closed_by',
      'p.name as purpose',
      'cat.name as category',
      'sub.name as subcategory',
      sql<string | null>`(SELECT string_agg(t.name, '; ' ORDER BY t.sort_order, t.id)
                          FROM app.call_tag_links tl JOIN app.call_tags t ON t.id = tl.tag_id
                          WHERE tl.call_id = c.id)`.as('tags'),
      'c.notes',
      'c.needs_callback',
      'c.resolved_first_call',
      'c.card_completed_at',
    ]);
}

type ExportRow = Awaited<ReturnType<ReturnType<typeof exportQuery>['executeTakeFirstOrThrow']>>;

/**
 * Text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first: CSV injection,
 * OWASP) gets a leading `'`; a plain `+79161234567` stays as it is.
 */
export function neutraliseFormula(text: string | null): string | null {
  if (text === null || !/^[=+\-@\t\r]/.test(text) || /^\+[0-9]+$/.test(text)) return text;
  return `'${text}`;
}

/** Locales of an export's headers, words and number format (`locale` of GET /export/calls.*). */
export type ExportLanguage = 'en' | 'ru';

/**
 * The locale of an export: `locale` of the request, else its older alias `lang`, else the user's
 * stored language (`app.users.language`, sql/postgres/014), else English — today's format, which
 * scripts read.
 */
export function resolveExportLanguage(
  query: { locale?: ExportLanguage; lang?: ExportLanguage },
  userLanguage: ExportLanguage | null | undefined,
): ExportLanguage {
  return query.locale ?? query.lang ?? userLanguage ?? 'en';
}

/** The user's stored language (sql/postgres/014), or null when they never chose one. */
export async function userLanguage(db: Db, userId: number): Promise<ExportLanguage | null> {
  const row = await db.selectFrom('app.users').where('id', '=', userId).select('language').executeTakeFirst();
  return row?.language ?? null;
}

const WORDS_RU: Record<string, string> = {
  yes: 'да',
  no: 'нет',
  inbound: 'входящий',
  outbound: 'исходящий',
  internal: 'внутренний',
  ringing: 'звонит',
  answered: 'отвечен',
  abandoned: 'брошен',
  missed: 'пропущен',
  no_answer: 'нет ответа',
  busy: 'занято',
  failed: 'ошибка',
};

/** A record's words (yes/no, direction, status) in `lang`; numbers, times and names stay as they are. */
export function localiseRecord(record: ExportRecord, lang: ExportLanguage): ExportRecord {
  if (lang === 'en') return record;
  const out = { ...record };
  for (const key of [
    'direction',
    'status',
    'manual',
    'needs_callback',
    'resolved_first_call',
    'completed',
  ] as const) {
    const value = out[key];
    if (typeof value === 'string') out[key] = WORDS_RU[value] ?? value;
  }
  return out;
}

const yesNo = (b: boolean | null) => (b === null ? null : b ? 'yes' : 'no');
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

/** Recording file names (no directories), the main one first, each once. */
function recordingNames(path: string | null, more: string[]): string | null {
  const names = [...new Set([path, ...more].filter((p): p is string => !!p).map((p) => posix.basename(p)))];
  return names.length > 0 ? names.join('; ') : null;
}

function toRecord(r: ExportRow): ExportRecord {
  const text = neutraliseFormula;
  return {
    id: r.id,
    linkedid: r.linkedid,
    started_at_utc: r.started_at.toISOString(),
    started_at_local: r.started_at_local,
    time_zone: r.time_zone,
    answered_at_utc: isoOrNull(r.answered_at),
    ended_at_utc: isoOrNull(r.ended_at),
    direction: r.direction,
    status: r.status,
    queue: text(r.queue),
    operator: text(r.operator_endpoint),
    operator_name: text(r.operator_name),
    src_number: text(r.src_number),
    dst_number: text(r.dst_number),
    did: text(r.did),
    wait_sec: r.wait_sec,
    queue_wait_sec: r.queue_wait_sec,
    talk_sec: r.talk_sec,
    hold_sec: r.hold_sec,
    duration_sec: r.duration_sec,
    attempts: r.attempts,
    missed_by_operators: r.missed_by_operators,
    transfers: r.transfers,
    recording: text(recordingNames(r.recording_path, r.recordings)),
    manual: yesNo(r.closed_by === 'manual'),
    purpose: text(r.purpose),
    category: text(r.category),
    subcategory: text(r.subcategory),
    tags: text(r.tags),
    notes: text(r.notes),
    needs_callback: yesNo(r.needs_callback),
    resolved_first_call: yesNo(r.resolved_first_call),
    completed: yesNo(r.card_completed_at !== null),
    completed_at_utc: isoOrNull(r.card_completed_at),
  };
}

/** Observes the reading: `onPage(rows)` after every query (tests count pages through it). */
export interface ExportHooks {
  onPage?: (rows: number) => void;
  pageSize?: number;
}

/**
 * The export's records, oldest first (`started_at`, then id), one keyset page of
 * `pageSize` calls per query, fetched only when the consumer asks for more.
 */
export async function* exportRecords(
  db: Db,
  user: AuthUser,
  filters: CallFilters,
  hooks: ExportHooks = {},
): AsyncGenerator<ExportRecord> {
  const pageSize = hooks.pageSize ?? EXPORT_PAGE_SIZE;
  const predicates = filterPredicates(filters, filters.q ? await hasIcu(db) : false);
  let after: { key: string; id: number } | null = null;
  for (;;) {
    let query = exportQuery(db, user);
    for (const p of predicates) query = query.where(p);
    if (after) {
      query = query.where(
        sql<SqlBool>`(${sql.ref('c.started_at')}, ${sql.ref('c.id')}) > (${after.key}::timestamptz, ${after.id}::bigint)`,
      );
    }
    const rows = await query.orderBy('c.started_at').orderBy('c.id').limit(pageSize).execute();
    hooks.onPage?.(rows.length);
    for (const row of rows) yield toRecord(row);
    const last = rows.at(-1);
    if (!last || rows.length < pageSize) return;
    after = { key: last.sort_key, id: last.id };
  }
}

/** Keys of the time columns: ISO 8601 UTC (`…Z`) in a record. */
const UTC_TIME_KEYS = ['started_at_utc', 'answered_at_utc', 'ended_at_utc', 'completed_at_utc'] as const;

/**
 * A record as Russian Excel reads it (the `ru` CSV): words in Russian ({@link localiseRecord}),
 * numbers with a decimal comma (`12,5`), times as `ДД.ММ.ГГГГ чч:мм:сс` (UTC columns in UTC, the
 * local start in the queue's zone) — the forms a Russian-locale Excel turns into numbers and dates.
 */
export function russianCsvRecord(record: ExportRecord): ExportRecord {
  const out = localiseRecord(record, 'ru');
  for (const [key, value] of Object.entries(out) as [ExportKey, ExportRecord[ExportKey]][]) {
    if (typeof value === 'number') out[key] = String(value).replace('.', ',');
  }
  const dotted = (iso: string) =>
    iso.replace(/^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}:\d{2}:\d{2}).*$/, '$3.$2.$1 $4');
  for (const key of UTC_TIME_KEYS) {
    const value = out[key];
    if (typeof value === 'string') out[key] = dotted(value);
  }
  if (typeof out.started_at_local === 'string') out.started_at_local = dotted(out.started_at_local);
  return out;
}

/**
 * The CSV as a web ReadableStream of UTF-8 bytes: a BOM (so Excel reads Cyrillic as UTF-8), the
 * header row, one line per call. `en`: `,`-separated, English headers and words, decimal points,
 * ISO times (the format scripts read). `ru`: what Russian Excel opens by double-click — `;`
 * separator, Russian headers and words, decimal commas, `ДД.ММ.ГГГГ` times
 * ({@link russianCsvRecord}). Pulled by the response: backpressure reaches the page reader, so
 * a slow client slows the queries instead of filling memory. `onError` hears a failure after the
 * first byte (the status is sent by then; the body ends early).
 */
export function callsCsvStream(
  records: AsyncIterable<ExportRecord>,
  onError: (error: unknown) => void = () => {},
  lang: ExportLanguage = 'en',
): ReadableStream<Uint8Array> {
  const csv = stringify({
    header: true,
    bom: true,
    columns: EXPORT_COLUMNS.map((c) => ({ key: c.key, header: lang === 'ru' ? c.ru : c.header })),
    delimiter: lang === 'ru' ? ';' : ',',
    record_delimiter: 'windows',
  });
  async function* localised() {
    for await (const record of records) yield lang === 'ru' ? russianCsvRecord(record) : record;
  }
  pipeline(Readable.from(localised()), csv).catch(onError);
  // node:stream/web's ReadableStream is the global one; only the TypeScript types differ.
  return Readable.toWeb(csv) as unknown as ReadableStream<Uint8Array>;
}
