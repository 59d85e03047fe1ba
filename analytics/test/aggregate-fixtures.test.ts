import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ATTEMPT_REPORT_COLUMNS,
  CALL_REPORT_COLUMNS,
  CALL_SLICE_COLUMNS,
  categoryReport,
  dailySummary,
  type FactFrame,
  frameFromArrow,
  LocalCalendar,
  operatorEfficiency,
  PART_SLICE_COLUMNS,
  purposeDistribution,
  queueStatistics,
  ROLLUP_REPORT_COLUMNS,
  ROLLUP_SLICE_COLUMNS,
  rollupPeriods,
  rollupQueueStatistics,
  SEGMENT_REPORT_COLUMNS,
  sliceRows,
  statusDayCounts,
  statusDayRows,
  weeklyCategories,
  weeklyDynamics,
} from '../src/aggregate/index.ts';
import {
  attemptsQuery,
  factsQuery,
  type ReportScope,
  rollupQuery,
  segmentsQuery,
} from '../src/clickhouse/index.ts';
import { type OpenedClickHouse, openClickHouseFromConfig } from '../src/clickhouse/open-clickhouse.ts';
import { arrowBytes, arrowTable, expectedCalls, insertFacts } from './aggregate-fixture-facts.ts';

/**
 * The client-side reports over the facts of every real capture (fixtures/asterisk/scenarios,
 * hand-written expectations in ingest/test/scenarios/expected), read the way the browser reads
 * them: ClickHouse `FORMAT ArrowStream` bytes from the API's own queries (chDB), apache-arrow
 * tableFromIPC, then the aggregation library. Figures are counted BY HAND below from the
 * scenarios' READMEs; then the same figures are asked of ClickHouse with the SQL of
 * sql/ANALYSTS.md (the reference) and must agree.
 *
 * All 31 calls happened on Saturday 21 November 2026 between 04:21 and 04:33 UTC (07:21–07:33 in
 * Moscow, week of Monday 16 November). Inbound: 01 answered by 101 (support), 03 abandoned in
 * support after 7 s (everyone rang out once), 04 sales (102 rang out, 103 answered after 8 s),
 * 05 support timeout to voicemail (missed; three rounds of three rings), 09 and 10 support,
 * answered by 101 and transferred to 102 (blind; attended with 8 s of hold), 11 support answered
 * by 101 with 6 s of hold, 12 a burst of 20 (support: 6 answered, 8 abandoned, 1 missed; sales:
 * 1 answered, 4 missed), 14 abandoned in the IVR (never queued). Outbound: 06 answered and 07 busy,
 * both from 102. Internal: 13, 101 → 102.
 */

const MOSCOW = 'Europe/Moscow';
const FROM = new Date('2026-11-16T00:00:00+03:00');
const TO = new Date('2026-11-30T00:00:00+03:00');
const ADMIN: ReportScope = { role: 'admin', serverId: 'pbx1', endpoint: null, queues: [] };

let dir: string;
let opened: OpenedClickHouse;
let calls: FactFrame;
let attempts: FactFrame;
let segments: FactFrame;
const calendar = new LocalCalendar(FROM.getTime(), TO.getTime(), MOSCOW);

const all = (frame: FactFrame, columns = CALL_SLICE_COLUMNS) => sliceRows(frame, {}, columns);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aggregate-fixtures-'));
  opened = await openClickHouseFromConfig({ chdbPath: join(dir, 'clickhouse') });
  await insertFacts(opened.client, await expectedCalls());
  const period = { from: FROM, to: TO };
  const read = async (built: Parameters<typeof arrowBytes>[1]) =>
    arrowTable(await arrowBytes(opened.client, built));
  calls = frameFromArrow(
    await read(factsQuery(ADMIN, period, [...CALL_REPORT_COLUMNS.text, ...CALL_REPORT_COLUMNS.numbers])),
    CALL_REPORT_COLUMNS,
  );
  attempts = frameFromArrow(await read(attemptsQuery(ADMIN, period)), ATTEMPT_REPORT_COLUMNS);
  segments = frameFromArrow(await read(segmentsQuery(ADMIN, period)), SEGMENT_REPORT_COLUMNS);
});

