import { OpenAPIHono } from '@hono/zod-openapi';
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEnv } from '../src/app.ts';
import { errorHandler } from '../src/errors/error-handler.ts';
import { neutraliseFormula } from '../src/routes/export/call-export.ts';
import { exportRoutes } from '../src/routes/export/export-routes.ts';
import { type ApiTestKit, openApiTestKit } from './support/api-test-kit.ts';

/**
 * `GET /export/calls.csv` over the 31 calls of the bundled captures (see calls.test.ts for the
 * table by linkedid): roles, filters, values against the database, Cyrillic through Excel's BOM,
 * the audit row, and that a large export is read page by page as the body is consumed.
 */

const S01 = '1795234908.0'; // answered by 101 in support
/** Calls of the sales queue (scenario 04, burst D1 and four burst misses). */
const SALES = [
  '1795234985.12',
  '1795235270.50',
  '1795235270.54',
  '1795235270.58',
  '1795235270.62',
  '1795235270.67',
];

type Row = Record<string, string>;
interface ErrorBody {
  error: string;
  message: string;
}

let kit: ApiTestKit;
let admin: string;
let salesSup: string;
let op101: string;
let adminId: number;
const db = () => kit.stores.postgres.db;

/** The export's response, its raw bytes and its rows parsed back (`;`-separated in the ru locale). */
async function exportCsv(token: string | undefined, params: Record<string, string> = {}) {
  const res = await kit.request(`/export/calls.csv?${new URLSearchParams(params)}`, { token });
  if (res.status !== 200) return { res, bytes: new Uint8Array(), rows: [] as Row[] };
  const bytes = new Uint8Array(await res.arrayBuffer());
  const delimiter = res.headers.get('content-language') === 'ru' ? ';' : ',';
  const rows = parse(Buffer.from(bytes), { bom: true, columns: true, delimiter }) as Row[];
  return { res, bytes, rows };
}

beforeAll(async () => {
  kit = await openApiTestKit();
  const a = await kit.user({ login: 'export-admin', role: 'admin' });
  admin = a.token;
  adminId = a.user.id;
  salesSup = (await kit.user({ login: 'export-sales', role: 'supervisor', queues: ['sales'] })).token;
  op101 = (await kit.user({ login: 'export-op101', role: 'operator', endpoint: '101' })).token;
});

afterAll(async () => {
  await kit?.dispose();
});

