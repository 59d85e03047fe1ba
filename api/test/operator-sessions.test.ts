import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiTestKit, openApiTestKit } from './support/api-test-kit.ts';

/**
 * GET /reports/operator-sessions over the bundled captures (all calls on 21 November 2026,
 * 04:21–04:33 UTC = 07:21–07:33 Moscow) and presence intervals written here by hand around them.
 * Talk comes from the captured calls' segments; the spans below are read off the captures' cards
 * (talk + hold per segment, docs/reconciliation.md) and added by hand:
 *
 * - 102: 10.005 (scenario 06, outbound) + 9.974 + 1.990 + 6.990 + 12.003 + 10.956 + 8.008
 *   (internal, scenario 13) = 59.926 s over 7 calls; the 9.974 s segment (04:26:34.767–04:26:44.741)
 *   falls inside the lunch pause below, so talk while available = 49.952 s;
 * - 101: 9.990 + 5.004 + 15.993 (6.007 of it on hold) + 8.003 + 8.002 + 8.000 + 12.031 = 67.023 s
 *   over 7 calls, with no presence at all (occupancy null).
 */

const DAY = '2026-11-21';
const at = (time: string) => new Date(`${DAY}T${time}Z`);

let kit: ApiTestKit;
const ids: Record<string, number> = {};
const tokens: Record<string, string> = {};

interface Day {
  operatorId: number;
  endpoint: string;
  day: string;
  sessions: number;
  firstLoginAt: string | null;
  lastLogoutAt: string | null;
  loggedInSec: number;
  availableSec: number;
  pausedSec: number;
  wrapUpSec: number;
  pausedByReason: { reason: string; label: string; seconds: number; pauses: number }[];
  talkSec: number;
  talkWhileAvailableSec: number;
  calls: number;
  occupancy: number | null;
  intervals: { state: string; reason: string | null; startedAt: string; endedAt: string | null }[];
}

async function report(who: string, query: string): Promise<{ status: number; days: Day[]; body: unknown }> {
  const res = await kit.request(`/reports/operator-sessions?${query}`, { token: tokens[who]! });
  const body = (await res.json()) as { days: Day[] };
  return { status: res.status, days: body.days ?? [], body };
}

const moscowDay = `from=${encodeURIComponent('2026-11-21T00:00:00+03:00')}&to=${encodeURIComponent('2026-11-22T00:00:00+03:00')}&zone=Europe/Moscow`;

beforeAll(async () => {
  kit = await openApiTestKit();
  const db = kit.stores.postgres.db;
  for (const o of await db.selectFrom('app.operators').select(['id', 'endpoint']).execute())
    ids[o.endpoint] = o.id;
  tokens.admin = (await kit.user({ login: 's-admin', role: 'admin' })).token;
  tokens.op101 = (await kit.user({ login: 's-op101', role: 'operator', endpoint: '101' })).token;
  tokens.billing = (await kit.user({ login: 's-billing', role: 'supervisor', queues: ['billing'] })).token;
  tokens.nobody = (await kit.user({ login: 's-none', role: 'supervisor', queues: ['nothing'] })).token;
  // Asterisk reports 103 (only) as a member of `billing`: that supervisor's scope, whatever the date.
  await db
    .insertInto('app.queue_members')
    .values({
      server_id: 'pbx1',
      queue: 'billing',
      interface: 'PJSIP/103',
      endpoint: '103',
      membership: 'static',
      paused: false,
    })
    .execute();
  const rows: [string, string, string | null, string, string | null][] = [
    // 102: two sessions; lunch over a call; after-call work; the last offline still open.
    ['102', 'available', null, '04:00:00', '04:26:30'],
    ['102', 'paused', 'lunch', '04:26:30', '04:27:00'],
    ['102', 'available', null, '04:27:00', '04:40:00'],
    ['102', 'paused', 'after_call_work', '04:40:00', '04:45:00'],
    ['102', 'available', null, '04:45:00', '05:00:00'],
    ['102', 'offline', null, '05:00:00', '06:00:00'],
    ['102', 'available', null, '06:00:00', '06:30:00'],
    ['102', 'offline', null, '06:30:00', null],
    // 103: one session across the Moscow midnight (23:30–00:30).
    ['103', 'available', null, '20:30:00', '21:30:00'],
    ['103', 'offline', null, '21:30:00', '22:00:00'],
  ];
  await db
    .insertInto('app.operator_presence')
    .values(
      rows.map(([endpoint, state, reason, start, end]) => ({
        operator_id: ids[endpoint]!,
        state: state as 'available',
        reason_code: reason,
        started_at: at(start),
        ended_at: end === null ? null : at(end),
        set_by_login: 'test',
        asterisk_applied: false,
      })),
    )
    .execute();
}, 300_000);

