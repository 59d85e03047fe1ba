import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_COLUMNS } from '../src/routes/export/call-export.ts';
import { type ApiTestKit, openApiTestKit } from './support/api-test-kit.ts';

/**
 * The export contract beyond today's CSV: `locale=ru` (and a user whose stored language is ru)
 * gives the CSV Russian Excel opens — `;`, decimal commas, a BOM, Russian headers and values — and
 * `GET /export/calls.xlsx` gives a workbook with the calls and a sheet naming the period and the
 * filters. Every file is read back (csv-parse, exceljs) and its numbers compared with `GET /calls`
 * under the same filters, over the 31 calls of the bundled captures.
 */

interface CallItem {
  id: number;
  linkedid: string;
  status: string;
  queue: string | null;
  operator_endpoint: string | null;
  wait_sec: number | null;
  talk_sec: number;
  hold_sec: number;
  duration_sec: number | null;
  started_at: string;
}

let kit: ApiTestKit;
let admin: string;
let ruAdmin: string;
let salesSup: string;
let op101: string;

/** Every call of GET /calls under `params` (all pages). */
async function listCalls(token: string, params: Record<string, string> = {}): Promise<CallItem[]> {
  const items: CallItem[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ ...params, limit: '500', ...(cursor ? { cursor } : {}) });
    const res = await kit.request(`/calls?${query}`, { token });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: CallItem[]; nextCursor: string | null };
    items.push(...body.items);
    cursor = body.nextCursor;
  } while (cursor);
  return items;
}

