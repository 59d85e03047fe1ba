import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalisePendingNumbers } from '../src/callbacks/callback-list.ts';
import { normalisePhoneNumber } from '../src/callbacks/phone-number.ts';
import { type ApiTestKit, openApiTestKit } from './support/api-test-kit.ts';

/**
 * app.callback_links (sql/postgres/016_callback_links.sql), which later call reached each callback
 * candidate again, is kept in step with app.calls and the numbers' normalisation by every writer:
 * the collector's inserts over the bundled captures, a call written after the later call that
 * reaches it, a card edit, a re-derivation that rewrites a call, and deletes. After each step the
 * table equals its definition (docs/metrics.md#callbacks-owed), recomputed here in JavaScript from
 * every call and libphonenumber-js, independently of the triggers and of app.customer_numbers.
 *
 * Scenario 03's abandoned caller is 79161234569 (04:22:42.714 UTC); scenario 06 is an answered
 * outbound call by 102 (04:24:22.033) to 89161234567, the number of scenario 01's answered caller.
 */
const S01 = '1795234908.0';
const S03 = '1795234962.8';
const S06 = '1795235062.25';

let kit: ApiTestKit;
let admin: string;
const db = () => kit.stores.postgres.db;

interface CallRow {
  id: string;
  server_id: string;
  queue: string | null;
  queues: string[];
  direction: string;
  status: string;
  started_at: Date;
  src_number: string | null;
  dst_number: string | null;
  operator_endpoint: string | null;
  needs_callback: boolean;
}

/**
 * `id|server|queue|queues|needs_callback|started|e164|reached id|reached at|direction|operator|attempts`:
 * stored vs the definition.
 */
async function links() {
  await normalisePendingNumbers(db());
  const stored = await sql<{ row: string }>`
    SELECT concat_ws('|', call_id, server_id, coalesce(queue, '-'), array_to_string(queues, ','),
                     needs_callback::text, extract(epoch FROM started_at), coalesce(e164, '-'),
                     coalesce(reached_call_id::text, '-'), coalesce(extract(epoch FROM reached_at)::text, '-'),
                     coalesce(reached_direction, '-'), coalesce(reached_operator, '-'), attempts) AS row
    FROM app.callback_links ORDER BY call_id`.execute(db());
  const { rows: calls } = await sql<CallRow>`
    SELECT id::text, server_id, queue, queues, direction, status, started_at, src_number, dst_number, operator_endpoint, needs_callback
    FROM app.calls`.execute(db());
  const e164 = (c: CallRow) =>
    c.direction === 'internal'
      ? null
      : normalisePhoneNumber(c.direction === 'outbound' ? c.dst_number : c.src_number);
  const order = (a: CallRow, b: CallRow) =>
    a.started_at.getTime() - b.started_at.getTime() || Number(a.id) - Number(b.id);
  const expected = calls
    .filter(
      (c) => c.needs_callback || (c.direction === 'inbound' && ['missed', 'abandoned'].includes(c.status)),
    )
    .sort((a, b) => Number(a.id) - Number(b.id))
    .map((c) => {
      const number = e164(c);
      const later = calls
        .filter(
          (x) =>
            number !== null &&
            x.direction !== 'internal' &&
            x.id !== c.id &&
            x.started_at.getTime() > c.started_at.getTime() &&
            e164(x) === number,
        )
        .sort(order);
      const reach = later.find((x) => x.status === 'answered');
      const attempts = later.filter(
        (x) => x.direction === 'outbound' && (!reach || x.started_at.getTime() <= reach.started_at.getTime()),
      ).length;
      return [
        c.id,
        c.server_id,
        c.queue ?? '-',
        c.queues.join(','),
        c.needs_callback,
        c.started_at.getTime() / 1000,
        number ?? '-',
        reach?.id ?? '-',
        reach ? reach.started_at.getTime() / 1000 : '-',
        reach?.direction ?? '-',
        reach?.operator_endpoint ?? '-',
        attempts,
      ].join('|');
    });
  // Epochs as PostgreSQL prints them (numeric, trailing zeros dropped) and as JavaScript does.
  const epochs = (row: string) =>
    row
      .split('|')
      .map((f) => (/^\d+\.\d+$/.test(f) ? String(Number(f)) : f))
      .join('|');
  return { stored: stored.rows.map((r) => epochs(r.row)), expected: expected.map(epochs) };
}

