import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { SERVICE_LEVEL_DEFAULT_SEC, SHORT_ABANDON_SEC } from '@callcenter/analytics/aggregate';
import { type OpenedClickHouse, openClickHouseFromConfig } from '@callcenter/analytics/open-clickhouse';
import { inspectSql } from '@callcenter/analytics/sql-text';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlCommand } from '../src/commands/sql-command.ts';

/**
 * Every ```sql block of sql/ANALYSTS.md, run against real chDB over hand-made facts whose figures
 * are counted by hand below, plus the shell examples of its "Connect" section. A block is named by
 * the nearest heading above it; a block without expectations (or expectations without a block)
 * fails the test, so the guide cannot drift from the schema or the definitions.
 *
 * The facts: two weeks (3–16 March 2025, Moscow), queues support and sales, operators 101–104.
 * Times are UTC; Moscow is UTC+3, so 21:30 UTC on a Sunday is a Monday call. Calls 18 and 19 were
 * transferred: their talk is split between segments (101 then 102; 103 then a mobile).
 */

const GUIDE = readFileSync(new URL('../../sql/ANALYSTS.md', import.meta.url), 'utf8');

function sqlBlocks(markdown: string): Map<string, string> {
  const blocks = new Map<string, string>();
  let heading = '';
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const h = /^#{1,6}\s+(.*)$/.exec(line);
    if (h) heading = h[1]!.trim();
    if (line.trim() !== '```sql') continue;
    const end = lines.indexOf('```', i + 1);
    if (end === -1) throw new Error(`unclosed sql block under "${heading}"`);
    if (blocks.has(heading)) throw new Error(`two sql blocks under "${heading}": give each its own heading`);
    blocks.set(heading, lines.slice(i + 1, end).join('\n'));
    i = end;
  }
  return blocks;
}