async function download(path: string, token: string) {
  const res = await kit.request(path, { token });
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** A workbook's sheet as objects keyed by the header row. */
function sheetRows(sheet: ExcelJS.Worksheet): Record<string, ExcelJS.CellValue>[] {
  const header = (sheet.getRow(1).values as ExcelJS.CellValue[]).slice(1).map(String);
  const rows: Record<string, ExcelJS.CellValue>[] = [];
  sheet.eachRow((row, n) => {
    if (n === 1) return;
    const values = (row.values as ExcelJS.CellValue[]).slice(1);
    rows.push(Object.fromEntries(header.map((h, i) => [h, values[i] ?? null])));
  });
  return rows;
}

/** A `ru` CSV number (`12,5`) as a number; empty as null. */
const ruNumber = (text: string | undefined) => (text ? Number(text.replace(',', '.')) : null);

beforeAll(async () => {
  kit = await openApiTestKit();
  admin = (await kit.user({ login: 'xlsx-admin', role: 'admin' })).token;
  const ru = await kit.user({ login: 'xlsx-admin-ru', role: 'admin' });
  ruAdmin = ru.token;
  await kit.stores.postgres.db
    .updateTable('app.users')
    .set({ language: 'ru' })
    .where('id', '=', ru.user.id)
    .execute();
  salesSup = (await kit.user({ login: 'xlsx-sales', role: 'supervisor', queues: ['sales'] })).token;
  op101 = (await kit.user({ login: 'xlsx-op101', role: 'operator', endpoint: '101' })).token;
});

afterAll(async () => {
  await kit?.dispose();
});

describe('GET /export/calls.csv?locale=ru', () => {
  it('is what Russian Excel opens: BOM, `;`, Russian headers and words, decimal commas, the numbers of GET /calls', async () => {
    const { res, bytes } = await download('/export/calls.csv?locale=ru', admin);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-language')).toBe('ru');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    const headerLine = text.split('\r\n')[0] ?? '';
    expect(headerLine.split(';')).toContain('Разговор, с');
    // Headers with a comma ("Разговор, с") stay one field: `;` separates, not `,`.
    expect(headerLine.split(';')).toHaveLength(EXPORT_COLUMNS.length);
    const rows = parse(bytes, { bom: true, columns: true, delimiter: ';' }) as Record<string, string>[];
    const calls = await listCalls(admin);
    expect(rows).toHaveLength(calls.length);
    const byId = new Map(calls.map((c) => [String(c.id), c]));
    let fractional = 0;
    for (const row of rows) {
      const call = byId.get(row['Номер звонка'] ?? '');
      expect(call).toBeDefined();
      if (!call) continue;
      for (const [header, value] of [
        ['Разговор, с', call.talk_sec],
        ['Ожидание, с', call.wait_sec],
        ['Удержание, с', call.hold_sec],
        ['Длительность, с', call.duration_sec],
      ] as const) {
        expect(ruNumber(row[header])).toBe(value);
        expect(row[header] ?? '').not.toContain('.');
        if (row[header]?.includes(',')) fractional++;
      }
      expect(row.Статус).toBe(
        {
          answered: 'отвечен',
          abandoned: 'брошен',
          missed: 'пропущен',
          no_answer: 'нет ответа',
          busy: 'занято',
          failed: 'ошибка',
          ringing: 'звонит',
        }[call.status],
      );
      // 2026-… as ДД.ММ.ГГГГ чч:мм:сс, the UTC instant of GET /calls.
      const [d, m, y, time] = (row['Начало (UTC)'] ?? '').split(/[. ]/);
      expect(`${y}-${m}-${d}T${time}`).toBe(call.started_at.slice(0, 19));
    }
    // The captures' durations carry fractions of a second: the comma is really exercised.
    expect(fractional).toBeGreaterThan(0);
  });

  it('follows the stored language of the user when the request does not say, and locale=en keeps the English format', async () => {
    const plain = await download('/export/calls.csv', admin);
    const en = await download('/export/calls.csv?locale=en', ruAdmin);
    const ruDefault = await download('/export/calls.csv', ruAdmin);
    expect(plain.res.headers.get('content-language')).toBe('en');
    expect(ruDefault.res.headers.get('content-language')).toBe('ru');
    expect(ruDefault.bytes.toString('utf8').split('\r\n')[0]).toContain('Номер звонка;linkedid;');
    // English: `,`, English headers, decimal points — byte for byte what an English user gets.
    expect(en.bytes.toString('utf8').split('\r\n')[0]).toMatch(/^\uFEFFid,linkedid,started_at_utc,/);
    expect(en.bytes.equals(plain.bytes)).toBe(true);
    // locale wins over the older lang.
    const both = await download('/export/calls.csv?locale=en&lang=ru', ruAdmin);
    expect(both.res.headers.get('content-language')).toBe('en');
    expect((await kit.request('/export/calls.csv?locale=de', { token: admin })).status).toBe(400);
  });
});

describe('GET /export/calls.xlsx', () => {
  it('gives the calls of GET /calls with the same numbers, and a sheet with the period and filters', async () => {
    const filters = { queue: 'support', from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' };
    const { res, bytes } = await download(
      `/export/calls.xlsx?${new URLSearchParams({ ...filters, locale: 'ru' })}`,
      admin,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="calls-2026-01-01_2027-01-01.xlsx"',
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Звонки', 'Параметры']);
    const [callsSheet, paramsSheet] = workbook.worksheets;
    if (!callsSheet || !paramsSheet) throw new Error('sheets missing');

    const calls = await listCalls(admin, filters);
    expect(calls.length).toBeGreaterThan(0);
    const rows = sheetRows(callsSheet);
    expect(rows).toHaveLength(calls.length);
    const byId = new Map(calls.map((c) => [c.id, c]));
    for (const row of rows) {
      const call = byId.get(row['Номер звонка'] as number);
      expect(call).toBeDefined();
      if (!call) continue;
      expect(row['Разговор, с']).toBe(call.talk_sec);
      expect(row['Ожидание, с'] ?? null).toBe(call.wait_sec);
      expect(row['Длительность, с'] ?? null).toBe(call.duration_sec);
      expect(row.Очередь).toBe('support');
      expect((row['Начало (UTC)'] as Date).toISOString()).toBe(new Date(call.started_at).toISOString());
    }
    expect(rows.reduce((s, r) => s + (r['Разговор, с'] as number), 0)).toBeCloseTo(
      calls.reduce((s, c) => s + c.talk_sec, 0),
      6,
    );

    const params = new Map<string, ExcelJS.CellValue>();
    paramsSheet.eachRow((row) => {
      const [label, value] = (row.values as ExcelJS.CellValue[]).slice(1);
      params.set(String(label), value ?? null);
    });
    expect((params.get('Период с (UTC)') as Date).toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect((params.get('Период по (UTC)') as Date).toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(String(params.get('Очередь'))).toMatch(/\(support\)$/);
    expect(params.get('Звонков')).toBe(calls.length);
    expect(params.get('Выгрузил')).toBe('xlsx-admin');
  });

  it('keeps a supervisor to their queues, in English for locale=en', async () => {
    const { res, bytes } = await download('/export/calls.xlsx?locale=en', salesSup);
    expect(res.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Calls', 'Parameters']);
    const rows = sheetRows(workbook.worksheets[0] as ExcelJS.Worksheet);
    const calls = await listCalls(salesSup);
    expect(rows.map((r) => r.linkedid).sort()).toEqual(calls.map((c) => c.linkedid).sort());
    for (const row of rows) expect(row.queue).toBe('sales');
  });

  it('refuses bad filters (400), operators (403) and anonymous requests (401)', async () => {
    expect((await kit.request('/export/calls.xlsx?status=lost', { token: admin })).status).toBe(400);
    expect((await kit.request('/export/calls.xlsx?limit=5', { token: admin })).status).toBe(400);
    expect((await kit.request('/export/calls.xlsx', { token: op101 })).status).toBe(403);
    expect((await kit.request('/export/calls.xlsx')).status).toBe(401);
  });
});
