import { DEFAULT_FACT_COLUMNS, factsQuery } from '@callcenter/analytics/clickhouse';
import { type Table, tableFromIPC } from 'apache-arrow';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { reportScope } from '../src/routes/reports/report-routes.ts';
import { type ApiTestKit, openApiTestKit } from './support/api-test-kit.ts';

/**
 * The report routes over the 31 calls of the bundled captures: the kit's chDB holds their facts,
 * its Postgres their cards. Every figure read from an Arrow or JSON report is checked against
 * Postgres (app.calls and its attempts/segments), the source the facts are shipped from.
 */

const ARROW = 'application/vnd.apache.arrow.stream';

let kit: ApiTestKit;
let admin: string;
let salesSupervisor: string;
let op101: string;
let noEndpoint: string;
/** A period covering every fixture call, as query parameters. */
let period: string;
let from: string;
let to: string;

interface PgCall {
  linkedid: string;
  queue: string;
  operator: string;
  status: string;
  direction: string;
  talk_sec: number;
  hold_sec: number;
  queue_wait_sec: number | null;
  started_ms: number;
}
let pgCalls: PgCall[];

beforeAll(async () => {
  kit = await openApiTestKit();
  admin = (await kit.user({ login: 'rep-admin', role: 'admin' })).token;
  salesSupervisor = (await kit.user({ login: 'rep-sales', role: 'supervisor', queues: ['sales'] })).token;
  op101 = (await kit.user({ login: 'rep-101', role: 'operator', endpoint: '101' })).token;
  noEndpoint = (await kit.user({ login: 'rep-none', role: 'operator', endpoint: null })).token;
  const rows = await kit.stores.postgres.db
    .selectFrom('app.calls')
    .select([
      'linkedid',
      'queue',
      'operator_endpoint',
      'status',
      'direction',
      'talk_sec',
      'hold_sec',
      'queue_wait_sec',
      'started_at',
    ])
    .execute();
  pgCalls = rows.map((r) => ({
    linkedid: r.linkedid,
    queue: r.queue ?? '',
    operator: r.operator_endpoint ?? '',
    status: r.status,
    direction: r.direction,
    talk_sec: Number(r.talk_sec),
    hold_sec: Number(r.hold_sec),
    queue_wait_sec: r.queue_wait_sec === null ? null : Number(r.queue_wait_sec),
    started_ms: new Date(r.started_at as unknown as string).getTime(),
  }));
  const starts = pgCalls.map((c) => c.started_ms);
  from = new Date(Math.min(...starts) - 86_400_000).toISOString();
  to = new Date(Math.max(...starts) + 86_400_000).toISOString();
  period = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
}, 180_000);

afterAll(async () => {
  await kit?.dispose();
});

async function arrow(path: string, token: string): Promise<Table> {
  const res = await kit.request(path, { token });
  expect(res.status, await res.clone().text()).toBe(200);
  expect(res.headers.get('content-type')).toBe(ARROW);
  return tableFromIPC(new Uint8Array(await res.arrayBuffer()));
}

