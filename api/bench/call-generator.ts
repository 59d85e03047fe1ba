import type pg from 'pg';

/**
 * Synthetic call cards for the benches (`npm run bench:calls`, `npm run bench:api`): `n` calls
 * generated inside PostgreSQL (one INSERT … SELECT per table from `generate_series`, no rows
 * cross the process), deterministic (`setseed`), with the distributions a contact centre has:
 *
 * - one year (2027, UTC), ids in time order as the collector writes them, 07:00–22:00 each day;
 * - 70 % inbound, 20 % outbound, 10 % internal;
 * - {@link BENCH_QUEUES} (20) queues, skewed (the first ones busiest); 5 % of inbound calls end
 *   in the IVR before any queue;
 * - {@link BENCH_OPERATORS} (200) operator endpoints `101`…`300`;
 * - inbound: 82 % answered, 10 % abandoned, 8 % missed; outbound: 60 % answered, 25 % no answer,
 *   10 % busy, 5 % failed; internal: 80 % answered, 15 % no answer, 5 % busy;
 * - ring attempts per queued call as the captured rrmemory/ringall queues show (one ring, a second
 *   after a ring-no-answer in 25 %, a third in 8 %), the last one answered when the call was;
 *   internal calls ring their callee once; outbound calls ring no operator;
 * - 5 % of answered inbound calls transferred (blind) to a second operator: two segments, a
 *   transfer row; every other answered call has one segment;
 * - waits exponential (mean 20 s), talk log-normal (median ≈ 2 min);
 * - customers from a pool of n / 4 numbers (skewed: some call often), 10 % written in the
 *   domestic `8…` form; two DIDs;
 * - cards: 6 % of answered calls carry notes (Russian and Latin phrases), 30 % a category of
 *   {@link BENCH_CATEGORIES}, 2 % of calls `needs_callback`.
 *
 * The NOTIFY triggers are off during the load (no listener wants a million ids); the participant
 * triggers stay on, so app.call_participants is built as the collector would build it.
 */

/** Operator endpoints of the generated calls. */
export const BENCH_OPERATORS = Array.from({ length: 200 }, (_, i) => String(101 + i));
/** Queue names of the generated calls. */
export const BENCH_QUEUES = Array.from({ length: 20 }, (_, i) => `q${String(i + 1).padStart(2, '0')}`);
/** Category names the generated cards use (created in app.call_categories when missing). */
export const BENCH_CATEGORIES = [
  'Консультация',
  'Заказ',
  'Возврат',
  'Жалоба',
  'Доставка',
  'Оплата',
  'Тариф',
  'Техническая проблема',
  'Продажа',
  'Другое',
];
/** Notes phrases of the generated cards; `{k}` is replaced by the call's number in the series. */
export const BENCH_NOTES = [
  'Клиент просит перезвонить после обеда',
  'Уточнить статус заказа {k}',
  'Жалоба на качество связи, передано в техподдержку',
  'Консультация по тарифу, клиент доволен',
  'Оформлен возврат по заказу {k}',
  'Передано в отдел продаж',
  'VIP client, escalate to supervisor',
  'Повторное обращение по доставке',
  'Ошибка оплаты картой, счёт {k}',
  'Customer asked for invoice copy',
];
/** The year the calls are spread over. */
export const BENCH_YEAR_START = Date.UTC(2027, 0, 1);
/** Customer number of pool entry `i` as stored for an inbound call (E.164 digits, no `+`). */
export const benchCustomerNumber = (i: number) => `79${String(i).padStart(9, '0')}`;
/** How many distinct customers `n` calls come from. */
export const benchCustomerPool = (n: number) => Math.max(100, Math.floor(n / 4));

const literal = (values: readonly string[]) =>
  `ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(',')}]`;

/**
 * Inserts `n` generated calls (with attempts, segments, transfers, card fields) into app.calls of
 * server `serverId`, then VACUUM ANALYZE. Runs on one connection of `pool`. Throws what
 * PostgreSQL throws.
 */