/** The stored link of the call `id`, fields as in `links()`. */
async function linkOf(id: number | string) {
  const row = await db()
    .selectFrom('app.callback_links')
    .selectAll()
    .where('call_id', '=', Number(id))
    .executeTakeFirst();
  return row ?? null;
}

/** A call like scenario 03's, with `fields` changed; returns its id. */
async function insertCall(fields: {
  linkedid: string;
  direction: string;
  status: string;
  startedAt: string;
  src: string | null;
  dst: string | null;
  operator: string | null;
}): Promise<number> {
  const { rows } = await sql<{ id: string }>`
    INSERT INTO app.calls (server_id, linkedid, uniqueid, linkedids, direction, status, started_at,
                           src_number, dst_number, operator_endpoint, reconciler_version, derived_hash)
    VALUES ('pbx1', ${fields.linkedid}, ${fields.linkedid}, ARRAY[${fields.linkedid}], ${fields.direction},
            ${fields.status}, ${fields.startedAt}::timestamptz, ${fields.src}, ${fields.dst}, ${fields.operator},
            'test', 'test')
    RETURNING id`.execute(db());
  return Number(rows[0]!.id);
}

const idOf = async (linkedid: string) =>
  (await db().selectFrom('app.calls').select('id').where('linkedid', '=', linkedid).executeTakeFirstOrThrow())
    .id;

beforeAll(async () => {
  kit = await openApiTestKit();
  admin = (await kit.user({ login: 'cbl-admin', role: 'admin' })).token;
});
afterAll(async () => kit?.dispose());

