import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiTestKit, openApiTestKit } from './support/api-test-kit.ts';

/**
 * app.call_participants (sql/postgres/010_call_participants.sql), the operator scope's table, is
 * kept in step with app.calls, call_attempts and call_segments by every writer: the collector's
 * inserts over the bundled captures, a re-derivation that rewrites a call, direct updates and
 * deletes. After each step the table equals what it is defined as, recomputed from the call tables.
 */

let kit: ApiTestKit;
let admin: string;
const db = () => kit.stores.postgres.db;

/** (call_id, endpoint, server_id, started_at) rows: stored vs recomputed from the definition. */
async function participants() {
  const stored = await sql<{ row: string }>`
    SELECT concat_ws('|', call_id, endpoint, server_id, started_at) AS row FROM app.call_participants
    ORDER BY 1`.execute(db());
  const expected = await sql<{ row: string }>`
    SELECT DISTINCT concat_ws('|', c.id, e.endpoint, c.server_id, c.started_at) AS row
    FROM (SELECT id AS call_id, operator_endpoint AS endpoint FROM app.calls
          UNION SELECT call_id, operator_endpoint FROM app.call_attempts
          UNION SELECT call_id, operator_endpoint FROM app.call_segments) e
    JOIN app.calls c ON c.id = e.call_id
    WHERE e.endpoint IS NOT NULL
    ORDER BY 1`.execute(db());
  return { stored: stored.rows.map((r) => r.row), expected: expected.rows.map((r) => r.row) };
}

beforeAll(async () => {
  kit = await openApiTestKit();
  admin = (await kit.user({ login: 'p-admin', role: 'admin' })).token;
});
afterAll(async () => kit?.dispose());

describe('app.call_participants', () => {
  it('is written with the calls the collector inserts', async () => {
    const { stored, expected } = await participants();
    expect(stored.length).toBeGreaterThan(0);
    // Every call with an operator, an attempt or a segment endpoint has its rows.
    const calls = await sql<{ n: number }>`
      SELECT count(DISTINCT c.id)::int AS n FROM app.calls c
      WHERE c.operator_endpoint IS NOT NULL
         OR EXISTS (SELECT 1 FROM app.call_attempts a WHERE a.call_id = c.id)`.execute(db());
    expect(new Set(stored.map((r) => r.split('|')[0])).size).toBeGreaterThanOrEqual(calls.rows[0]!.n);
    expect(stored).toEqual(expected);
  });

  it('follows a re-derivation that rewrites a call changed behind the writer', async () => {
    const call = await db()
      .selectFrom('app.calls')
      .select(['id', 'operator_endpoint', 'started_at'])
      .where('operator_endpoint', 'is not', null)
      .orderBy('id')
      .executeTakeFirstOrThrow();
    // Changed behind the writer's back: another operator, no attempts or segments, another start.
    await db()
      .updateTable('app.calls')
      .set({
        operator_endpoint: '999',
        derived_hash: 'tampered',
        started_at: new Date('2020-01-01T00:00:00Z'),
      })
      .where('id', '=', call.id)
      .execute();
    await db().deleteFrom('app.call_attempts').where('call_id', '=', call.id).execute();
    await db().deleteFrom('app.call_segments').where('call_id', '=', call.id).execute();
    let now = await participants();
    expect(now.stored).toEqual(now.expected);
    expect(now.stored.filter((r) => r.startsWith(`${call.id}|`))).toEqual([
      `${call.id}|999|pbx1|2020-01-01 00:00:00+00`,
    ]);

    const res = await kit.request('/quality/rederive', {
      method: 'POST',
      token: admin,
      json: { callIds: [call.id] },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { updated: number }).updated).toBe(1);
    now = await participants();
    expect(now.stored).toEqual(now.expected);
    const mine = now.stored.filter((r) => r.startsWith(`${call.id}|`));
    expect(mine.some((r) => r.split('|')[1] === call.operator_endpoint)).toBe(true);
    expect(mine.some((r) => r.split('|')[1] === '999')).toBe(false);
  });

  it('follows updates of attempts and segments, and deletes of calls', async () => {
    const withSegment = await db()
      .selectFrom('app.call_segments')
      .select(['call_id', 'seq'])
      .where('operator_endpoint', 'is not', null)
      .orderBy('call_id')
      .executeTakeFirstOrThrow();
    await db()
      .updateTable('app.call_segments')
      .set({ operator_endpoint: '777' })
      .where('call_id', '=', withSegment.call_id)
      .where('seq', '=', withSegment.seq)
      .execute();
    await db()
      .updateTable('app.call_attempts')
      .set({ operator_endpoint: '778' })
      .where('seq', '=', 0)
      .execute();
    let now = await participants();
    expect(now.stored).toEqual(now.expected);
    expect(now.stored.some((r) => r.split('|')[1] === '777')).toBe(true);
    expect(now.stored.some((r) => r.split('|')[1] === '778')).toBe(true);

    await db().deleteFrom('app.calls').where('id', '=', withSegment.call_id).execute();
    now = await participants();
    expect(now.stored).toEqual(now.expected);
    expect(now.stored.some((r) => r.startsWith(`${withSegment.call_id}|`))).toBe(false);
  });
});