async function jsonLines(path: string, token: string): Promise<Record<string, unknown>[]> {
  const res = await kit.request(path, { token });
  expect(res.status, await res.clone().text()).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
  const text = await res.text();
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const rowsOf = (table: Table) => table.toArray().map((row) => row.toJSON() as Record<string, unknown>);

const round3 = (n: number) => Math.round(n * 1000) / 1000;

function sumBy<T>(items: T[], key: (item: T) => string, value: (item: T) => number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = round3((out[key(item)] ?? 0) + value(item));
  return out;
}

async function errorOf(path: string, token = admin) {
  const res = await kit.request(path, { token });
  return { status: res.status, body: (await res.json()) as { error: string; message: string } };
}

describe('GET /reports/facts', () => {
  it('returns every call as Arrow, with the talk per operator Postgres has', async () => {
    expect(pgCalls.length).toBe(31);
    const defaults = await arrow(`/reports/facts?${period}`, admin);
    expect(defaults.numRows).toBe(pgCalls.length);
    // The default set is the dashboard's: no identifiers, numbers or UInt64 (BigInt) columns.
    expect(defaults.schema.fields.map((f) => f.name)).toEqual([...DEFAULT_FACT_COLUMNS]);
    for (const name of ['linkedid', 'call_id', 'version', 'src_number', 'dst_number']) {
      expect(defaults.schema.fields.map((f) => f.name)).not.toContain(name);
    }
    const table = await arrow(
      `/reports/facts?${period}&columns=linkedid,${DEFAULT_FACT_COLUMNS.join(',')}`,
      admin,
    );
    expect(String(table.schema.fields.find((f) => f.name === 'started_at')?.type)).toBe(
      'Timestamp<MILLISECOND, UTC>',
    );
    expect(String(table.schema.fields.find((f) => f.name === 'queue')?.type)).toBe('Dictionary<Int32, Utf8>');
    const rows = rowsOf(table);
    const talk = sumBy(
      rows,
      (r) => String(r.operator),
      (r) => Number(r.talk_sec),
    );
    expect(talk).toEqual(
      sumBy(
        pgCalls,
        (c) => c.operator,
        (c) => c.talk_sec,
      ),
    );
    expect(Object.keys(talk).length).toBeGreaterThan(2);
    const byLinkedid = new Map(pgCalls.map((c) => [c.linkedid, c]));
    for (const row of rows) {
      const pg = byLinkedid.get(String(row.linkedid));
      expect(pg, String(row.linkedid)).toBeDefined();
      expect(row.started_at).toBe(pg?.started_ms);
      expect(row.status).toBe(pg?.status);
      expect(row.queue).toBe(pg?.queue);
    }
  });

  it('passes ClickHouse’s ArrowStream bytes through unchanged', async () => {
    const res = await kit.request(`/reports/facts?${period}&columns=linkedid,started_at,talk_sec,queue`, {
      token: admin,
    });
    const served = Buffer.from(await res.arrayBuffer());
    const { user } = await kit.user({ login: 'rep-admin', role: 'admin' });
    const built = factsQuery(reportScope(user), { from: new Date(from), to: new Date(to) }, [
      'linkedid',
      'started_at',
      'talk_sec',
      'queue',
    ]);
    const direct = await kit.stores.clickhouse.exec({ query: built.query, query_params: built.query_params });
    const chunks: Buffer[] = [];
    for await (const chunk of direct.stream) chunks.push(chunk as Buffer);
    expect(served.equals(Buffer.concat(chunks))).toBe(true);
    // Arrow IPC stream: starts with the continuation marker 0xFFFFFFFF of the schema message.
    expect(served.readUInt32LE(0)).toBe(0xffffffff);
  });

  it('returns the same values as JSON Lines with format=json', async () => {
    const cols = 'linkedid,started_at,answered_at,talk_sec,queue_wait_sec,queue,operator,status';
    const arrowRows = rowsOf(await arrow(`/reports/facts?${period}&columns=${cols}`, admin));
    const json = await jsonLines(`/reports/facts?${period}&columns=${cols}&format=json`, admin);
    expect(json.length).toBe(arrowRows.length);
    json.forEach((j, i) => {
      const a = arrowRows[i] ?? {};
      expect(j.linkedid).toBe(a.linkedid);
      expect(new Date(String(j.started_at)).getTime()).toBe(a.started_at);
      expect(j.answered_at === null ? null : new Date(String(j.answered_at)).getTime()).toBe(a.answered_at);
      // Durations are Float32 in both formats: JSON prints the shortest decimal of the float.
      expect(Math.fround(Number(j.talk_sec))).toBe(a.talk_sec);
      expect(j.queue_wait_sec === null ? null : Math.fround(Number(j.queue_wait_sec))).toBe(a.queue_wait_sec);
      expect([j.queue, j.operator, j.status]).toEqual([a.queue, a.operator, a.status]);
    });
  });

  it('returns UInt64 columns only when asked for (BigInt in JS)', async () => {
    const table = await arrow(`/reports/facts?${period}&columns=linkedid,call_id,version`, admin);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['linkedid', 'call_id', 'version']);
    expect(typeof rowsOf(table)[0]?.call_id).toBe('bigint');
  });

  it('limits a supervisor of sales to sales calls', async () => {
    const rows = rowsOf(await arrow(`/reports/facts?${period}&columns=linkedid,queue`, salesSupervisor));
    const expected = pgCalls.filter((c) => c.queue === 'sales').map((c) => c.linkedid);
    expect(expected.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.queue === 'sales')).toBe(true);
    expect(rows.map((r) => r.linkedid).sort()).toEqual(expected.sort());
    // Asking for another queue does not widen the scope.
    const support = await arrow(`/reports/facts?${period}&queue=support`, salesSupervisor);
    expect(support.numRows).toBe(0);
  });

  it('limits an operator to their calls and the calls they were rung for', async () => {
    const rows = rowsOf(await arrow(`/reports/facts?${period}&columns=linkedid,operator`, op101));
    const expected = await sql<{ linkedid: string }>`
      SELECT c.linkedid FROM app.calls c
      WHERE c.server_id = 'pbx1' AND (c.operator_endpoint = '101'
        OR EXISTS (SELECT 1 FROM app.call_attempts a WHERE a.call_id = c.id AND a.operator_endpoint = '101'))
    `.execute(kit.stores.postgres.db);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(pgCalls.length);
    expect(rows.map((r) => r.linkedid).sort()).toEqual(expected.rows.map((r) => r.linkedid).sort());
    expect((await arrow(`/reports/facts?${period}`, noEndpoint)).numRows).toBe(0);
  });

  it('applies filters as bound parameters: an injection string matches nothing and breaks nothing', async () => {
    for (const evil of [
      "sales' OR '1'='1",
      "x') OR 1=1 --",
      'sales}; DROP TABLE call_facts; --',
      '{from:String}',
    ]) {
      const q = encodeURIComponent(evil);
      const table = await arrow(`/reports/facts?${period}&queue=${q}`, admin);
      expect(table.numRows).toBe(0);
      expect((await arrow(`/reports/facts?${period}&operator=${q}`, op101)).numRows).toBe(0);
    }
    expect((await arrow(`/reports/facts?${period}`, admin)).numRows).toBe(31);
    const sales = await arrow(`/reports/facts?${period}&queue=sales&status=missed&direction=inbound`, admin);
    expect(sales.numRows).toBe(pgCalls.filter((c) => c.queue === 'sales' && c.status === 'missed').length);
  });

  it('answers 400 for unknown columns and bad periods, never 500', async () => {
    const unknown = await errorOf(`/reports/facts?${period}&columns=linkedid,is_deleted`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain('is_deleted');
    expect((await errorOf(`/reports/facts?${period}&columns=linkedid,(SELECT 1)`)).status).toBe(400);
    expect((await errorOf(`/reports/facts?${period}&columns=`)).status).toBe(400);
    const bad = [
      '',
      `from=${encodeURIComponent(from)}`,
      'from=yesterday&to=today',
      'from=2025-03-03&to=2025-03-04',
      'from=2025-02-30T00:00:00Z&to=2025-03-04T00:00:00Z',
      'from=2025-03-04T00:00:00Z&to=2025-03-03T00:00:00Z',
      'from=2025-03-03T00:00:00Z&to=2025-03-03T00:00:00Z',
      'from=2024-01-01T00:00:00Z&to=2025-03-01T00:00:00Z',
      `${period}&format=csv`,
      `${period}&direction=sideways`,
      `${period}&unknown=1`,
    ];
    for (const query of bad) {
      const res = await errorOf(`/reports/facts?${query}`);
      expect(res.status, query).toBe(400);
      expect(typeof res.body.error, query).toBe('string');
    }
    expect((await kit.request(`/reports/facts?${period}`)).status).toBe(401);
  });
});

