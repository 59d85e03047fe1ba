import {
  ATTEMPT_REPORT_COLUMNS,
  CALL_REPORT_COLUMNS,
  CALL_SLICE_COLUMNS,
  frameFromArrow,
  operatorEfficiency,
  PART_SLICE_COLUMNS,
  SEGMENT_REPORT_COLUMNS,
  sliceRows,
} from '@callcenter/analytics/aggregate';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiTestKit, openApiTestKit } from './support/api-test-kit.ts';

/**
 * `GET /reports/attempts` and `/reports/segments` over the 31 calls of the bundled captures
 * (collected by the real pipeline into the kit's chDB): scope per role, both formats, and the
 * operator-efficiency figures the web reports compute from them, counted by hand from the
 * scenarios' READMEs (see analytics/test/aggregate-fixtures.test.ts for the derivation).
 */

let kit: ApiTestKit;
let admin: string;
let salesSupervisor: string;
let op101: string;
const period = `from=${encodeURIComponent('2026-11-16T00:00:00+03:00')}&to=${encodeURIComponent('2026-11-30T00:00:00+03:00')}`;

beforeAll(async () => {
  kit = await openApiTestKit();
  admin = (await kit.user({ login: 'parts-admin', role: 'admin' })).token;
  salesSupervisor = (await kit.user({ login: 'parts-sales', role: 'supervisor', queues: ['sales'] })).token;
  op101 = (await kit.user({ login: 'parts-101', role: 'operator', endpoint: '101' })).token;
}, 180_000);

afterAll(async () => {
  await kit?.dispose();
});

async function arrow(path: string, token: string) {
  const res = await kit.request(path, { token });
  expect(res.status, await res.clone().text()).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream');
  return tableFromIPC(new Uint8Array(await res.arrayBuffer()));
}

async function jsonLines(path: string, token: string): Promise<Record<string, unknown>[]> {
  const res = await kit.request(path, { token });
  expect(res.status).toBe(200);
  return (await res.text())
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('GET /reports/attempts and /reports/segments', () => {
  it('give an admin every ring and segment, and the operator figures counted by hand', async () => {
    const attempts = await arrow(`/reports/attempts?${period}`, admin);
    const segments = await arrow(`/reports/segments?${period}`, admin);
    const columns = [...CALL_REPORT_COLUMNS.text, ...CALL_REPORT_COLUMNS.numbers].join(',');
    const calls = await arrow(`/reports/facts?${period}&columns=${columns}`, admin);
    expect(attempts.numRows).toBe(39);
    expect(segments.numRows).toBe(16);
    const frames = {
      calls: frameFromArrow(calls, CALL_REPORT_COLUMNS),
      attempts: frameFromArrow(attempts, ATTEMPT_REPORT_COLUMNS),
      segments: frameFromArrow(segments, SEGMENT_REPORT_COLUMNS),
    };
    const rows = operatorEfficiency(frames, {
      calls: sliceRows(frames.calls, {}, CALL_SLICE_COLUMNS),
      attempts: sliceRows(frames.attempts, {}, PART_SLICE_COLUMNS),
      segments: sliceRows(frames.segments, {}, PART_SLICE_COLUMNS),
    });
    expect(rows.map((r) => [r.operator, r.answered, r.missed, r.talkedCalls, r.outbound])).toEqual([
      ['101', 7, 4, 7, 0],
      ['102', 5, 5, 5, 2],
      ['103', 2, 4, 2, 0],
    ]);
    expect(rows[0]!.talkSec).toBeCloseTo(52.987, 1);
    expect(rows[0]!.holdSec).toBeCloseTo(14.036, 1);
  });

  it("give a supervisor only their queues' calls, with the call's queue on transfer rings", async () => {
    const rings = await jsonLines(`/reports/attempts?${period}&format=json`, salesSupervisor);
    // sales: 04 (102 rang out, 103 answered) and the burst's .50 (102 answered).
    expect(rings.map((r) => [r.operator, r.outcome, r.queue]).sort()).toEqual([
      ['102', 'answered', 'sales'],
      ['102', 'no_answer', 'sales'],
      ['103', 'answered', 'sales'],
    ]);
    const segments = await jsonLines(`/reports/segments?${period}&format=json`, salesSupervisor);
    expect(segments.map((s) => s.operator).sort()).toEqual(['102', '103']);
    // The transferred support call 09: 101's segment then 102's, both first of their operator.
    const all = await jsonLines(`/reports/segments?${period}&format=json&queue=support`, admin);
    expect(all.every((s) => s.queue === 'support')).toBe(true);
    expect(all.filter((s) => s.first_of_operator === 1)).toHaveLength(all.length);
  });

  it('give an operator only their own rings and segments', async () => {
    const rings = await jsonLines(`/reports/attempts?${period}&format=json`, op101);
    // 101 rang on 01, 03, 05 (three rounds), 09, 10, 11 and the burst's .45, .51, .55.
    expect(rings).toHaveLength(11);
    expect(new Set(rings.map((r) => r.operator))).toEqual(new Set(['101']));
    const segments = await jsonLines(`/reports/segments?${period}&format=json`, op101);
    expect(new Set(segments.map((s) => s.operator))).toEqual(new Set(['101']));
  });

  it('filter on the ring’s own operator', async () => {
    const rings = await jsonLines(`/reports/attempts?${period}&format=json&operator=103`, admin);
    // 103 answered 04 and .47, rang out on 03 and 05 ×3, and was canceled on 01, 09, 10, 11, .45, .46.
    expect(rings).toHaveLength(12);
    expect(rings.filter((r) => r.outcome === 'canceled')).toHaveLength(6);
  });

  it('answer bad input with 400 and no token with 401', async () => {
    expect((await kit.request(`/reports/attempts?${period}&colour=red`, { token: admin })).status).toBe(400);
    expect((await kit.request('/reports/segments?from=yesterday&to=today', { token: admin })).status).toBe(
      400,
    );
    const reversed = `from=${encodeURIComponent('2026-11-30T00:00:00Z')}&to=${encodeURIComponent('2026-11-01T00:00:00Z')}`;
    const res = await kit.request(`/reports/attempts?${reversed}`, { token: admin });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: expect.any(String), message: expect.any(String) });
    expect((await kit.request(`/reports/attempts?${period}`)).status).toBe(401);
  });
});
