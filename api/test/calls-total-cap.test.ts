import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOTAL_CAP } from '../src/routes/calls/call-repository.ts';
import { type ApiTestKit, openApiTestKit } from './support/api-test-kit.ts';

/** GET /calls counts its total up to TOTAL_CAP and says when it stopped. */
let kit: ApiTestKit;
beforeAll(async () => {
  kit = await openApiTestKit();
  // TOTAL_CAP + 50 more answered calls for 101, cloned from a real one with new linkedids.
  await sql`INSERT INTO app.calls (server_id, linkedid, uniqueid, linkedids, direction, status, started_at, ended_at,
      duration_sec, wait_sec, talk_sec, hold_sec, src_number, queue, operator_endpoint, reconciler_version, derived_hash)
    SELECT server_id, 'clone-' || g, 'clone-' || g, ARRAY['clone-' || g], direction, status, started_at + g * interval '1 second',
      ended_at, duration_sec, wait_sec, talk_sec, hold_sec, src_number, queue, operator_endpoint, reconciler_version, 'clone'
    FROM app.calls, generate_series(1, ${TOTAL_CAP + 50}) AS g
    WHERE linkedid = '1795234908.0'`.execute(kit.stores.postgres.db);
});
afterAll(async () => {
  await kit?.dispose();
});

describe('GET /calls total', () => {
  it('is exact below the cap and capped with totalExact=false above it', async () => {
    const { token: admin } = await kit.user({ login: 'admin', role: 'admin' });
    const all = (await (await kit.request('/calls?limit=5', { token: admin })).json()) as {
      total: number;
      totalExact: boolean;
    };
    expect(all).toMatchObject({ total: TOTAL_CAP, totalExact: false });
    const few = (await (await kit.request('/calls?limit=5&status=abandoned', { token: admin })).json()) as {
      total: number;
      totalExact: boolean;
    };
    expect(few).toMatchObject({ total: 10, totalExact: true });
  });
});