afterAll(async () => {
  await kit?.dispose();
});

describe('GET /reports/operator-sessions', () => {
  it("102's Moscow day: sessions, logged-in, paused by reason, wrap-up, talk and occupancy", async () => {
    const { status, days } = await report('admin', `${moscowDay}&operator=${ids['102']}`);
    expect(status).toBe(200);
    expect(days).toHaveLength(1);
    const d = days[0]!;
    expect(d).toMatchObject({
      endpoint: '102',
      day: DAY,
      sessions: 2,
      firstLoginAt: '2026-11-21T04:00:00.000Z',
      lastLogoutAt: '2026-11-21T06:30:00.000Z',
      // 04:00–05:00 and 06:00–06:30
      loggedInSec: 5_400,
      // lunch 30 s + after-call work 300 s
      pausedSec: 330,
      availableSec: 5_070,
      wrapUpSec: 300,
      pausedByReason: [
        { reason: 'lunch', label: 'Обед', seconds: 30, pauses: 1 },
        { reason: 'after_call_work', label: 'Постобработка вызова', seconds: 300, pauses: 1 },
      ],
      calls: 7,
    });
    expect(d.talkSec).toBeCloseTo(59.926, 3);
    expect(d.talkWhileAvailableSec).toBeCloseTo(49.952, 3);
    expect(d.occupancy).toBeCloseTo(49.952 / 5_070, 6);
    expect(d.intervals.map((i) => [i.state, i.reason])).toEqual([
      ['available', null],
      ['paused', 'lunch'],
      ['available', null],
      ['paused', 'after_call_work'],
      ['available', null],
      ['offline', null],
      ['available', null],
      ['offline', null],
    ]);
    // The open offline interval is cut at the day's end (Moscow midnight).
    expect(d.intervals.at(-1)!.endedAt).toBe('2026-11-21T21:00:00.000Z');
  });

  it('talk without presence: a day with calls only, occupancy null', async () => {
    const { days } = await report('admin', `${moscowDay}&operator=${ids['101']}`);
    expect(days).toHaveLength(1);
    expect(days[0]).toMatchObject({ sessions: 0, loggedInSec: 0, calls: 7, occupancy: null, intervals: [] });
    expect(days[0]!.talkSec).toBeCloseTo(67.023, 3);
  });

  it("days are the zone's: a session across Moscow midnight is split in two days", async () => {
    const period = `from=${encodeURIComponent('2026-11-21T00:00:00+03:00')}&to=${encodeURIComponent('2026-11-23T00:00:00+03:00')}`;
    const moscow = (await report('admin', `${period}&zone=Europe/Moscow&operator=${ids['103']}`)).days;
    expect(moscow.map((d) => [d.day, d.loggedInSec, d.sessions, d.firstLoginAt, d.lastLogoutAt])).toEqual([
      // 103 also talked on the 21st (scenarios 04 and 12), so that day is listed with its talk.
      [DAY, 1_800, 1, '2026-11-21T20:30:00.000Z', null],
      ['2026-11-22', 1_800, 0, null, '2026-11-21T21:30:00.000Z'],
    ]);
    // In UTC the whole session is on the 21st.
    const utc = (await report('admin', `${period}&zone=UTC&operator=${ids['103']}`)).days;
    expect(utc.map((d) => [d.day, d.loggedInSec, d.sessions])).toEqual([[DAY, 3_600, 1]]);
  });

  it('scope: an operator sees themself, a supervisor the members of their queues', async () => {
    const endpoints = async (who: string, extra = '') =>
      [...new Set((await report(who, `${moscowDay}${extra}`)).days.map((d) => d.endpoint))].sort();
    expect(await endpoints('admin')).toEqual(['101', '102', '103']);
    expect(await endpoints('op101')).toEqual(['101']);
    expect(await endpoints('op101', `&operator=${ids['102']}`)).toEqual([]);
    expect(await endpoints('billing')).toEqual(['103']);
    expect(await endpoints('nobody')).toEqual([]);
  });

  it('bad requests are 400 with a message, no token 401', async () => {
    expect((await kit.request(`/reports/operator-sessions?${moscowDay}`)).status).toBe(401);
    const bad = await report('admin', moscowDay.replace('Europe/Moscow', 'Mars/Olympus'));
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'bad_request' });
    expect((await report('admin', 'from=2026-11-21T00:00:00Z')).status).toBe(400);
    expect((await report('admin', `${moscowDay}&queue=support`)).status).toBe(400);
    const reversed = `from=${encodeURIComponent('2026-11-22T00:00:00Z')}&to=${encodeURIComponent('2026-11-21T00:00:00Z')}`;
    expect((await report('admin', reversed)).status).toBe(400);
  });
});