export async function generateCalls(pool: pg.Pool, n: number, serverId = 'pbx1'): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query(
      `INSERT INTO app.call_categories (name, sort_order)
       SELECT name, ord FROM unnest($1::text[]) WITH ORDINALITY AS x(name, ord)
       WHERE NOT EXISTS (SELECT 1 FROM app.call_categories c WHERE c.name = x.name AND c.deleted_at IS NULL)`,
      [BENCH_CATEGORIES],
    );
    const { rows: cats } = await client.query<{ ids: number[] }>(
      'SELECT array_agg(id ORDER BY id)::int[] AS ids FROM app.call_categories WHERE name = ANY($1) AND deleted_at IS NULL',
      [BENCH_CATEGORIES],
    );
    const categoryIds = cats[0]!.ids;
    await client.query('ALTER TABLE app.calls DISABLE TRIGGER calls_notify_insert');
    await client.query('SELECT setseed(0.16)');
    const pool4 = benchCustomerPool(n);
    // One row per call with every random choice made once, so the call and its attempts,
    // segments and transfer agree.
    await client.query(`
      CREATE TEMP TABLE bench_gen AS
      WITH r AS (
        SELECT g AS k, random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5,
               random() AS r6, greatest(random(), 1e-9) AS r7, random() AS r8, random() AS r9, random() AS r10,
               random() AS r11, random() AS r12
        FROM generate_series(1, ${n}::bigint) AS g
      ), d AS (
        SELECT r.*,
          timestamptz '2027-01-01 00:00:00+00'
            + make_interval(days => floor((k - 1) * 365.0 / ${n})::int)
            + make_interval(secs => 7 * 3600 + (((k - 1) * 365.0 / ${n}) - floor((k - 1) * 365.0 / ${n})) * 15 * 3600) AS started_at,
          CASE WHEN r1 < 0.7 THEN 'inbound' WHEN r1 < 0.9 THEN 'outbound' ELSE 'internal' END AS direction,
          1 + floor(${BENCH_OPERATORS.length} * r4)::int AS op,
          1 + floor(${BENCH_OPERATORS.length} * r12)::int AS op2,
          -ln(1 - r6) * 20 AS wait,
          exp(4.8 + 0.9 * sqrt(-2 * ln(r7)) * cos(2 * pi() * r8)) AS talk,
          floor(${pool4} * r9 * r9)::bigint AS customer
        FROM r
      ), s AS (
        SELECT d.*,
          CASE WHEN direction = 'inbound' AND r2 >= 0.05
               THEN (${literal(BENCH_QUEUES)})[1 + floor(${BENCH_QUEUES.length} * power((r2 - 0.05) / 0.95, 1.5))::int] END AS queue,
          CASE direction
            WHEN 'inbound' THEN CASE WHEN r2 < 0.05 THEN 'abandoned' WHEN r3 < 0.82 THEN 'answered' WHEN r3 < 0.92 THEN 'abandoned' ELSE 'missed' END
            WHEN 'outbound' THEN CASE WHEN r3 < 0.6 THEN 'answered' WHEN r3 < 0.85 THEN 'no_answer' WHEN r3 < 0.95 THEN 'busy' ELSE 'failed' END
            ELSE CASE WHEN r3 < 0.8 THEN 'answered' WHEN r3 < 0.95 THEN 'no_answer' ELSE 'busy' END
          END AS status,
          CASE WHEN direction = 'inbound' AND r2 >= 0.05 THEN 1 + (r5 < 0.25)::int + (r5 < 0.08)::int
               WHEN direction = 'internal' THEN 1 ELSE 0 END AS attempts,
          CASE WHEN r11 < 0.1 THEN '89' ELSE '79' END AS prefix
        FROM d
      )
      SELECT s.*,
        (s.direction = 'inbound' AND s.status = 'answered' AND s.r10 < 0.05) AS transferred,
        CASE WHEN s.status = 'answered' THEN s.wait ELSE least(s.wait * 2, 120) END AS wait_sec,
        CASE WHEN s.status = 'answered' THEN s.talk ELSE 0 END AS talk_sec
      FROM s`);
    // The calls.
    await client.query(`
      INSERT INTO app.calls (server_id, linkedid, uniqueid, linkedids, direction, status, started_at,
        answered_at, ended_at, duration_sec, wait_sec, queue_wait_sec, talk_sec, hold_sec, src_number,
        dst_number, did, queue, queues, operator_endpoint, hung_up_by, closed_by, flags,
        reconciler_version, derived_hash, version, category_id, notes, needs_callback, card_completed_at,
        resolved_first_call)
      SELECT '${serverId}', 'bench.' || k, 'bench.' || k, ARRAY['bench.' || k], direction, status, started_at,
        CASE WHEN status = 'answered' THEN started_at + make_interval(secs => wait_sec) END,
        started_at + make_interval(secs => wait_sec + talk_sec),
        wait_sec + talk_sec, wait_sec, CASE WHEN queue IS NOT NULL THEN wait_sec END, talk_sec,
        CASE WHEN status = 'answered' AND r5 > 0.9 THEN least(talk_sec / 4, 60) ELSE 0 END,
        CASE direction WHEN 'inbound' THEN prefix || lpad(customer::text, 9, '0')
             ELSE (${literal(BENCH_OPERATORS)})[op] END,
        CASE direction WHEN 'inbound' THEN CASE WHEN r12 < 0.7 THEN '74951234567' ELSE '78005553535' END
             WHEN 'outbound' THEN '79' || lpad(customer::text, 9, '0')
             ELSE (${literal(BENCH_OPERATORS)})[1 + (op + 37) % ${BENCH_OPERATORS.length}] END,
        CASE WHEN direction = 'inbound' THEN CASE WHEN r12 < 0.7 THEN '74951234567' ELSE '78005553535' END END,
        queue, CASE WHEN queue IS NULL THEN '{}'::text[] ELSE ARRAY[queue] END,
        CASE WHEN direction <> 'inbound' OR status = 'answered' THEN (${literal(BENCH_OPERATORS)})[op] END,
        CASE WHEN r8 < 0.5 THEN 'caller' ELSE 'callee' END, 'hangup', '{}'::text[],
        'bench', 'bench', 1,
        CASE WHEN status = 'answered' AND r10 >= 0.05 AND r10 < 0.35
             THEN (${literal(categoryIds.map(String))})[1 + floor(${categoryIds.length} * r11)::int]::bigint END,
        CASE WHEN status = 'answered' AND r6 < 0.06
             THEN replace((${literal(BENCH_NOTES)})[1 + floor(${BENCH_NOTES.length} * r9)::int], '{k}', k::text) END,
        r4 < 0.02,
        CASE WHEN status = 'answered' AND r10 >= 0.05 AND r10 < 0.35 THEN started_at + make_interval(secs => wait_sec + talk_sec + 30) END,
        CASE WHEN status = 'answered' AND r10 >= 0.05 AND r10 < 0.35 THEN r3 < 0.7 END
      FROM bench_gen ORDER BY k`);
    await client.query('CREATE INDEX ON bench_gen (k)');
    await client.query('ANALYZE bench_gen');
    // Ring attempts: earlier rings not answered, the last as the call ended.
    await client.query(`
      INSERT INTO app.call_attempts (call_id, seq, operator_endpoint, queue, rang_at, ring_sec, outcome, uniqueid)
      SELECT c.id, a.seq, (${literal(BENCH_OPERATORS)})[1 + (g.op - 1 + (g.attempts - 1 - a.seq) * 17
               + CASE WHEN g.direction = 'internal' THEN 37 ELSE 0 END) % ${BENCH_OPERATORS.length}],
        g.queue, c.started_at + make_interval(secs => a.seq * 15), 15,
        CASE WHEN a.seq < g.attempts - 1 THEN 'no_answer'
             WHEN g.status = 'answered' THEN 'answered'
             WHEN g.status = 'abandoned' THEN 'canceled'
             WHEN g.status = 'busy' THEN 'busy' ELSE 'no_answer' END,
        c.uniqueid || '.' || a.seq
      FROM app.calls c
      JOIN bench_gen g ON g.k = substr(c.linkedid, 7)::bigint
      CROSS JOIN LATERAL generate_series(0, g.attempts - 1) AS a(seq)
      WHERE c.linkedid LIKE 'bench.%' AND g.attempts > 0`);
    // Segments: the answering operator's leg, and the second operator's after a transfer.
    await client.query(`
      INSERT INTO app.call_segments (call_id, seq, operator_endpoint, party, started_at, ended_at, talk_sec, hold_sec)
      SELECT c.id, s.seq,
        CASE WHEN s.seq = 0 THEN c.operator_endpoint ELSE (${literal(BENCH_OPERATORS)})[g.op2] END,
        coalesce(c.src_number, 'unknown'),
        c.answered_at + make_interval(secs => s.seq * c.talk_sec / 2),
        c.answered_at + make_interval(secs => (s.seq + 1) * c.talk_sec / (1 + g.transferred::int)),
        c.talk_sec / (1 + g.transferred::int), 0
      FROM app.calls c
      JOIN bench_gen g ON g.k = substr(c.linkedid, 7)::bigint
      CROSS JOIN LATERAL generate_series(0, g.transferred::int) AS s(seq)
      WHERE c.linkedid LIKE 'bench.%' AND c.status = 'answered' AND c.answered_at IS NOT NULL`);
    await client.query(`
      INSERT INTO app.call_transfers (call_id, seq, kind, from_operator, to_target, at)
      SELECT c.id, 0, 'blind', c.operator_endpoint, (${literal(BENCH_OPERATORS)})[g.op2],
        c.answered_at + make_interval(secs => c.talk_sec / 2)
      FROM app.calls c JOIN bench_gen g ON g.k = substr(c.linkedid, 7)::bigint
      WHERE c.linkedid LIKE 'bench.%' AND g.transferred`);
    await client.query('DROP TABLE bench_gen');
    await client.query('ALTER TABLE app.calls ENABLE TRIGGER calls_notify_insert');
    for (const table of ['calls', 'call_attempts', 'call_segments', 'call_transfers', 'call_participants'])
      await client.query(`VACUUM ANALYZE app.${table}`);
  } finally {
    client.release();
  }
}