describe('GET /export/calls.csv', () => {
  it('exports every call for an admin: BOM, CSV headers, a dated attachment, 31 rows', async () => {
    const { res, bytes, rows } = await exportCsv(admin);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="calls-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(rows).toHaveLength(31);
    const ids = await db().selectFrom('app.calls').select('id').execute();
    expect(rows.map((r) => Number(r.id)).sort((x, y) => x - y)).toEqual(
      ids.map((r) => r.id).sort((x, y) => x - y),
    );
    // Oldest first.
    const starts = rows.map((r) => r.started_at_utc);
    expect(starts).toEqual([...starts].sort());
    expect(Object.keys(rows[0] ?? {})).toEqual(
      expect.arrayContaining(['purpose', 'category', 'subcategory', 'tags', 'notes', 'started_at_local']),
    );
  });

  it('writes Russian headers and words with lang=ru (the older name of locale), for people who read Russian', async () => {
    const en = await exportCsv(admin);
    const { res, rows } = await exportCsv(admin, { lang: 'ru' });
    expect(res.headers.get('content-language')).toBe('ru');
    expect(res.status).toBe(200);
    expect(rows).toHaveLength(31);
    const headers = Object.keys(rows[0] ?? {});
    expect(headers).toEqual(
      expect.arrayContaining(['Направление', 'Статус', 'Очередь', 'Метки', 'Нужен перезвон']),
    );
    // Only field-standard names stay Latin.
    expect(headers.filter((h) => /[A-Za-z]/.test(h))).toEqual([
      'linkedid',
      'Начало (UTC)',
      'Ответ (UTC)',
      'Конец (UTC)',
      'DID',
      'Карточка заполнена (UTC)',
    ]);
    const byId = new Map(en.rows.map((r) => [r.id, r]));
    for (const row of rows) {
      const original = byId.get(row['Номер звонка']!)!;
      expect(row.Направление).toBe(
        { inbound: 'входящий', outbound: 'исходящий', internal: 'внутренний' }[original.direction!],
      );
      expect(['отвечен', 'брошен', 'пропущен', 'нет ответа', 'занято', 'ошибка', 'звонит']).toContain(
        row.Статус,
      );
      expect(['да', 'нет']).toContain(row['Нужен перезвон']);
      expect(row.Очередь).toBe(original.queue);
    }
    expect((await exportCsv(admin, { lang: 'de' })).res.status).toBe(400);
  });

  it('names a ranged export after its dates', async () => {
    const { res } = await exportCsv(admin, { from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="calls-2026-01-01_2027-01-01.csv"',
    );
  });

  it('writes the database values of a call (times, queue, operator, counts)', async () => {
    const call = await db()
      .selectFrom('app.calls as c')
      .innerJoin('app.queues as q', (j) =>
        j.onRef('q.name', '=', 'c.queue').onRef('q.server_id', '=', 'c.server_id'),
      )
      .where('c.linkedid', '=', S01)
      .select([
        'c.id',
        'c.talk_sec',
        'c.wait_sec',
        'c.operator_endpoint',
        'c.queue',
        'c.started_at',
        'q.time_zone',
        sql<string>`to_char(c.started_at AT TIME ZONE q.time_zone, 'YYYY-MM-DD HH24:MI:SS')`.as('local'),
        sql<number>`(SELECT count(*)::int FROM app.call_attempts a WHERE a.call_id = c.id)`.as('attempts'),
      ])
      .executeTakeFirstOrThrow();
    const { rows } = await exportCsv(admin);
    const row = rows.find((r) => r.linkedid === S01);
    expect(row).toBeDefined();
    expect(Number(row?.talk_sec)).toBe(call.talk_sec);
    expect(call.talk_sec).toBeGreaterThan(0);
    expect(Number(row?.wait_sec)).toBe(call.wait_sec);
    expect(row?.operator).toBe('101');
    expect(row?.operator).toBe(call.operator_endpoint);
    // The operator by name beside the endpoint (app.operators of the call's server).
    const named = await db()
      .selectFrom('app.operators')
      .where('endpoint', '=', '101')
      .select('name')
      .executeTakeFirstOrThrow();
    expect(named.name).not.toBe('');
    expect(row?.operator_name).toBe(named.name);
    expect(row?.queue).toBe('support');
    expect(row?.started_at_utc).toBe(call.started_at.toISOString());
    expect(row?.time_zone).toBe(call.time_zone);
    expect(row?.started_at_local).toBe(call.local);
    expect(row?.started_at_local).not.toBe(row?.started_at_utc?.slice(0, 19).replace('T', ' '));
    expect(Number(row?.attempts)).toBe(call.attempts);
    expect(Number(row?.attempts)).toBe(3); // 101 102 103 rung (scenario 01)
    expect(row?.direction).toBe('inbound');
    expect(row?.status).toBe('answered');
  });

  it('round-trips Russian dictionary names, tags and notes', async () => {
    const purpose = await db()
      .selectFrom('app.call_purposes')
      .where('name', '=', 'Запись на приём')
      .select('id')
      .executeTakeFirstOrThrow();
    const tag = (name: string, sort_order: number) =>
      db().insertInto('app.call_tags').values({ name, sort_order }).returning('id').executeTakeFirstOrThrow();
    const tags = [(await tag('Повторный', 1)).id, (await tag('VIP', 2)).id];
    const call = await db()
      .updateTable('app.calls')
      .set({ purpose_id: purpose.id, notes: 'Пациент просит перезвонить', needs_callback: true })
      .where('linkedid', '=', S01)
      .returning('id')
      .executeTakeFirstOrThrow();
    await db()
      .insertInto('app.call_tag_links')
      .values(tags.map((tag_id) => ({ call_id: call.id, tag_id })))
      .execute();

    const { rows } = await exportCsv(admin);
    const row = rows.find((r) => r.linkedid === S01);
    expect(row?.purpose).toBe('Запись на приём');
    expect(row?.notes).toBe('Пациент просит перезвонить');
    expect(row?.tags).toBe('Повторный; VIP');
    expect(row?.needs_callback).toBe('yes');
    expect(row?.completed).toBe('no');
  });

  it('neutralises spreadsheet formulas in typed text but keeps +7 numbers', async () => {
    expect(neutraliseFormula('=HYPERLINK("http://x")')).toBe('\'=HYPERLINK("http://x")');
    expect(neutraliseFormula('+79161234567')).toBe('+79161234567');
    expect(neutraliseFormula('-1+2')).toBe("'-1+2");
    expect(neutraliseFormula('Обычный текст')).toBe('Обычный текст');
    await db()
      .updateTable('app.calls')
      .set({ notes: '=1+1' })
      .where('linkedid', '=', SALES[0] ?? '')
      .execute();
    const { rows } = await exportCsv(admin, { queue: 'sales' });
    expect(rows.find((r) => r.linkedid === SALES[0])?.notes).toBe("'=1+1");
  });

  it('gives a supervisor only the calls of their queues', async () => {
    const { res, rows } = await exportCsv(salesSup);
    expect(res.status).toBe(200);
    expect(rows.map((r) => r.linkedid).sort()).toEqual([...SALES].sort());
    for (const r of rows) expect(r.queue).toBe('sales');
    // A filter cannot widen the scope.
    const support = await exportCsv(salesSup, { queue: 'support' });
    expect(support.res.status).toBe(200);
    expect(support.rows).toHaveLength(0);
  });

  it('refuses operators (403) and anonymous requests (401) with the JSON error body', async () => {
    const op = await kit.request('/export/calls.csv', { token: op101 });
    expect(op.status).toBe(403);
    expect(((await op.json()) as ErrorBody).error).toBe('forbidden');
    const anon = await kit.request('/export/calls.csv');
    expect(anon.status).toBe(401);
    expect(((await anon.json()) as ErrorBody).error).toBe('unauthorized');
  });

  it('applies the GET /calls filters (status=abandoned)', async () => {
    const { rows } = await exportCsv(admin, { status: 'abandoned' });
    const expected = await db()
      .selectFrom('app.calls')
      .where('status', '=', 'abandoned')
      .select('linkedid')
      .execute();
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(31);
    expect(rows.map((r) => r.linkedid).sort()).toEqual(expected.map((r) => r.linkedid).sort());
    for (const r of rows) expect(r.status).toBe('abandoned');
  });

  it.each([
    [{ status: 'lost' }],
    [{ from: 'yesterday' }],
    [{ from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }],
    [{ from: '2024-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }],
    [{ purpose_id: '1 OR 1=1' }],
    [{ limit: '10' }],
    [{ cursor: 'abc' }],
    [{ nonsense: '1' }],
  ])('answers bad filters %j with 400 and the JSON error body', async (params) => {
    const res = await kit.request(`/export/calls.csv?${new URLSearchParams(params)}`, { token: admin });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await res.json()) as ErrorBody).error).toBe('validation_failed');
  });

  it('audits each export with its filters', async () => {
    const before = await db()
      .selectFrom('app.audit_log')
      .where('action', '=', 'export')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const { res } = await exportCsv(admin, { status: 'answered', queue: 'support' });
    expect(res.status).toBe(200);
    const rows = await db()
      .selectFrom('app.audit_log')
      .where('action', '=', 'export')
      .selectAll()
      .orderBy('id', 'desc')
      .execute();
    expect(rows.length).toBe(Number(before.n) + 1);
    const last = rows[0];
    expect(last?.user_id).toBe(adminId);
    expect(last?.login).toBe('export-admin');
    expect(last?.target).toBe('calls');
    expect(last?.details).toMatchObject({ format: 'csv', filters: { status: 'answered', queue: 'support' } });
    // A refused export leaves no row.
    await kit.request('/export/calls.csv?status=lost', { token: admin });
    const after = await db()
      .selectFrom('app.audit_log')
      .where('action', '=', 'export')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n) + 1);
  });
});