describe('app.callback_links', () => {
  it('is written with the calls the collector inserts', async () => {
    const { stored, expected } = await links();
    // The 16 lost inbound calls of the captures (api/test/missed-worklist.test.ts), all owed.
    expect(stored.length).toBe(16);
    expect(stored).toEqual(expected);
  });

  it('a callback in a new written form reaches the lost caller; a late lost call finds it', async () => {
    const s03 = await idOf(S03);
    // Called back an hour later in the 8… form (a raw number nobody normalised yet).
    const callback = await insertCall({
      linkedid: 'cbl-callback',
      direction: 'outbound',
      status: 'answered',
      startedAt: '2026-11-21T05:22:42.714Z',
      src: '103',
      dst: '89161234569',
      operator: '103',
    });
    let now = await links();
    expect(now.stored).toEqual(now.expected);
    expect(await linkOf(s03)).toMatchObject({
      reached_call_id: callback,
      reached_operator: '103',
      attempts: 1,
    });

    // A lost call between the two, written after the callback (a late capture).
    const late = await insertCall({
      linkedid: 'cbl-late',
      direction: 'inbound',
      status: 'missed',
      startedAt: '2026-11-21T04:50:00Z',
      src: '+7 (916) 123-45-69',
      dst: '600',
      operator: null,
    });
    now = await links();
    expect(now.stored).toEqual(now.expected);
    expect(await linkOf(late)).toMatchObject({
      reached_call_id: callback,
      e164: '+79161234569',
      attempts: 1,
    });

    // An earlier answered call of the number, written last, reaches both first.
    const earlier = await insertCall({
      linkedid: 'cbl-earlier',
      direction: 'inbound',
      status: 'answered',
      startedAt: '2026-11-21T04:55:00Z',
      src: '79161234569',
      dst: '600',
      operator: '101',
    });
    now = await links();
    expect(now.stored).toEqual(now.expected);
    expect(await linkOf(s03)).toMatchObject({ reached_call_id: earlier, attempts: 0 });
    expect(await linkOf(late)).toMatchObject({ reached_call_id: earlier, attempts: 0 });
  });

  it('follows a card edit and a re-derivation that rewrites a call changed behind the writer', async () => {
    const s01 = await idOf(S01);
    const s06 = await idOf(S06);
    // The answered caller of scenario 01 marked "needs a callback": scenario 06 reached them.
    await db().updateTable('app.calls').set({ needs_callback: true }).where('id', '=', s01).execute();
    let now = await links();
    expect(now.stored).toEqual(now.expected);
    expect(await linkOf(s01)).toMatchObject({ reached_call_id: s06, reached_direction: 'outbound' });

    // Changed behind the writer's back: unanswered, by another operator.
    await db()
      .updateTable('app.calls')
      .set({ status: 'no_answer', operator_endpoint: '999', derived_hash: 'tampered' })
      .where('id', '=', s06)
      .execute();
    now = await links();
    expect(now.stored).toEqual(now.expected);
    expect(await linkOf(s01)).toMatchObject({ reached_call_id: null, attempts: 1 });

    const res = await kit.request('/quality/rederive', {
      method: 'POST',
      token: admin,
      json: { callIds: [s06] },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { updated: number }).updated).toBe(1);
    now = await links();
    expect(now.stored).toEqual(now.expected);
    expect(await linkOf(s01)).toMatchObject({ reached_call_id: s06, reached_operator: '102' });

    // The card edited back: no longer a candidate.
    await db().updateTable('app.calls').set({ needs_callback: false }).where('id', '=', s01).execute();
    now = await links();
    expect(now.stored).toEqual(now.expected);
    expect(await linkOf(s01)).toBeNull();
  });

  it('two transactions writing a lost call and the call that reaches it at once', async () => {
    // Scenario 04's missed caller 79161234571, a number already normalised. Transaction A writes
    // another lost call from it and stays open; transaction B writes the answered call that
    // reaches it. B must wait for A (the links' lock), or B would not see A's link row and A's
    // call would stay owed.
    const a = await kit.stores.postgres.pool.connect();
    const b = await kit.stores.postgres.pool.connect();
    const insert = (linkedid: string, status: string, at: string, operator: string | null) => `
      INSERT INTO app.calls (server_id, linkedid, uniqueid, linkedids, direction, status, started_at,
                             src_number, dst_number, operator_endpoint, reconciler_version, derived_hash)
      VALUES ('pbx1', '${linkedid}', '${linkedid}', ARRAY['${linkedid}'], 'inbound', '${status}',
              '${at}', '79161234571', '600', ${operator === null ? 'NULL' : `'${operator}'`}, 'test', 'test')`;
    let bWaited = false;
    try {
      await a.query('BEGIN');
      await a.query(insert('cbl-race-lost', 'missed', '2026-11-21T06:00:00Z', null));
      await b.query('BEGIN');
      let bDone = false;
      const bInsert = b
        .query(insert('cbl-race-reach', 'answered', '2026-11-21T06:10:00Z', '102'))
        .then(() => {
          bDone = true;
        });
      await new Promise((resolve) => setTimeout(resolve, 300));
      bWaited = !bDone;
      await a.query('COMMIT');
      await bInsert;
      await b.query('COMMIT');
    } finally {
      a.release();
      b.release();
    }
    const now = await links();
    expect(now.stored).toEqual(now.expected);
    expect(await linkOf(await idOf('cbl-race-lost'))).toMatchObject({
      reached_call_id: await idOf('cbl-race-reach'),
    });
    expect(bWaited).toBe(true);
  });

  it('follows deletes of reaching calls and of candidates', async () => {
    const s03 = await idOf(S03);
    await db().deleteFrom('app.calls').where('linkedid', '=', 'cbl-earlier').execute();
    let now = await links();
    expect(now.stored).toEqual(now.expected);
    expect(await linkOf(s03)).toMatchObject({ reached_call_id: await idOf('cbl-callback') });

    await db().deleteFrom('app.calls').where('linkedid', 'in', ['cbl-callback', 'cbl-late']).execute();
    now = await links();
    expect(now.stored).toEqual(now.expected);
    expect(await linkOf(s03)).toMatchObject({ reached_call_id: null, attempts: 0 });

    await db().deleteFrom('app.calls').where('id', '=', s03).execute();
    now = await links();
    expect(now.stored).toEqual(now.expected);
    // The captures' 16 lost calls less scenario 03's, and the race's lost call.
    expect(now.stored.length).toBe(16);
  });
});