describe('GET /reports/rollup', () => {
  it('sums per bucket equal the facts’ sums', async () => {
    const facts = rowsOf(await arrow(`/reports/facts?${period}`, admin));
    for (const grain of ['hour', 'day', 'week']) {
      const table = await arrow(`/reports/rollup?${period}&grain=${grain}&tz=Europe/Moscow`, admin);
      expect(String(table.schema.fields.find((f) => f.name === 'offered')?.type)).toBe('Uint32');
      const rows = rowsOf(table);
      const total = (key: string) => round3(rows.reduce((s, r) => s + Number(r[key]), 0));
      expect(total('calls')).toBe(facts.length);
      expect(total('offered')).toBe(facts.filter((f) => f.direction === 'inbound').length);
      expect(total('answered')).toBe(
        facts.filter((f) => f.direction === 'inbound' && f.status === 'answered').length,
      );
      expect(total('abandoned')).toBe(facts.filter((f) => f.status === 'abandoned').length);
      expect(total('missed')).toBe(facts.filter((f) => f.status === 'missed').length);
      expect(total('hold_sec')).toBe(round3(facts.reduce((s, f) => s + Number(f.hold_sec), 0)));
      const answered = facts.filter((f) => f.direction === 'inbound' && f.status === 'answered');
      expect(total('queue_wait_answered_sec')).toBe(
        round3(answered.reduce((s, f) => s + Number(f.queue_wait_sec ?? 0), 0)),
      );
      expect(total('answered_in_sl')).toBe(
        answered.filter((f) => f.queue_wait_sec !== null && Number(f.queue_wait_sec) <= 20).length,
      );
      // Talk per queue × operator, against Postgres.
      expect(
        sumBy(
          rows,
          (r) => `${r.queue}/${r.operator}`,
          (r) => Number(r.talk_sec),
        ),
      ).toEqual(
        sumBy(
          pgCalls,
          (c) => `${c.queue}/${c.operator}`,
          (c) => c.talk_sec,
        ),
      );
    }
  });

  it('counts answered_in_sl against each queue’s own T, not one T for all', async () => {
    const db = kit.stores.postgres.db;
    const before = await db.selectFrom('app.queues').select(['name', 'service_level_sec']).execute();
    try {
      await db
        .updateTable('app.queues')
        .set({ service_level_sec: 3 })
        .where('name', '=', 'support')
        .execute();
      await db.updateTable('app.queues').set({ service_level_sec: 60 }).where('name', '=', 'sales').execute();
      const rows = rowsOf(await arrow(`/reports/rollup?${period}&grain=day&tz=Europe/Moscow`, admin));
      const inSl = sumBy(
        rows,
        (r) => String(r.queue),
        (r) => Number(r.answered_in_sl),
      );
      const expected = (queue: string, t: number) =>
        pgCalls.filter(
          (c) =>
            c.queue === queue &&
            c.direction === 'inbound' &&
            c.status === 'answered' &&
            c.queue_wait_sec !== null &&
            c.queue_wait_sec <= t,
        ).length;
      expect(inSl.support).toBe(expected('support', 3));
      expect(inSl.sales).toBe(expected('sales', 60));
      // The thresholds make a difference on these calls (else the test could not fail).
      expect(expected('support', 3)).not.toBe(expected('support', 20));
    } finally {
      for (const q of before) {
        await db
          .updateTable('app.queues')
          .set({ service_level_sec: q.service_level_sec })
          .where('name', '=', q.name)
          .execute();
      }
    }
  });

  it('puts buckets in the requested zone and agrees with format=json', async () => {
    const hours = rowsOf(await arrow(`/reports/rollup?${period}&grain=hour&tz=Europe/Moscow`, admin));
    for (const row of hours) {
      const local = new Date(Number(row.bucket_start) + 3 * 3_600_000).toISOString(); // Moscow = UTC+3
      expect(row.bucket_label).toBe(`${local.slice(0, 10)} ${local.slice(11, 16)}`);
    }
    const weeks = rowsOf(await arrow(`/reports/rollup?${period}&grain=week&tz=Asia/Vladivostok`, admin));
    for (const row of weeks) {
      const local = new Date(Number(row.bucket_start) + 10 * 3_600_000); // Vladivostok = UTC+10
      expect(local.getUTCDay()).toBe(1);
      expect(local.getUTCHours()).toBe(0);
    }
    const json = await jsonLines(`/reports/rollup?${period}&grain=hour&tz=Europe/Moscow&format=json`, admin);
    expect(
      json.map((j) => [new Date(String(j.bucket_start)).getTime(), j.queue, j.operator, j.calls, j.talk_sec]),
    ).toEqual(hours.map((a) => [a.bucket_start, a.queue, a.operator, a.calls, a.talk_sec]));
  });

  it('keeps the scope and validates the zone', async () => {
    const rows = rowsOf(await arrow(`/reports/rollup?${period}&grain=day`, salesSupervisor));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.queue === 'sales')).toBe(true);
    expect(rows.reduce((s, r) => s + Number(r.calls), 0)).toBe(
      pgCalls.filter((c) => c.queue === 'sales').length,
    );
    for (const tz of ['Mars/Olympus', 'europe/moscow', "UTC') OR 1=1 --", '+03:00']) {
      expect(
        (await errorOf(`/reports/rollup?${period}&grain=day&tz=${encodeURIComponent(tz)}`)).status,
        tz,
      ).toBe(400);
    }
    expect((await errorOf(`/reports/rollup?${period}&grain=month`)).status).toBe(400);
    expect((await errorOf(`/reports/rollup?${period}`)).status).toBe(400);
  });
});