afterAll(async () => {
  await opened?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('client reports over the captured calls, counted by hand', () => {
  it('reads every fact from the Arrow bytes', () => {
    // 12 scenarios: 11 single calls + the burst of 20.
    expect(calls.rows).toBe(31);
    // Rings: 01 3, 03 3, 04 2, 05 9, 09 4, 10 4, 11 3, 13 1, burst 10 (.45 3, .46 2, .47 .48 .50
    // .51 .55 one each; no member rang for the others).
    expect(attempts.rows).toBe(39);
    // Segments: one per answered call (01 04 06 09 10 11 13 + 7 of the burst = 14), two for the
    // transfers 09 and 10.
    expect(segments.rows).toBe(16);
  });

  it('queue statistics (support T = 20 s, sales T = 20 s)', () => {
    const rows = queueStatistics(calls, all(calls));
    expect(rows.map((r) => r.queue)).toEqual(['sales', 'support']);
    const [sales, support] = rows as [(typeof rows)[0], (typeof rows)[0]];
    // support: 01, 03, 05, 09, 10, 11 and 15 of the burst = 21 offered; answered 01, 09, 10, 11 and
    // burst .45 .46 .47 .48 .51 .55 = 10; abandoned 03 + 8 of the burst = 9 (the shortest waited
    // 5.004 s: no short abandon); missed 05 and .59 = 2.
    expect(support).toMatchObject({ offered: 21, answered: 10, abandoned: 9, missed: 2, lost: 11 });
    expect(support.shortAbandoned).toBe(0);
    // Every answered support call waited ≤ 20 s (the longest .55: 19.025 s): SL = 10 / 21.
    expect(support.serviceLevel).toBeCloseTo(10 / 21, 6);
    // ASA: 2.013 + 2.014 + 2.017 + 2.012 + 1.015 + 3.015 + 6.014 + 7.014 + 10.019 + 19.025 = 54.158 / 10.
    expect(support.asa).toBeCloseTo(5.4158, 3);
    // AHT: 9.99 + 14.977 + (14.958 + 8.029) + (9.986 + 6.007) + 8.003 + 1.99 + 52.992 + 6.99 + 8.002 + 8 = 149.924 / 10.
    expect(support.aht).toBeCloseTo(14.9924, 3);
    expect(support.answerRate).toBeCloseTo(10 / 21, 6);
    expect(support.abandonRate).toBeCloseTo(9 / 21, 6);
    // sales: 04 and the burst's .50 answered (8.014 s, 16.022 s), .54 .58 .62 .67 missed.
    expect(sales).toMatchObject({ offered: 6, answered: 2, abandoned: 0, missed: 4, shortAbandoned: 0 });
    expect(sales.serviceLevel).toBeCloseTo(2 / 6, 6);
    expect(sales.asa).toBeCloseTo(12.018, 3);
    expect(sales.aht).toBeCloseTo((10.99 + 12.003) / 2, 3);
  });

  it("uses each queue's own service-level threshold", () => {
    const rows = queueStatistics(calls, all(calls), { serviceLevelSec: (q) => (q === 'support' ? 10 : 20) });
    // Within 10 s in support: all but .51 (10.019 s) and .55 (19.025 s): 8 of 21.
    expect(rows.find((r) => r.queue === 'support')).toMatchObject({ answeredInSl: 8, serviceLevelSec: 10 });
    expect(rows.find((r) => r.queue === 'sales')).toMatchObject({ answeredInSl: 2, serviceLevelSec: 20 });
  });

  it('daily consolidated report (Сводный отчёт): one day in Moscow time', () => {
    const { days, total } = dailySummary(calls, all(calls), calendar);
    // Inbound answered 10 + 2 = 12; lost = abandoned 9 + 14 (IVR) + missed 2 + 4 = 16; 14 never
    // queued (NULL wait): not a short abandon. Outbound 06 answered, 07 busy. SL over the 27 queue
    // calls: 12 answered within 20 s.
    const expected = {
      day: '2026-11-21',
      answered: 12,
      lost: 16,
      shortAbandons: 0,
      outbound: 2,
      outboundAnswered: 1,
      queueOffered: 27,
      queueAnsweredInSl: 12,
      queueShortAbandons: 0,
    };
    expect(days).toHaveLength(1);
    expect(days[0]).toMatchObject(expected);
    expect(days[0]!.serviceLevel).toBeCloseTo(12 / 27, 6);
    expect(total).toMatchObject({ ...expected, day: 'total' });
  });

  it('the day is the queue zone’s day: in Los Angeles the same calls fall on 20 November', () => {
    const la = new LocalCalendar(FROM.getTime(), TO.getTime(), 'America/Los_Angeles');
    expect(dailySummary(calls, all(calls), la).days.map((d) => d.day)).toEqual(['2026-11-20']);
  });

  it('operator efficiency: rings from attempt facts, talk from segments', () => {
    const rows = operatorEfficiency(
      { calls, attempts, segments },
      {
        calls: all(calls),
        attempts: all(attempts, PART_SLICE_COLUMNS),
        segments: all(segments, PART_SLICE_COLUMNS),
      },
    );
    expect(rows.map((r) => r.operator)).toEqual(['101', '102', '103']);
    const [o101, o102, o103] = rows as [(typeof rows)[0], (typeof rows)[0], (typeof rows)[0]];
    // 101 answered 01, 09, 10, 11, .45, .51, .55; rang out on 03 and three times on 05.
    expect(o101).toMatchObject({ answered: 7, missed: 4, noAnswer: 4, talkedCalls: 7, outbound: 0 });
    // Talk 9.99 + 5.004 (09 before the transfer) + 4.002 (10) + 9.986 + 8.003 + 8.002 + 8 = 52.987;
    // hold 8.029 (10, while consulting 102) + 6.007 (11) = 14.036.
    expect(o101.talkSec).toBeCloseTo(52.987, 3);
    expect(o101.holdSec).toBeCloseTo(14.036, 3);
    expect(o101.ahtSec).toBeCloseTo((52.987 + 14.036) / 7, 3);
    expect(o101.missedShare).toBeCloseTo(4 / 11, 6);
    // 102: the transfers 09 and 10 (their second ring), .46, .48, .50; rang out on 03, 04, 05 ×3.
    // The internal call 13 (102 answered) is not inbound. Outbound: 06 and 07.
    expect(o102).toMatchObject({ answered: 5, missed: 5, talkedCalls: 5, outbound: 2 });
    expect(o102.talkSec).toBeCloseTo(9.974 + 10.956 + 1.99 + 6.99 + 12.003, 3);
    expect(o102.holdSec).toBe(0);
    // 103: 04 and .47; rang out on 03 and 05 ×3.
    expect(o103).toMatchObject({ answered: 2, missed: 4, talkedCalls: 2, outbound: 0 });
    expect(o103.averageTalkSec).toBeCloseTo((10.99 + 52.992) / 2, 3);
  });

  it('distribution by purpose: the card counts for the last operator', () => {
    expect(purposeDistribution(calls, all(calls))).toEqual([
      // 101's answered inbound calls: 01 (card), 11, .45, .51, .55.
      { operator: '101', purpose: '', calls: 4, shareOfOperator: 0.8 },
      { operator: '101', purpose: 'Запись на приём', calls: 1, shareOfOperator: 0.2 },
      // 102: 09 and 10 (transferred to 102: their cards are 102's), .46, .48, .50.
      { operator: '102', purpose: '', calls: 3, shareOfOperator: 0.6 },
      { operator: '102', purpose: 'Жалоба', calls: 1, shareOfOperator: 0.2 },
      { operator: '102', purpose: 'Запись на приём', calls: 1, shareOfOperator: 0.2 },
      { operator: '103', purpose: 'Консультация', calls: 2, shareOfOperator: 1 },
    ]);
  });

  it('categories and the share needing a callback (any direction)', () => {
    expect(categoryReport(calls, all(calls))).toEqual([
      { category: 'Запись', calls: 3, shareOfCalls: 0.5, callbacks: 1, callbackShare: 1 / 3 },
      { category: 'Консультация', calls: 2, shareOfCalls: 2 / 6, callbacks: 1, callbackShare: 0.5 },
      { category: 'Жалоба', calls: 1, shareOfCalls: 1 / 6, callbacks: 1, callbackShare: 1 },
    ]);
    expect(weeklyCategories(calls, all(calls), calendar).map((r) => [r.week, r.category, r.calls])).toEqual([
      ['2026-11-16', 'Жалоба', 1],
      ['2026-11-16', 'Запись', 3],
      ['2026-11-16', 'Консультация', 2],
    ]);
  });

  it('weekly dynamics: the week of Monday 16 November', () => {
    const weeks = weeklyDynamics(calls, all(calls), calendar);
    expect(weeks).toHaveLength(1);
    expect(weeks[0]).toMatchObject({ day: '2026-11-16', answered: 12, lost: 16, outbound: 2 });
  });

  it('slices without refetching: one queue, one operator', () => {
    const sales = sliceRows(calls, { queues: ['sales'] }, CALL_SLICE_COLUMNS);
    expect(sales).toHaveLength(6);
    expect(dailySummary(calls, sales, calendar).days[0]).toMatchObject({ answered: 2, lost: 4, outbound: 0 });
    const ring102 = sliceRows(attempts, { operators: ['102'], queues: ['support'] }, PART_SLICE_COLUMNS);
    // 102's rings on support calls: 01, 03, 05 ×3, 09 ×2, 10 ×2, 11, .45, .46, .48.
    expect(ring102).toHaveLength(13);
    // A sub-period: the burst started at 04:27:49.7 UTC, everything before is 8 calls.
    const before = sliceRows(calls, { toMs: Date.parse('2026-11-21T04:27:49Z') }, CALL_SLICE_COLUMNS);
    expect(before).toHaveLength(8);
  });

  it('counts calls by operator × status × day (the benchmark grouping)', () => {
    const rows = statusDayRows(statusDayCounts(calls, null, calendar));
    const find = (operator: string, status: string) =>
      rows.find((r) => r.operator === operator && r.status === status)?.calls;
    // Unanswered inbound calls have no operator: abandoned 10 (03, 14, 8 of the burst), missed 6.
    expect(find('', 'abandoned')).toBe(10);
    expect(find('', 'missed')).toBe(6);
    // 101: 5 inbound answered + the internal 13 it placed; 102: 5 inbound + outbound 06; busy 07.
    expect(find('101', 'answered')).toBe(6);
    expect(find('102', 'answered')).toBe(6);
    expect(find('102', 'busy')).toBe(1);
    expect(rows.reduce((sum, r) => sum + r.calls, 0)).toBe(31);
  });
});

describe('the long-range path: the same figures from /reports/rollup rows', () => {
  it('queue statistics and the day and week lines', async () => {
    const bytes = await arrowBytes(
      opened.client,
      rollupQuery(ADMIN, { from: FROM, to: TO }, { grain: 'day', tz: MOSCOW, slSec: 20 }),
    );
    const rollup = frameFromArrow(arrowTable(bytes), ROLLUP_REPORT_COLUMNS);
    const rows = sliceRows(rollup, {}, ROLLUP_SLICE_COLUMNS);
    const fromRollup = rollupQueueStatistics(rollup, rows, 20);
    const fromFacts = queueStatistics(calls, all(calls));
    expect(
      fromRollup.map((q) => [q.queue, q.offered, q.answered, q.abandoned, q.missed, q.answeredInSl]),
    ).toEqual(fromFacts.map((q) => [q.queue, q.offered, q.answered, q.abandoned, q.missed, q.answeredInSl]));
    fromRollup.forEach((q, i) => {
      expect(q.asa).toBeCloseTo(fromFacts[i]!.asa!, 3);
      expect(q.aht).toBeCloseTo(fromFacts[i]!.aht!, 3);
    });
    // Inbound: 28 offered (27 queued + the IVR abandon 14), 12 answered, 16 lost; SL of queue calls 12 / 27.
    const days = rollupPeriods(rollup, rows, 20);
    expect(days).toHaveLength(1);
    expect(days[0]).toMatchObject({ bucket: '2026-11-21', calls: 31, offered: 28, answered: 12, lost: 16 });
    expect(days[0]!.serviceLevel).toBeCloseTo(12 / 27, 6);
    const weeks = rollupPeriods(rollup, rows, 20, {
      labels: calendar.weeks,
      indexOf: (ms) => calendar.weekIndex(ms),
    });
    expect(weeks.map((w) => [w.bucket, w.offered])).toEqual([['2026-11-16', 28]]);
  });
});

// --- the SQL reference -------------------------------------------------------------------------

const GUIDE = readFileSync(new URL('../../sql/ANALYSTS.md', import.meta.url), 'utf8');

/** The ```sql block under `heading` of sql/ANALYSTS.md, with its period moved to FROM..TO. */
function guideQuery(heading: string): string {
  const start = GUIDE.indexOf(`### ${heading}\n`);
  if (start < 0) throw new Error(`no "### ${heading}" in sql/ANALYSTS.md`);
  const block = /```sql\n([\s\S]*?)```/.exec(GUIDE.slice(start));
  if (!block) throw new Error(`no sql block under "${heading}"`);
  return block[1]!
    .replaceAll('2025-03-03 00:00:00', '2026-11-16 00:00:00')
    .replaceAll('2025-03-17 00:00:00', '2026-11-30 00:00:00');
}

async function sqlRows(query: string): Promise<Record<string, unknown>[]> {
  const result = await opened.client.query({
    query,
    format: 'JSONEachRow',
    clickhouse_settings: { output_format_json_quote_64bit_integers: 0 },
  });
  return result.json<Record<string, unknown>>();
}

/** ClickHouse's round(x, 1) on a Float64: half to even ("banker's rounding"). */
const round1 = (x: number) => {
  const v = x * 10;
  const r = Math.abs(v % 1) === 0.5 ? 2 * Math.round(v / 2) : Math.round(v);
  return r / 10;
};
const pct = (x: number | null) => (x === null ? null : round1(100 * x));
const r1 = (x: number | null) => (x === null ? null : round1(x));

describe('client figures equal the SQL of sql/ANALYSTS.md on the same facts', () => {
  it('Daily consolidated report', async () => {
    const { days } = dailySummary(calls, all(calls), calendar);
    expect(
      days.map((d) => ({
        day: d.day,
        answered: d.answered,
        lost: d.lost,
        short_abandons: d.shortAbandons,
        outbound: d.outbound,
        outbound_answered: d.outboundAnswered,
        service_level_pct: pct(d.serviceLevel),
      })),
    ).toEqual(await sqlRows(guideQuery('Daily consolidated report')));
  });

  it('Queue statistics', async () => {
    expect(
      queueStatistics(calls, all(calls)).map((q) => ({
        queue: q.queue,
        offered: q.offered,
        answered: q.answered,
        lost: q.lost,
        abandoned: q.abandoned,
        missed: q.missed,
        short_abandons: q.shortAbandoned,
        answer_rate_pct: pct(q.answerRate),
        abandon_rate_pct: pct(q.abandonRate),
        service_level_pct: pct(q.serviceLevel),
        asa_sec: r1(q.asa),
        aht_sec: r1(q.aht),
      })),
    ).toEqual(await sqlRows(guideQuery('Queue statistics')));
  });

  it('Operator efficiency: answered, missed, talk time', async () => {
    const rows = operatorEfficiency(
      { calls, attempts, segments },
      {
        calls: all(calls),
        attempts: all(attempts, PART_SLICE_COLUMNS),
        segments: all(segments, PART_SLICE_COLUMNS),
      },
    );
    expect(
      rows.map((o) => ({
        operator: o.operator,
        answered_calls: o.answered,
        missed_rings: o.missed,
        missed_pct: pct(o.missedShare),
        talked_calls: o.talkedCalls,
        talk_total_sec: Math.round(o.talkSec),
        hold_total_sec: Math.round(o.holdSec),
        aht_sec: r1(o.ahtSec),
        outbound_calls: o.outbound,
      })),
    ).toEqual(await sqlRows(guideQuery('Operator efficiency: answered, missed, talk time')));
  });

  it('Operator efficiency: distribution by purpose', async () => {
    expect(
      purposeDistribution(calls, all(calls)).map((p) => ({
        operator: p.operator,
        call_purpose: p.purpose === '' ? '(not set)' : p.purpose,
        calls: p.calls,
        pct_of_operator: pct(p.shareOfOperator),
      })),
    ).toEqual(await sqlRows(guideQuery('Operator efficiency: distribution by purpose')));
  });

  it('Categories: calls and share needing a callback', async () => {
    expect(
      categoryReport(calls, all(calls)).map((c) => ({
        category: c.category,
        calls: c.calls,
        pct_of_calls: pct(c.shareOfCalls),
        callbacks: c.callbacks,
        callback_pct: pct(c.callbackShare),
      })),
    ).toEqual(await sqlRows(guideQuery('Categories: calls and share needing a callback')));
  });

  it('Categories: weekly dynamics', async () => {
    expect(
      weeklyCategories(calls, all(calls), calendar).map((w) => ({
        week: w.week,
        category: w.category,
        calls: w.calls,
        callbacks: w.callbacks,
        callback_pct: pct(w.callbackShare),
      })),
    ).toEqual(await sqlRows(guideQuery('Categories: weekly dynamics')));
  });
});
