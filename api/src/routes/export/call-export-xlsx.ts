import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import {
  EXPORT_COLUMNS,
  type ExportKey,
  type ExportLanguage,
  type ExportRecord,
  localiseRecord,
} from './call-export.ts';

/**
 * The calls export as an Excel workbook (`GET /export/calls.xlsx`), written with exceljs's
 * streaming writer so memory holds about one page of calls whatever the size: sheet 1 (`Звонки` /
 * `Calls`) is the same columns as the CSV ({@link EXPORT_COLUMNS}) with numbers as numbers and
 * times as Excel dates; sheet 2 (`Параметры` / `Parameters`) says what the file is — the period,
 * every filter, who exported it and when, and how many calls it holds.
 */

/** What the parameters sheet describes: the request's filters and who asked. */
export interface XlsxExportInfo {
  /** The filters as validated (`GET /calls` names; ids as numbers). */
  filters: Record<string, unknown>;
  /** The exporting user's login. */
  login: string;
  /** When the export started. */
  exportedAt: Date;
  /** Names to show for filter ids and codes (queue name → display name, purpose id → name, …). */
  labels?: Partial<Record<string, string>>;
}

/** Sheet names and the parameter labels per locale. */
const TEXT = {
  en: {
    calls: 'Calls',
    parameters: 'Parameters',
    title: 'Calls export',
    from: 'Period from (UTC)',
    to: 'Period to (UTC)',
    all: 'all',
    exportedAt: 'Exported at (UTC)',
    by: 'Exported by',
    count: 'Calls',
    filter: 'Filter',
    value: 'Value',
  },
  ru: {
    calls: 'Звонки',
    parameters: 'Параметры',
    title: 'Выгрузка звонков',
    from: 'Период с (UTC)',
    to: 'Период по (UTC)',
    all: 'все',
    exportedAt: 'Выгружено (UTC)',
    by: 'Выгрузил',
    count: 'Звонков',
    filter: 'Фильтр',
    value: 'Значение',
  },
} as const;

/** Filter names as a person reads them (the journal's filter labels). */
const FILTER_LABELS: Record<string, { en: string; ru: string }> = {
  queue: { en: 'Queue', ru: 'Очередь' },
  operator: { en: 'Operator', ru: 'Оператор' },
  status: { en: 'Status', ru: 'Статус' },
  direction: { en: 'Direction', ru: 'Направление' },
  purpose_id: { en: 'Purpose', ru: 'Цель' },
  category_id: { en: 'Category', ru: 'Категория' },
  subcategory_id: { en: 'Subcategory', ru: 'Подкатегория' },
  tag_id: { en: 'Tag', ru: 'Метка' },
  needs_callback: { en: 'Needs a callback', ru: 'Нужен перезвон' },
  card: { en: 'Card', ru: 'Карточка' },
  number: { en: 'Number', ru: 'Номер' },
  q: { en: 'Text in notes', ru: 'Текст в заметках' },
};

const TIME_KEYS = new Set<ExportKey>([
  'started_at_utc',
  'answered_at_utc',
  'ended_at_utc',
  'completed_at_utc',
]);
const DATE_FORMAT = 'yyyy-mm-dd hh:mm:ss';

/**
 * An Excel cell value for a record field: times as Date (UTC columns at their instant; the local
 * start as its wall-clock time, since Excel dates carry no zone), numbers as numbers, the rest text.
 */
function cellValue(key: ExportKey, value: string | number | null): ExcelJS.CellValue {
  if (value === null) return null;
  if (TIME_KEYS.has(key) && typeof value === 'string') return new Date(value);
  if (key === 'started_at_local' && typeof value === 'string') return new Date(`${value.replace(' ', 'T')}Z`);
  return value;
}

/** A filter value in words: booleans as yes/no, codes through the localised words, ids through `labels`. */
function filterValue(key: string, value: unknown, lang: ExportLanguage, labels: XlsxExportInfo['labels']) {
  const label = labels?.[`${key}:${String(value)}`];
  if (label) return label;
  if (typeof value === 'boolean') return lang === 'ru' ? (value ? 'да' : 'нет') : value ? 'yes' : 'no';
  if (key === 'status' || key === 'direction') {
    const record = { status: String(value), direction: String(value) } as ExportRecord;
    return String(localiseRecord(record, lang)[key]);
  }
  return String(value);
}

/**
 * Writes the workbook to a web ReadableStream of bytes as `records` are pulled. Errors after the
 * first byte go to `onError` (the status is sent by then; the body ends early).
 */
export function callsXlsxStream(
  records: AsyncIterable<ExportRecord>,
  info: XlsxExportInfo,
  lang: ExportLanguage,
  onError: (error: unknown) => void = () => {},
): ReadableStream<Uint8Array> {
  const out = new PassThrough();
  const text = TEXT[lang];
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  workbook.creator = info.login;
  workbook.created = info.exportedAt;
  const write = async () => {
    const sheet = workbook.addWorksheet(text.calls, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = EXPORT_COLUMNS.map((c) => ({
      key: c.key,
      header: lang === 'ru' ? c.ru : c.header,
      width: TIME_KEYS.has(c.key) || c.key === 'started_at_local' ? 20 : Math.max(10, c.ru.length + 2),
      style: TIME_KEYS.has(c.key) || c.key === 'started_at_local' ? { numFmt: DATE_FORMAT } : {},
    }));
    sheet.getRow(1).font = { bold: true };
    let count = 0;
    for await (const record of records) {
      const words = localiseRecord(record, lang);
      const row: Record<string, ExcelJS.CellValue> = {};
      for (const c of EXPORT_COLUMNS) row[c.key] = cellValue(c.key, words[c.key]);
      sheet.addRow(row).commit();
      count++;
    }
    await sheet.commit();

    const params = workbook.addWorksheet(text.parameters);
    params.columns = [{ width: 28 }, { width: 40 }];
    const add = (label: string, value: ExcelJS.CellValue) => {
      const row = params.addRow([label, value]);
      if (value instanceof Date) row.getCell(2).numFmt = DATE_FORMAT;
      row.commit();
    };
    params.addRow([text.title]).commit();
    const { from, to, ...rest } = info.filters;
    add(text.from, typeof from === 'string' ? new Date(from) : text.all);
    add(text.to, typeof to === 'string' ? new Date(to) : text.all);
    for (const [key, value] of Object.entries(rest)) {
      if (value === undefined) continue;
      add(FILTER_LABELS[key]?.[lang] ?? key, filterValue(key, value, lang, info.labels));
    }
    add(text.exportedAt, info.exportedAt);
    add(text.by, info.login);
    add(text.count, count);
    await params.commit();
    await workbook.commit();
  };
  write().catch((error) => {
    onError(error);
    out.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return Readable.toWeb(out) as unknown as ReadableStream<Uint8Array>;
}