describe('a large export', () => {
  const EXTRA = 5000;

  beforeAll(async () => {
    // 5000 copies of scenario 01's call with new linkedids, a second apart after the fixtures.
    await sql`
      INSERT INTO app.calls (server_id, linkedid, uniqueid, linkedids, direction, status, started_at,
        answered_at, ended_at, duration_sec, wait_sec, queue_wait_sec, talk_sec, hold_sec, src_number,
        dst_number, did, queue, queues, operator_endpoint, recording_path, recordings, closed_by,
        flags, reconciler_version, derived_hash, notes)
      SELECT c.server_id, 'bulk.' || g, 'bulk.' || g, ARRAY['bulk.' || g], c.direction, c.status,
        c.started_at + g * interval '1 day', c.answered_at, c.ended_at, c.duration_sec, c.wait_sec,
        c.queue_wait_sec, c.talk_sec, c.hold_sec, c.src_number, c.dst_number, c.did, c.queue,
        c.queues, c.operator_endpoint, c.recording_path, c.recordings, c.closed_by, c.flags,
        c.reconciler_version, c.derived_hash, 'Копия для нагрузки №' || g
      FROM app.calls c, generate_series(1, ${EXTRA}) g
      WHERE c.linkedid = ${S01}`.execute(db());
  });

  afterAll(async () => {
    await sql`DELETE FROM app.calls WHERE linkedid LIKE 'bulk.%'`.execute(db());
  });

  it('streams: the first bytes arrive after one page is read, and the rest page by page', async () => {
    const pages: number[] = [];
    const deps = {
      db: db(),
      pool: kit.stores.postgres.pool,
      clickhouse: null,
      config: kit.config,
      log: () => {},
    };
    const app = new OpenAPIHono<ApiEnv>();
    app.onError(errorHandler(() => {}));
    app.route('/', exportRoutes(deps, { onPage: (n) => pages.push(n) }));
    const res = await app.request('/export/calls.csv', { headers: { authorization: `Bearer ${admin}` } });
    expect(res.status).toBe(200);
    expect(res.body).toBeInstanceOf(ReadableStream);

    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    expect(first.value?.byteLength).toBeGreaterThan(0);
    // Give an eager implementation every chance to read ahead; backpressure must hold it at the
    // first page (or the next, already requested) out of six.
    for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 5));
    expect(pages.length).toBeGreaterThanOrEqual(1);
    expect(pages.length).toBeLessThanOrEqual(2);

    const chunks: Uint8Array[] = [first.value as Uint8Array];
    let chunkCount = 1;
    for (;;) {
      const next = await reader.read();
      if (next.done) break;
      chunks.push(next.value);
      chunkCount++;
    }
    expect(chunkCount).toBeGreaterThan(10); // many chunks, not one big string
    const rows = parse(Buffer.concat(chunks), { bom: true, columns: true }) as Row[];
    expect(rows).toHaveLength(31 + EXTRA);
    expect(new Set(rows.map((r) => r.id)).size).toBe(31 + EXTRA); // keyset pages: no repeats, no gaps
    expect(pages).toEqual([1000, 1000, 1000, 1000, 1000, 31]);
    expect(rows.at(-1)?.notes).toBe(`Копия для нагрузки №${EXTRA}`);
  });

  it('stops reading when the client cancels the body', async () => {
    const pages: number[] = [];
    const app = new OpenAPIHono<ApiEnv>();
    app.route(
      '/',
      exportRoutes(
        { db: db(), pool: kit.stores.postgres.pool, clickhouse: null, config: kit.config, log: () => {} },
        { onPage: (n) => pages.push(n) },
      ),
    );
    const res = await app.request('/export/calls.csv', { headers: { authorization: `Bearer ${admin}` } });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    await reader.cancel();
    for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 5));
    expect(pages.length).toBeLessThanOrEqual(2);
  });
});