describe('GET /me/stats', () => {
  it('gives an operator their own figures from attempts and segments', async () => {
    const res = await kit.request(`/me/stats?${period}`, { token: op101 });
    expect(res.status).toBe(200);
    const stats = (await res.json()) as Record<string, number | string | null>;
    const attempts = await sql<{ answered: number; missed: number }>`
      SELECT count(*) FILTER (WHERE outcome = 'answered')::int AS answered,
             count(*) FILTER (WHERE outcome IN ('no_answer', 'busy', 'declined'))::int AS missed
      FROM app.call_attempts WHERE operator_endpoint = '101'
    `.execute(kit.stores.postgres.db);
    const segments = await sql<{ calls: number; talk: number; hold: number }>`
      SELECT count(DISTINCT call_id)::int AS calls, coalesce(sum(talk_sec), 0)::float8 AS talk,
             coalesce(sum(hold_sec), 0)::float8 AS hold
      FROM app.call_segments WHERE operator_endpoint = '101'
    `.execute(kit.stores.postgres.db);
    const a = attempts.rows[0];
    const s = segments.rows[0];
    expect(stats.endpoint).toBe('101');
    expect(stats.answered_calls).toBe(a?.answered);
    expect(stats.missed_attempts).toBe(a?.missed);
    expect(stats.talked_calls).toBe(s?.calls);
    expect(round3(Number(stats.talk_sec))).toBe(round3(Number(s?.talk)));
    expect(round3(Number(stats.hold_sec))).toBe(round3(Number(s?.hold)));
    expect(Number(stats.talked_calls)).toBeGreaterThan(0);
    expect(round3(Number(stats.aht_sec))).toBe(
      round3((Number(s?.talk) + Number(s?.hold)) / Number(s?.calls)),
    );
  });

  it('answers zeros without an endpoint and 400 for a bad period', async () => {
    const res = await kit.request(`/me/stats?${period}`, { token: noEndpoint });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ endpoint: null, answered_calls: 0, aht_sec: null });
    expect((await errorOf('/me/stats?from=2025-03-04T00:00:00Z&to=2025-03-03T00:00:00Z', op101)).status).toBe(
      400,
    );
    expect((await errorOf('/me/stats?from=2025-03-04T00:00:00Z', op101)).status).toBe(400);
  });
});

describe('without ClickHouse', () => {
  it('answers 503 with the error body', async () => {
    const app = createApp({
      db: kit.stores.postgres.db,
      pool: kit.stores.postgres.pool,
      clickhouse: null,
      config: kit.config,
      log: () => {},
    });
    for (const path of [
      `/reports/facts?${period}`,
      `/reports/rollup?${period}&grain=day`,
      `/me/stats?${period}`,
    ]) {
      const res = await app.request(path, { headers: { authorization: `Bearer ${op101}` } });
      expect(res.status, path).toBe(503);
      expect(await res.json()).toMatchObject({ error: 'clickhouse_unavailable' });
    }
  });

  it('documents the Arrow schema in OpenAPI', async () => {
    const doc = (await (await kit.request('/openapi.json')).json()) as {
      paths: Record<string, { get: { description: string } }>;
    };
    const facts = doc.paths['/reports/facts']?.get.description ?? '';
    expect(facts).toContain('| `talk_sec` | Float64 | Float32 | s |');
    expect(facts).toContain('Timestamp<MILLISECOND, UTC>');
    expect(doc.paths['/reports/rollup']?.get.description).toContain('answered_in_sl');
  });
});