/** Rows of the markdown table under the `### <table>` heading: the column names of the first cell, the type. */
function columnTable(markdown: string, table: string): { names: string[]; type: string }[] {
  const start = markdown.search(new RegExp(`^### ${table}:`, 'm'));
  if (start === -1) throw new Error(`no "### ${table}:" section`);
  const rest = markdown.slice(start + 4);
  const next = rest.search(/^#{1,3} /m);
  const section = next === -1 ? rest : rest.slice(0, next);
  return section
    .split('\n')
    .filter((l) => l.startsWith('| `'))
    .map((l) => {
      const cells = l.split('|').map((c) => c.trim());
      return { names: [...cells[1]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!), type: cells[2]! };
    });
}

/** Lines of ```sh blocks. */
function shellLines(markdown: string): string[] {
  const out: string[] = [];
  for (const m of markdown.matchAll(/```sh\n([\s\S]*?)```/g)) out.push(...m[1]!.split('\n').filter(Boolean));
  return out;
}

// --- facts -----------------------------------------------------------------------------------

interface CallSpec {
  id: number;
  at: string;
  direction?: string;
  status?: string;
  queue?: string;
  operator?: string;
  queueWait?: number | null;
  wait?: number;
  talk?: number;
  hold?: number;
  purpose?: string;
  category?: string;
  callback?: 0 | 1;
  transfers?: number;
  version?: number;
  deleted?: 1;
}

interface RingSpec {
  call: number;
  seq: number;
  operator: string;
  outcome: string;
  ring: number;
  queue?: string;
  version?: number;
  deleted?: 1;
}

/** One stretch of talk with one party (segment_facts); operator '' is an external party. */
interface SegmentSpec {
  call: number;
  seq: number;
  operator: string;
  talk: number;
  hold?: number;
  version?: number;
  deleted?: 1;
}

const CALLS: CallSpec[] = [
  // Sunday 2 March 23:59 Moscow: before the period.
  {
    id: 0,
    at: '2025-03-02T20:59:00Z',
    status: 'answered',
    queue: 'support',
    operator: '101',
    queueWait: 5,
    talk: 60,
    purpose: 'Жалоба',
    category: 'Жалоба',
    callback: 1,
  },
  // Monday 3 March 00:30 Moscow (still Sunday in UTC).
  {
    id: 1,
    at: '2025-03-02T21:30:00Z',
    status: 'answered',
    queue: 'support',
    operator: '101',
    queueWait: 12,
    talk: 120,
    hold: 10,
    purpose: 'Запись на приём',
    category: 'Запись',
  },
  {
    id: 2,
    at: '2025-03-03T07:00:00Z',
    status: 'answered',
    queue: 'support',
    operator: '102',
    queueWait: 30,
    talk: 300,
    purpose: 'Консультация',
    category: 'Консультация',
    callback: 1,
  },
  { id: 3, at: '2025-03-03T08:00:00Z', status: 'abandoned', queue: 'support', queueWait: 3, wait: 8 },
  { id: 4, at: '2025-03-03T09:00:00Z', status: 'abandoned', queue: 'support', queueWait: 40, wait: 45 },
  // Tuesday 4 March 00:30 Moscow (Monday in UTC).
  { id: 17, at: '2025-03-03T21:30:00Z', status: 'abandoned', queue: 'support', queueWait: 12, wait: 14 },
  { id: 5, at: '2025-03-04T06:00:00Z', status: 'missed', queue: 'sales', queueWait: 60, wait: 65 },
  {
    id: 6,
    at: '2025-03-04T10:00:00Z',
    status: 'answered',
    queue: 'sales',
    operator: '103',
    queueWait: 5,
    talk: 200,
    hold: 20,
    purpose: 'Запись на приём',
    category: 'Запись',
  },
  {
    id: 7,
    at: '2025-03-04T11:00:00Z',
    direction: 'outbound',
    status: 'answered',
    operator: '101',
    queueWait: null,
    talk: 60,
    purpose: 'Консультация',
    category: 'Консультация',
  },
  {
    id: 8,
    at: '2025-03-04T12:00:00Z',
    direction: 'outbound',
    status: 'no_answer',
    operator: '102',
    queueWait: null,
    wait: 30,
  },
  // Dialled straight to an operator: no queue.
  {
    id: 9,
    at: '2025-03-05T09:00:00Z',
    status: 'answered',
    operator: '101',
    queueWait: null,
    talk: 90,
    purpose: 'Жалоба',
    category: 'Жалоба',
    callback: 1,
  },
  // Card filled later: version 2 replaces version 1.
  {
    id: 10,
    at: '2025-03-05T10:00:00Z',
    status: 'answered',
    queue: 'support',
    operator: '102',
    queueWait: 26,
    talk: 100,
  },
  {
    id: 10,
    at: '2025-03-05T10:00:00Z',
    status: 'answered',
    queue: 'support',
    operator: '102',
    queueWait: 26,
    talk: 100,
    purpose: 'Консультация',
    category: 'Запись',
    callback: 1,
    version: 2,
  },
  // Merged into another call: version 2 is a tombstone.
  {
    id: 11,
    at: '2025-03-05T11:00:00Z',
    status: 'answered',
    queue: 'support',
    operator: '102',
    queueWait: 10,
    talk: 40,
    category: 'Жалоба',
  },
  { id: 11, at: '2025-03-05T11:00:00Z', status: '', direction: '', version: 2, deleted: 1 },
  {
    id: 15,
    at: '2025-03-06T08:00:00Z',
    direction: 'internal',
    status: 'no_answer',
    operator: '101',
    queueWait: null,
  },
  {
    id: 16,
    at: '2025-03-06T09:00:00Z',
    direction: 'outbound',
    status: 'answered',
    operator: '104',
    queueWait: null,
    talk: 30,
  },
  // Monday 10 March 00:10 Moscow (Sunday in UTC): second week; waited exactly T = 20 s.
  {
    id: 12,
    at: '2025-03-09T21:10:00Z',
    status: 'answered',
    queue: 'support',
    operator: '103',
    queueWait: 20,
    talk: 50,
    category: 'Запись',
  },
  { id: 13, at: '2025-03-11T08:00:00Z', status: 'abandoned', queue: 'support', queueWait: 4.9, wait: 6 },
  // Attended transfer: 101 answers, holds the caller 15 s while asking 102, then hands over. call_facts
  // shows only the last operator (102) with the whole call's talk; the segments split it.
  {
    id: 18,
    at: '2025-03-12T09:00:00Z',
    status: 'answered',
    queue: 'support',
    operator: '102',
    queueWait: 8,
    talk: 230,
    hold: 15,
    transfers: 1,
  },
  // Blind transfer to a doctor's mobile: the external party is nobody's talk; 103 stays the last operator.
  {
    id: 19,
    at: '2025-03-13T07:30:00Z',
    status: 'answered',
    queue: 'sales',
    operator: '103',
    queueWait: 15,
    talk: 175,
    transfers: 1,
  },
  // Monday 17 March 00:00 Moscow: after the period (end exclusive).
  {
    id: 14,
    at: '2025-03-16T21:00:00Z',
    status: 'answered',
    queue: 'support',
    operator: '101',
    queueWait: 1,
    talk: 10,
  },
];

const RINGS: RingSpec[] = [
  { call: 0, seq: 0, operator: '101', outcome: 'answered', ring: 3 },
  { call: 1, seq: 0, operator: '101', outcome: 'answered', ring: 4 },
  { call: 2, seq: 0, operator: '101', outcome: 'no_answer', ring: 15 },
  { call: 2, seq: 1, operator: '102', outcome: 'answered', ring: 3 },
  { call: 3, seq: 0, operator: '101', outcome: 'canceled', ring: 2 },
  { call: 4, seq: 0, operator: '102', outcome: 'no_answer', ring: 20 },
  { call: 4, seq: 1, operator: '103', outcome: 'busy', ring: 0.5 },
  { call: 17, seq: 0, operator: '101', outcome: 'no_answer', ring: 11 },
  { call: 5, seq: 0, operator: '103', outcome: 'declined', ring: 3 },
  { call: 6, seq: 0, operator: '103', outcome: 'answered', ring: 2 },
  { call: 9, seq: 0, operator: '101', outcome: 'answered', ring: 5, queue: '' },
  { call: 10, seq: 0, operator: '102', outcome: 'answered', ring: 2 },
  { call: 10, seq: 0, operator: '102', outcome: 'answered', ring: 2, version: 2 },
  { call: 11, seq: 0, operator: '102', outcome: 'answered', ring: 1 },
  { call: 11, seq: 0, operator: '', outcome: '', ring: 0, version: 2, deleted: 1 },
  { call: 15, seq: 0, operator: '102', outcome: 'no_answer', ring: 25, queue: '' },
  { call: 12, seq: 0, operator: '103', outcome: 'answered', ring: 1 },
  { call: 13, seq: 0, operator: '101', outcome: 'canceled', ring: 4 },
  { call: 14, seq: 0, operator: '101', outcome: 'answered', ring: 1 },
  { call: 18, seq: 0, operator: '101', outcome: 'answered', ring: 3 },
  { call: 18, seq: 1, operator: '102', outcome: 'answered', ring: 6, queue: '' },
  { call: 19, seq: 0, operator: '103', outcome: 'answered', ring: 2 },
];

// Every answered call's talk and hold, split by party; each call's segments add up to its call_facts row.
const SEGMENTS: SegmentSpec[] = [
  { call: 0, seq: 0, operator: '101', talk: 60 },
  { call: 1, seq: 0, operator: '101', talk: 120, hold: 10 },
  { call: 2, seq: 0, operator: '102', talk: 300 },
  { call: 6, seq: 0, operator: '103', talk: 200, hold: 20 },
  { call: 7, seq: 0, operator: '101', talk: 60 },
  { call: 9, seq: 0, operator: '101', talk: 90 },
  { call: 10, seq: 0, operator: '102', talk: 100 },
  { call: 10, seq: 0, operator: '102', talk: 100, version: 2 },
  { call: 11, seq: 0, operator: '102', talk: 40 },
  { call: 11, seq: 0, operator: '', talk: 0, version: 2, deleted: 1 },
  { call: 12, seq: 0, operator: '103', talk: 50 },
  { call: 14, seq: 0, operator: '101', talk: 10 },
  { call: 16, seq: 0, operator: '104', talk: 30 },
  { call: 18, seq: 0, operator: '101', talk: 80, hold: 15 },
  { call: 18, seq: 1, operator: '102', talk: 150 },
  { call: 19, seq: 0, operator: '103', talk: 55 },
  { call: 19, seq: 1, operator: '', talk: 120 },
];

const linkedidOf = (id: number) => `17410000${String(id).padStart(2, '0')}.1`;
const waitOf = (c: CallSpec) => c.wait ?? (c.queueWait ?? 0) + 3;

function callRow(c: CallSpec) {
  const direction = c.direction ?? 'inbound';
  const start = Date.parse(c.at);
  const answered = c.status === 'answered';
  const wait = waitOf(c);
  const talk = c.talk ?? 0;
  const hold = c.hold ?? 0;
  const iso = (ms: number) => new Date(ms).toISOString();
  const rings = RINGS.filter((r) => r.call === c.id && (r.version ?? 1) === (c.version ?? 1));
  return {
    server_id: 'pbx1',
    linkedid: linkedidOf(c.id),
    call_id: c.id,
    direction,
    status: c.status ?? 'answered',
    started_at: iso(start),
    answered_at: answered ? iso(start + wait * 1000) : null,
    ended_at: iso(start + (wait + talk + hold) * 1000),
    duration_sec: wait + talk + hold,
    wait_sec: wait,
    queue_wait_sec: c.queueWait === undefined ? null : c.queueWait,
    talk_sec: talk,
    hold_sec: hold,
    src_number: `+7916000${String(c.id).padStart(4, '0')}`,
    dst_number: '+74950000000',
    did: direction === 'inbound' ? '+74950000000' : '',
    // The IVR led to the queue: 1 support, 2 sales; a call with no queue chose nothing.
    ivr_choice: direction !== 'inbound' ? '' : c.queue === 'sales' ? '2' : c.queue === 'support' ? '1' : '',
    queue: c.queue ?? '',
    operator: c.operator ?? '',
    hung_up_by: 'customer',
    attempts: rings.length,
    missed_attempts: rings.filter((r) => ['no_answer', 'busy', 'declined'].includes(r.outcome)).length,
    transfers: c.transfers ?? 0,
    has_recording: answered ? 1 : 0,
    closed_by: 'linkedid_end',
    purpose: c.purpose ?? '',
    category: c.category ?? '',
    subcategory: '',
    needs_callback: c.callback ?? 0,
    resolved_first_call: null,
    card_completed: c.category ? 1 : 0,
    reconciler_version: 'test',
    version: c.version ?? 1,
    is_deleted: c.deleted ?? 0,
  };
}

function ringRow(r: RingSpec) {
  const call = CALLS.find((c) => c.id === r.call && (c.version ?? 1) === 1)!;
  const started = Date.parse(call.at);
  return {
    server_id: 'pbx1',
    linkedid: linkedidOf(r.call),
    seq: r.seq,
    call_id: r.call,
    call_started_at: new Date(started).toISOString(),
    rang_at: new Date(started + 2000 + r.seq * 1000).toISOString(),
    operator: r.operator,
    queue: r.queue ?? call.queue ?? '',
    ring_sec: r.ring,
    outcome: r.outcome,
    direction: r.deleted ? '' : (call.direction ?? 'inbound'),
    call_status: r.deleted ? '' : (call.status ?? 'answered'),
    version: r.version ?? 1,
    is_deleted: r.deleted ?? 0,
  };
}

/** As the shipper writes it (ingest fact-rows.ts segmentFact / segmentTombstone). */
function segmentRow(s: SegmentSpec) {
  const call = CALLS.find((c) => c.id === s.call && (c.version ?? 1) === 1)!;
  const started = Date.parse(call.at);
  const before = SEGMENTS.filter(
    (o) => o.call === s.call && (o.version ?? 1) === (s.version ?? 1) && o.seq < s.seq,
  );
  const offset = waitOf(call) + before.reduce((sum, o) => sum + o.talk + (o.hold ?? 0), 0);
  return {
    server_id: 'pbx1',
    linkedid: linkedidOf(s.call),
    seq: s.seq,
    call_id: s.call,
    call_started_at: new Date(started).toISOString(),
    started_at: new Date(s.deleted ? started : started + offset * 1000).toISOString(),
    operator: s.operator,
    queue: s.deleted ? '' : (call.queue ?? ''),
    direction: s.deleted ? '' : (call.direction ?? 'inbound'),
    talk_sec: s.talk,
    hold_sec: s.hold ?? 0,
    version: s.version ?? 1,
    is_deleted: s.deleted ?? 0,
  };
}

// --- expectations, counted by hand from the facts above --------------------------------------

type Rows = Record<string, unknown>[];

const EXPECTED: Record<string, (rows: Rows) => void> = {
  'Rows versus calls': (rows) => {
    // 20 calls, one merged away; 22 rows stored until ClickHouse merges the versions.
    expect(rows).toHaveLength(1);
    expect(rows[0]!.calls).toBe(19);
    expect(rows[0]!.stored_rows).toBeGreaterThanOrEqual(19);
    expect(rows[0]!.stored_rows).toBeLessThanOrEqual(22);
  },
  'Lost calls of one day, in Moscow time': (rows) => {
    // Monday 3 March in Moscow: calls 3 and 4; call 17 (21:30 UTC that day) is Tuesday in Moscow.
    expect(rows).toEqual([
      {
        started_msk: '2025-03-03 11:00:00.000',
        src_number: '+79160000003',
        queue: 'support',
        status: 'abandoned',
        waited_sec: 8,
        missed_attempts: 0,
      },
      {
        started_msk: '2025-03-03 12:00:00.000',
        src_number: '+79160000004',
        queue: 'support',
        status: 'abandoned',
        waited_sec: 45,
        missed_attempts: 2,
      },
    ]);
  },
  'Operator efficiency: answered, missed, talk time': (rows) => {
    // Rings: 101 answered 1, 9, 18; missed 2 and 17 (no answer); 3 and 13 were canceled: 2 of 5.
    // 102 answered 2, 10, 18 (the transfer; 11 was merged away); missed 4; the internal call 15 does
    // not count: 1 of 4. 103 answered 6, 12, 19; missed 4 (busy), 5 (declined): 2 of 5. 104: outbound only.
    // Talk from segments: 101 = 120 (1) + 90 (9) + 80 (18, before the transfer), hold 10 + 15;
    // 102 = 300 (2) + 100 (10) + 150 (18, after it); 103 = 200 (6) + 50 (12) + 55 (19: not the
    // mobile's 120), hold 20. call_facts would have given 101 only 210 and 102 630.
    // AHT: 101 (290 + 25) / 3, 102 550 / 3, 103 (305 + 20) / 3. Outbound placed: 7 (101), 8 (102), 16 (104).
    expect(rows).toEqual([
      {
        operator: '101',
        answered_calls: 3,
        missed_rings: 2,
        missed_pct: 40,
        talked_calls: 3,
        talk_total_sec: 290,
        hold_total_sec: 25,
        aht_sec: 105,
        outbound_calls: 1,
      },
      {
        operator: '102',
        answered_calls: 3,
        missed_rings: 1,
        missed_pct: 25,
        talked_calls: 3,
        talk_total_sec: 550,
        hold_total_sec: 0,
        aht_sec: 183.3,
        outbound_calls: 1,
      },
      {
        operator: '103',
        answered_calls: 3,
        missed_rings: 2,
        missed_pct: 40,
        talked_calls: 3,
        talk_total_sec: 305,
        hold_total_sec: 20,
        aht_sec: 108.3,
        outbound_calls: 0,
      },
      {
        operator: '104',
        answered_calls: 0,
        missed_rings: 0,
        missed_pct: null,
        talked_calls: 0,
        talk_total_sec: 0,
        hold_total_sec: 0,
        aht_sec: null,
        outbound_calls: 1,
      },
    ]);
  },
  'Talk per operator on transferred calls': (rows) => {
    // 18: 101 80 s + 15 s hold, then 102 150 s. 19: 103 55 s, then the mobile 120 s.
    expect(rows).toEqual([
      { talked_to: '(external)', calls: 1, talk_total_sec: 120, hold_total_sec: 0 },
      { talked_to: '101', calls: 1, talk_total_sec: 80, hold_total_sec: 15 },
      { talked_to: '102', calls: 1, talk_total_sec: 150, hold_total_sec: 0 },
      { talked_to: '103', calls: 1, talk_total_sec: 55, hold_total_sec: 0 },
    ]);
  },
  'Operator efficiency: distribution by purpose': (rows) => {
    // Cards count for the last operator: 18 (no card) is 102's, not 101's; 19 stays 103's.
    expect(rows).toEqual([
      { operator: '101', call_purpose: 'Жалоба', calls: 1, pct_of_operator: 50 },
      { operator: '101', call_purpose: 'Запись на приём', calls: 1, pct_of_operator: 50 },
      { operator: '102', call_purpose: 'Консультация', calls: 2, pct_of_operator: 66.7 },
      { operator: '102', call_purpose: '(not set)', calls: 1, pct_of_operator: 33.3 },
      { operator: '103', call_purpose: '(not set)', calls: 2, pct_of_operator: 66.7 },
      { operator: '103', call_purpose: 'Запись на приём', calls: 1, pct_of_operator: 33.3 },
    ]);
  },
  'Queue statistics': (rows) => {
    // support: 1, 2, 3, 4, 10, 12, 13, 17, 18. Answered 1 (12 s), 2 (30 s), 10 (26 s), 12 (20 s: within
    // T), 18 (8 s). Short abandons 3 (3 s) and 13 (4.9 s). SL = 3 (1, 12, 18) / (9 - 2). ASA = 96 / 5.
    // AHT = (130 + 300 + 100 + 50 + 245) / 5: per call, the transfer does not matter.
    // sales: 5 (missed), 6 (after 5 s, 200 s talk + 20 s hold), 19 (after 15 s, 55 + 120 s talk).
    expect(rows).toEqual([
      {
        queue: 'sales',
        offered: 3,
        answered: 2,
        lost: 1,
        abandoned: 0,
        missed: 1,
        short_abandons: 0,
        answer_rate_pct: 66.7,
        abandon_rate_pct: 0,
        service_level_pct: 66.7,
        asa_sec: 10,
        aht_sec: 197.5,
      },
      {
        queue: 'support',
        offered: 9,
        answered: 5,
        lost: 4,
        abandoned: 4,
        missed: 0,
        short_abandons: 2,
        answer_rate_pct: 55.6,
        abandon_rate_pct: 44.4,
        service_level_pct: 42.9,
        asa_sec: 19.2,
        aht_sec: 165,
      },
    ]);
  },
  'Categories: calls and share needing a callback': (rows) => {
    // Запись: 1, 6, 10 (version 2), 12; Консультация: 2, 7 (outbound); Жалоба: 9 (0 is before, 11 merged).
    expect(rows).toEqual([
      { category: 'Запись', calls: 4, pct_of_calls: 57.1, callbacks: 1, callback_pct: 25 },
      { category: 'Консультация', calls: 2, pct_of_calls: 28.6, callbacks: 1, callback_pct: 50 },
      { category: 'Жалоба', calls: 1, pct_of_calls: 14.3, callbacks: 1, callback_pct: 100 },
    ]);
  },
  'Categories: weekly dynamics': (rows) => {
    // Call 1 is in the week of 3 March only in Moscow time; call 12 in the week of 10 March.
    expect(rows).toEqual([
      { week: '2025-03-03', category: 'Жалоба', calls: 1, callbacks: 1, callback_pct: 100 },
      { week: '2025-03-03', category: 'Запись', calls: 3, callbacks: 1, callback_pct: 33.3 },
      { week: '2025-03-03', category: 'Консультация', calls: 2, callbacks: 1, callback_pct: 50 },
      { week: '2025-03-10', category: 'Запись', calls: 1, callbacks: 0, callback_pct: 0 },
    ]);
  },
  'Calls by interval of the day': (rows) => {
    // Inbound calls of the period by Moscow quarter-hour (UTC+3): 00:00 12 (waited T = 20 s: in);
    // 00:30 1 (12 s, in) and 17 (abandoned after 12 s); 09:00 5 (missed); 10:00 2 (30 s); 10:30 19
    // (15 s, in); 11:00 3 and 13, both short abandons: nothing left to measure; 12:00 4 (abandoned
    // after 40 s), 9 (no queue: offered, not in SL) and 18 (8 s, in); 13:00 6 (5 s, in) and 10 (26 s).
    // Outbound 7, 8, 16, internal 15, merged 11 and calls 0 and 14 outside the period are left out.
    expect(rows).toEqual([
      { minute: 0, offered: 1, answered: 1, abandoned: 0, missed: 0, service_level_pct: 100 },
      { minute: 30, offered: 2, answered: 1, abandoned: 1, missed: 0, service_level_pct: 50 },
      { minute: 540, offered: 1, answered: 0, abandoned: 0, missed: 1, service_level_pct: 0 },
      { minute: 600, offered: 1, answered: 1, abandoned: 0, missed: 0, service_level_pct: 0 },
      { minute: 630, offered: 1, answered: 1, abandoned: 0, missed: 0, service_level_pct: 100 },
      { minute: 660, offered: 2, answered: 0, abandoned: 2, missed: 0, service_level_pct: null },
      { minute: 720, offered: 3, answered: 2, abandoned: 1, missed: 0, service_level_pct: 50 },
      { minute: 780, offered: 2, answered: 2, abandoned: 0, missed: 0, service_level_pct: 50 },
    ]);
  },
  'Service level per queue over time': (rows) => {
    // Moscow days. sales: 4 Mar 5 (missed) and 6 (5 s); 13 Mar 19 (15 s). support: 3 Mar 1 (12 s),
    // 2 (30 s), 3 (short abandon: out), 4 (40 s) → 1 of 3; 4 Mar 17 (abandoned after 12 s); 5 Mar 10
    // (26 s); 10 Mar 12 (exactly T: in); 11 Mar 13 (short abandon only: no SL); 12 Mar 18 (8 s).
    expect(rows).toEqual([
      { queue: 'sales', day: '2025-03-04', offered: 2, answered_in_sl: 1, service_level_pct: 50 },
      { queue: 'sales', day: '2025-03-13', offered: 1, answered_in_sl: 1, service_level_pct: 100 },
      { queue: 'support', day: '2025-03-03', offered: 4, answered_in_sl: 1, service_level_pct: 33.3 },
      { queue: 'support', day: '2025-03-04', offered: 1, answered_in_sl: 0, service_level_pct: 0 },
      { queue: 'support', day: '2025-03-05', offered: 1, answered_in_sl: 0, service_level_pct: 0 },
      { queue: 'support', day: '2025-03-10', offered: 1, answered_in_sl: 1, service_level_pct: 100 },
      { queue: 'support', day: '2025-03-11', offered: 1, answered_in_sl: 0, service_level_pct: null },
      { queue: 'support', day: '2025-03-12', offered: 1, answered_in_sl: 1, service_level_pct: 100 },
    ]);
  },
  'Calls by DID': (rows) => {
    // Every inbound call came by +74950000000: the 13 of "Calls by interval of the day" — 8
    // answered, 4 abandoned, 1 missed; in SL 5 of (12 queue calls − 2 short abandons); ASA over the
    // 7 answered queue calls: (20 + 12 + 30 + 15 + 8 + 5 + 26) / 7 = 16.57 s (9 never queued).
    expect(rows).toEqual([
      {
        did: '+74950000000',
        offered: 13,
        answered: 8,
        abandoned: 4,
        missed: 1,
        service_level_pct: 50,
        asa_sec: 16.6,
      },
    ]);
  },
  'Calls by DID and IVR choice': (rows) => {
    // The 13 calls of "Calls by DID", by the choice that led to their queue: 1 (support) 1, 2, 3, 4,
    // 10, 12, 13, 17, 18 — answered 1, 2, 10, 12, 18, abandoned 3, 4, 13, 17; 2 (sales) 5 (missed),
    // 6, 19; no choice: 9 (no queue, answered).
    const row = (
      ivr_choice: string,
      offered: number,
      answered: number,
      abandoned: number,
      missed: number,
    ) => ({
      did: '+74950000000',
      ivr_choice,
      offered,
      answered,
      abandoned,
      missed,
    });
    expect(rows).toEqual([row('1', 9, 5, 4, 0), row('2', 3, 2, 0, 1), row('', 1, 1, 0, 0)]);
  },
  'Repeat callers and FCR': (rows) => {
    // Every call has its own number (+7916000NNNN): no repeats; every answered call is a resolved
    // first contact. sales: 5 (missed), 6, 19; support: 1, 2, 3, 4, 10, 12, 13, 17, 18 (answered 1,
    // 2, 10, 12, 18); no queue: 9 (answered).
    const row = (queue: string, calls: number, answered: number) => ({
      queue,
      calls,
      unidentified: 0,
      unique_callers: calls,
      repeat_calls: 0,
      repeat_callers: 0,
      repeat_pct: 0,
      answered_first_contacts: answered,
      resolved_first_contacts: answered,
      fcr_pct: 100,
    });
    expect(rows).toEqual([row('', 1, 1), row('sales', 3, 2), row('support', 9, 5)]);
  },
  'Daily consolidated report': (rows) => {
    // 3 Mar: 1, 2 answered; 3 (short), 4 lost; SL 1 of (4 - 1). 4 Mar: 17, 5 lost, 6 answered,
    // 7 and 8 outbound; SL 1 of 3. 5 Mar: 9 (no queue), 10 (26 s) answered; SL 0 of 1.
    // 6 Mar: outbound 16 only (internal 15 left out); no queue calls. 10 Mar: 12 within T.
    // 11 Mar: 13 is a short abandon: nothing left to measure. 12 and 13 Mar: 18 (8 s) and 19 (15 s).
    expect(rows).toEqual([
      {
        day: '2025-03-03',
        answered: 2,
        lost: 2,
        short_abandons: 1,
        outbound: 0,
        outbound_answered: 0,
        service_level_pct: 33.3,
      },
      {
        day: '2025-03-04',
        answered: 1,
        lost: 2,
        short_abandons: 0,
        outbound: 2,
        outbound_answered: 1,
        service_level_pct: 33.3,
      },
      {
        day: '2025-03-05',
        answered: 2,
        lost: 0,
        short_abandons: 0,
        outbound: 0,
        outbound_answered: 0,
        service_level_pct: 0,
      },
      {
        day: '2025-03-06',
        answered: 0,
        lost: 0,
        short_abandons: 0,
        outbound: 1,
        outbound_answered: 1,
        service_level_pct: null,
      },
      {
        day: '2025-03-10',
        answered: 1,
        lost: 0,
        short_abandons: 0,
        outbound: 0,
        outbound_answered: 0,
        service_level_pct: 100,
      },
      {
        day: '2025-03-11',
        answered: 0,
        lost: 1,
        short_abandons: 1,
        outbound: 0,
        outbound_answered: 0,
        service_level_pct: null,
      },
      {
        day: '2025-03-12',
        answered: 1,
        lost: 0,
        short_abandons: 0,
        outbound: 0,
        outbound_answered: 0,
        service_level_pct: 100,
      },
      {
        day: '2025-03-13',
        answered: 1,
        lost: 0,
        short_abandons: 0,
        outbound: 0,
        outbound_answered: 0,
        service_level_pct: 100,
      },
    ]);
  },
  'Missed by operators': (rows) => {
    // 101 rang out on 2 (answered by 102 later) and 17 (lost): (15 + 11) / 2.
    expect(rows).toEqual([
      { operator: '101', outcome: 'no_answer', rings: 2, avg_ring_sec: 13, then_lost: 1 },
      { operator: '102', outcome: 'no_answer', rings: 1, avg_ring_sec: 20, then_lost: 1 },
      { operator: '103', outcome: 'busy', rings: 1, avg_ring_sec: 0.5, then_lost: 1 },
      { operator: '103', outcome: 'declined', rings: 1, avg_ring_sec: 3, then_lost: 1 },
    ]);
  },
};

// --- the run ----------------------------------------------------------------------------------

let dir: string;
let opened: OpenedClickHouse;

async function rows(query: string): Promise<Rows> {
  const result = await opened.client.query({
    query,
    format: 'JSONEachRow',
    clickhouse_settings: {
      output_format_json_quote_64bit_integers: 0,
      output_format_json_quote_denormals: 0,
    },
  });
  return result.json<Record<string, unknown>>();
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'analyst-queries-'));
  opened = await openClickHouseFromConfig({ chdbPath: join(dir, 'clickhouse') });
  const insert = (table: string, values: unknown[]) =>
    opened.client.insert({
      table,
      values,
      format: 'JSONEachRow',
      clickhouse_settings: { date_time_input_format: 'best_effort' },
    });
  // Versions go in separate inserts: ClickHouse would collapse them already inside one insert block.
  await insert('call_facts', CALLS.filter((c) => !c.version).map(callRow));
  await insert('call_facts', CALLS.filter((c) => c.version).map(callRow));
  await insert('attempt_facts', RINGS.filter((r) => !r.version).map(ringRow));
  await insert('attempt_facts', RINGS.filter((r) => r.version).map(ringRow));
  await insert('segment_facts', SEGMENTS.filter((x) => !x.version).map(segmentRow));
  await insert('segment_facts', SEGMENTS.filter((x) => x.version).map(segmentRow));
});

