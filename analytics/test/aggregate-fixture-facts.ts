import { readdirSync } from 'node:fs';
import type { ExpectedCall } from '@callcenter/ingest/testing/expected-call';
import type { ClickHouseClient } from '@clickhouse/client';
import { tableFromIPC } from 'apache-arrow';
import type { BuiltQuery } from '../src/clickhouse/index.ts';

/**
 * Facts for the aggregation tests, made from the hand-written expectations of every real capture
 * (ingest/test/scenarios/expected/, derived by hand from fixtures/asterisk/scenarios/*), shaped as
 * the shipper writes call_facts, attempt_facts and segment_facts. Nobody fills cards in the
 * captures, so a few cards are set here by hand ({@link CARDS}).
 */

const EXPECTED_DIR = new URL('../../ingest/test/scenarios/expected/', import.meta.url);

/** Every expected call of every scenario, in scenario order. */
export async function expectedCalls(): Promise<ExpectedCall[]> {
  const files = readdirSync(EXPECTED_DIR)
    .filter((f) => /^\d\d-.*\.ts$/.test(f))
    .sort();
  const calls: ExpectedCall[] = [];
  for (const file of files) {
    const module = (await import(new URL(file, EXPECTED_DIR).href)) as { expected: ExpectedCall[] };
    calls.push(...module.expected);
  }
  return calls;
}

/** Cards filled by hand on six calls (by linkedid). */
export const CARDS: Record<string, { purpose: string; category: string; needs_callback: 0 | 1 }> = {
  '1795234908.0': { purpose: 'Запись на приём', category: 'Запись', needs_callback: 0 }, // 01, 101
  '1795234985.12': { purpose: 'Консультация', category: 'Консультация', needs_callback: 1 }, // 04, 103
  '1795235183.36': { purpose: 'Запись на приём', category: 'Запись', needs_callback: 1 }, // 09, 101 → 102
  '1795235377.75': { purpose: 'Жалоба', category: 'Жалоба', needs_callback: 1 }, // 10, 101 → 102
  '1795235062.25': { purpose: 'Консультация', category: 'Консультация', needs_callback: 0 }, // 06 outbound
  '1795235269.47': { purpose: 'Консультация', category: 'Запись', needs_callback: 0 }, // 12, 103
};

const MISSED = new Set(['no_answer', 'busy', 'declined']);

/**
 * `ended_at_stage` of the calls whose hand-written expectation predates the field (the Asterisk 20
 * captures): capture 14's caller hung up in the IVR, as ingest/test/reconcile/ended-stage.test.ts
 * states from its README. The others carry none (''), as facts shipped before reconciler 1.3.0.
 */
const STAGES: Record<string, string> = { '1795235572.99': 'ivr' };

/**
 * `ivr_choice` of the Asterisk 20 captures (their expectations predate the field), from their
 * READMEs as ingest/test/reconcile/ivr-choice.test.ts states them: every inbound caller pressed 1
 * (support) except 04 and the burst's group D (7916554000N), who pressed 2 (sales); 14 hung up in
 * the menu, outbound and internal calls had none ('').
 */
function ivrChoiceOf(c: ExpectedCall): string {
  if (c.ivr_choice !== undefined) return c.ivr_choice ?? '';
  if (c.direction !== 'inbound' || c.linkedid === '1795235572.99') return '';
  return c.linkedid === '1795234985.12' || c.src_number?.startsWith('7916554') ? '2' : '1';
}

export function callFactRow(c: ExpectedCall, id: number) {
  const card = CARDS[c.linkedid];
  return {
    server_id: 'pbx1',
    linkedid: c.linkedid,
    call_id: id,
    direction: c.direction,
    status: c.status,
    started_at: c.started_at,
    answered_at: c.answered_at,
    ended_at: c.ended_at,
    duration_sec: c.duration_sec,
    wait_sec: c.wait_sec,
    queue_wait_sec: c.queue_wait_sec,
    talk_sec: c.talk_sec,
    hold_sec: c.hold_sec,
    src_number: c.src_number ?? '',
    dst_number: c.dst_number ?? '',
    did: c.did ?? '',
    ended_at_stage: c.ended_at_stage ?? STAGES[c.linkedid] ?? '',
    ivr_choice: ivrChoiceOf(c),
    queue: c.queue ?? '',
    operator: c.operator ?? '',
    hung_up_by: 'customer',
    attempts: c.attempts.length,
    missed_attempts: c.attempts.filter((a) => MISSED.has(a.outcome)).length,
    transfers: c.transfers.length,
    has_recording: c.recording_path ? 1 : 0,
    closed_by: 'linkedid_end',
    purpose: card?.purpose ?? '',
    category: card?.category ?? '',
    subcategory: '',
    needs_callback: card?.needs_callback ?? 0,
    resolved_first_call: null,
    card_completed: card ? 1 : 0,
    reconciler_version: 'test',
    version: 1,
    is_deleted: 0,
  };
}

export function attemptFactRows(c: ExpectedCall, id: number) {
  return c.attempts.map((a, seq) => ({
    server_id: 'pbx1',
    linkedid: c.linkedid,
    seq,
    call_id: id,
    call_started_at: c.started_at,
    rang_at: a.rang_at,
    operator: a.operator,
    queue: a.queue ?? '',
    ring_sec: a.ring_sec,
    outcome: a.outcome,
    direction: c.direction,
    call_status: c.status,
    version: 1,
    is_deleted: 0,
  }));
}

export function segmentFactRows(c: ExpectedCall, id: number) {
  let at = Date.parse(c.answered_at ?? c.started_at);
  return c.segments.map((s, seq) => {
    const row = {
      server_id: 'pbx1',
      linkedid: c.linkedid,
      seq,
      call_id: id,
      call_started_at: c.started_at,
      started_at: new Date(at).toISOString(),
      operator: s.operator ?? '',
      queue: c.queue ?? '',
      direction: c.direction,
      talk_sec: s.talk_sec,
      hold_sec: s.hold_sec,
      version: 1,
      is_deleted: 0,
    };
    at += (s.talk_sec + s.hold_sec) * 1000;
    return row;
  });
}

/** Inserts the facts of `calls` into the three tables. */
export async function insertFacts(client: ClickHouseClient, calls: readonly ExpectedCall[]): Promise<void> {
  const insert = (table: string, values: unknown[]) =>
    client.insert({
      table,
      values,
      format: 'JSONEachRow',
      clickhouse_settings: { date_time_input_format: 'best_effort' },
    });
  await insert(
    'call_facts',
    calls.map((c, i) => callFactRow(c, i + 1)),
  );
  await insert(
    'attempt_facts',
    calls.flatMap((c, i) => attemptFactRows(c, i + 1)),
  );
  await insert(
    'segment_facts',
    calls.flatMap((c, i) => segmentFactRows(c, i + 1)),
  );
}

/** Runs a built report query (FORMAT ArrowStream) and returns ClickHouse's bytes as they are. */
export async function arrowBytes(client: ClickHouseClient, built: BuiltQuery): Promise<Uint8Array> {
  const result = await client.exec({ query: built.query, query_params: built.query_params });
  const chunks: Buffer[] = [];
  for await (const chunk of result.stream) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

/** The bytes decoded by apache-arrow, as the web worker does. */
export function arrowTable(bytes: Uint8Array) {
  return tableFromIPC(bytes);
}