afterAll(async () => {
  await opened?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('sql/ANALYSTS.md', () => {
  const blocks = sqlBlocks(GUIDE);

  it('has exactly the example queries this test checks', () => {
    expect([...blocks.keys()].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const [heading, query] of blocks) {
    it(`"${heading}" gives the hand-counted figures`, async () => {
      // Pasted into `callcenter sql`, it must pass the read-only guard as one statement.
      expect(inspectSql(query)).toMatchObject({ statements: 1, readOnly: true });
      const check = EXPECTED[heading];
      expect(check, `no expectations for "${heading}"`).toBeDefined();
      check!(await rows(query));
    });
  }

  it('writes the metric thresholds of analytics/src/aggregate/metric-defaults.ts, nothing else', () => {
    const all = [...blocks.values()].join('\n');
    const short = [...all.matchAll(/queue_wait_sec < (\d+)/g)].map((m) => Number(m[1]));
    const sl = [...all.matchAll(/queue_wait_sec <= (\d+)/g)].map((m) => Number(m[1]));
    expect(short.length).toBeGreaterThan(0);
    expect(sl.length).toBeGreaterThan(0);
    expect(new Set(short)).toEqual(new Set([SHORT_ABANDON_SEC]));
    expect(new Set(sl)).toEqual(new Set([SERVICE_LEVEL_DEFAULT_SEC]));
    expect(GUIDE).toContain(`\`queue_wait_sec < ${SHORT_ABANDON_SEC}\``);
    expect(GUIDE).toContain(`T = ${SERVICE_LEVEL_DEFAULT_SEC} s`);
  });

  it("documents every column of every table, with its type, in the table's own section", async () => {
    const tables = await rows(
      "SELECT name FROM system.tables WHERE database = currentDatabase() AND endsWith(name, '_facts') ORDER BY name",
    );
    expect(tables.map((t) => t.name)).toEqual(['attempt_facts', 'call_facts', 'segment_facts']);
    for (const { name: table } of tables) {
      const documented = columnTable(GUIDE, String(table));
      const columns = await rows(
        `SELECT name, type FROM system.columns WHERE database = currentDatabase() AND table = '${table}'`,
      );
      expect(columns.length).toBeGreaterThan(10);
      for (const { name, type } of columns) {
        const row = documented.find((r) => r.names.includes(String(name)));
        expect(row, `${table}.${name} has no row in its table`).toBeDefined();
        // A row of one column gives its exact type (a unit may follow: "Float64, s").
        if (row!.names.length === 1) expect(row!.type.split(', s')[0], `${table}.${name}`).toBe(type);
      }
    }
  });

  it('segments add up to the call: the hand-made facts agree with each other', async () => {
    const mismatched = await rows(`
      SELECT c.linkedid, c.talk_sec, c.hold_sec, s.talk, s.hold
      FROM call_facts AS c FINAL
      LEFT JOIN (
        SELECT server_id, linkedid, sum(talk_sec) AS talk, sum(hold_sec) AS hold
        FROM segment_facts FINAL GROUP BY server_id, linkedid
      ) AS s ON s.server_id = c.server_id AND s.linkedid = c.linkedid
      WHERE c.talk_sec != s.talk OR c.hold_sec != s.hold`);
    expect(mismatched).toEqual([]);
  });

  it('FINAL matters: without it the re-sent and merged calls show up', async () => {
    const [plain] = await rows(
      "SELECT count() AS n FROM call_facts WHERE linkedid IN ('1741000010.1', '1741000011.1')",
    );
    const [final] = await rows(
      "SELECT count() AS n FROM call_facts FINAL WHERE linkedid IN ('1741000010.1', '1741000011.1')",
    );
    expect(final!.n).toBe(1);
    expect(plain!.n).toBeGreaterThanOrEqual(2); // 4 until a background merge (tombstones stay until cleaned)
    for (const table of ['attempt_facts', 'segment_facts']) {
      const where = "WHERE linkedid IN ('1741000010.1', '1741000011.1')";
      const [p] = await rows(`SELECT count() AS n FROM ${table} ${where}`);
      const [f] = await rows(`SELECT count() AS n FROM ${table} FINAL ${where}`);
      expect(f!.n, table).toBe(1);
      expect(p!.n, table).toBeGreaterThanOrEqual(2);
    }
  });

  it('runs the shell examples of the "Connect" section', async () => {
    const lines = shellLines(GUIDE);
    const commands = lines.filter((l) => l.startsWith('npx callcenter sql ') && /"[^"]+"/.test(l));
    expect(commands.length).toBeGreaterThanOrEqual(3);
    for (const line of commands) {
      const query = /"([^"]+)"/.exec(line)![1]!;
      const format = /--format (\w+)/.exec(line)?.[1];
      let stdout = '';
      const sink = new Writable({
        write(chunk, _encoding, done) {
          stdout += String(chunk);
          done();
        },
      });
      const command = sqlCommand(async () => ({ client: opened.client, close: async () => {} }), {
        stdout: sink,
        stderr: sink,
      });
      await command.parseAsync([...(format ? ['--format', format] : []), query], { from: 'user' });
      expect(stdout.length, line).toBeGreaterThan(0);
      if (format === 'json')
        for (const l of stdout.trim().split('\n')) expect(() => JSON.parse(l)).not.toThrow();
      if (format === 'csv') expect(stdout.split('\n')[0]).toBe('queue,calls');
      if (!format) expect(stdout).toMatch(/^ {1}calls\n-+\n +19\n\(1 row\)\n$/);
    }
    const client = lines.find((l) => l.startsWith('clickhouse-client '));
    const clientQuery = /--query "([^"]+)"/.exec(client ?? '')?.[1];
    expect(clientQuery).toBeDefined();
    expect(await rows(clientQuery!)).toEqual([{ calls: 19 }]);
  });
});
