import { expect } from 'vitest';
import { eventually, type LabApi, type SseReader } from './api-client.ts';
import type { LabServer } from './lab.ts';

/**
 * What the lab's scenarios read back after the SIP peers are done, each from where a user or an
 * analyst would read it: the call card (`GET /calls/:id`), the ClickHouse facts (`GET
 * /reports/facts|attempts|segments?format=json`, JSON Lines), the live stream (`GET /live/events`)
 * and Asterisk's own CLI. Times are seconds; instants ISO 8601 UTC.
 */

/** `GET /calls/:id` as the scenarios read it (api/src/routes/calls/call-schemas.ts, CallCard). */
export interface CallCard {
  id: number;
  server_id: string;
  linkedid: string;
  linkedids: string[];
  direction: string;
  status: string;
  started_at: string;
  answered_at: string | null;
  ended_at: string | null;
  duration_sec: number;
  wait_sec: number;
  queue_wait_sec: number | null;
  talk_sec: number;
  hold_sec: number;
  src_number: string | null;
  dst_number: string | null;
  did: string | null;
  queue: string | null;
  queues: string[];
  operator_endpoint: string | null;
  operator_id: number | null;
  hung_up_by: string | null;
  has_recording: boolean;
  attempts: {
    operator_endpoint: string;
    operator_id: number | null;
    queue: string | null;
    ring_sec: number;
    outcome: string;
    hangup_cause: number | null;
  }[];
  transfers: { kind: string; from_operator: string | null; to_target: string | null; at: string }[];
  segments: {
    operator_endpoint: string | null;
    operator_id: number | null;
    party: string;
    talk_sec: number;
    hold_sec: number;
  }[];
  holds: { operator_endpoint: string | null; started_at: string; ended_at: string }[];
  version: number;
}

/** Asserts `actual` is within `tolerance` seconds (default 1) of what the peers were told. */
export function expectNear(
  actual: number | null | undefined,
  expected: number,
  what: string,
  tolerance = 1,
): void {
  expect(actual, `${what}: ${actual} ≈ ${expected} ± ${tolerance}`).not.toBeNull();
  expect(
    Math.abs((actual as number) - expected),
    `${what}: ${actual} ≈ ${expected} ± ${tolerance}`,
  ).toBeLessThanOrEqual(tolerance);
}

/** A row of `GET /calls` as the final-card lookups read it. */
export interface ListedCall {
  id: number;
  server_id: string;
  src_number: string | null;
  dst_number: string | null;
  status: string;
  live: boolean;
}

/**
 * The reconciled card (`GET /calls/:id`) of the first call in the newest 50 of `GET /calls` that
 * `match` picks, once the collector has written it from its CEL: rows still ringing and live
 * (provisional) cards are skipped. Throws naming `what` when none comes within `timeoutMs`.
 */
export async function finalCardWhere<Card = CallCard>(
  api: LabApi,
  what: string,
  match: (call: ListedCall) => boolean,
  timeoutMs = 60_000,
): Promise<Card> {
  const listed = await eventually(what, timeoutMs, async () => {
    const page = await api.get<{ items: ListedCall[] }>('/calls?limit=50');
    return page.items.find((c) => c.status !== 'ringing' && !c.live && match(c));
  });
  return api.get<Card>(`/calls/${listed.id}`);
}

/**
 * The reconciled card of the one call from caller number `cli` on `serverId` (waits for the
 * collector; provisional live cards are skipped). Throws when none comes within a minute.
 */
export function finalCard(api: LabApi, cli: string, serverId = 'pbx1'): Promise<CallCard> {
  return finalCardWhere(
    api,
    `the call from ${cli} on ${serverId} in GET /calls`,
    (c) => c.src_number === cli && c.server_id === serverId,
  );
}

const jsonLines = <T>(text: string): T[] =>
  text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);

/** The period query of one call: from its start, one second long (calls started in it). */
const periodOf = (card: CallCard) => {
  const from = new Date(card.started_at);
  const to = new Date(from.getTime() + 1000);
  return `from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`;
};

async function getText(api: LabApi, path: string): Promise<string> {
  const res = await fetch(`${api.baseUrl}${path}`, { headers: { authorization: `Bearer ${api.token}` } });
  const text = await res.text();
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${text}`);
  return text;
}

/** One call_facts row (`GET /reports/facts?format=json`), the columns the scenarios check. */
export interface CallFactRow {
  server_id: string;
  linkedid: string;
  call_id: number;
  direction: string;
  status: string;
  wait_sec: number;
  queue_wait_sec: number | null;
  talk_sec: number;
  hold_sec: number;
  queue: string;
  operator: string;
  attempts: number;
  missed_attempts: number;
  transfers: number;
  has_recording: number | boolean;
  version: number;
}

const FACT_COLUMNS = [
  'server_id',
  'linkedid',
  'call_id',
  'direction',
  'status',
  'wait_sec',
  'queue_wait_sec',
  'talk_sec',
  'hold_sec',
  'queue',
  'operator',
  'attempts',
  'missed_attempts',
  'transfers',
  'has_recording',
  'version',
];

/**
 * The call's row in ClickHouse as `GET /reports/facts?format=json` returns it to `api`'s user,
 * waiting until the shipped version is the card's (the outbox ships after the card is written).
 */
export async function callFact(api: LabApi, card: CallCard): Promise<CallFactRow> {
  const path = `/reports/facts?format=json&server=${card.server_id}&${periodOf(card)}&columns=${FACT_COLUMNS.join(',')}`;
  return eventually(`call ${card.id} (version ${card.version}) in ClickHouse`, 30_000, async () =>
    jsonLines<CallFactRow>(await getText(api, path)).find(
      (r) => Number(r.call_id) === card.id && Number(r.version) === card.version,
    ),
  );
}

/** One attempt_facts row (`GET /reports/attempts?format=json`). */
export interface AttemptFactRow {
  call_started_at: string;
  operator: string;
  queue: string;
  ring_sec: number;
  outcome: string;
  call_status: string;
}

/** The rings of the calls started in the card's second, as ClickHouse has them (sorted by operator). */
export async function attemptFacts(api: LabApi, card: CallCard, count: number): Promise<AttemptFactRow[]> {
  const path = `/reports/attempts?format=json&server=${card.server_id}&${periodOf(card)}`;
  return eventually(`${count} rings of call ${card.id} in ClickHouse`, 30_000, async () => {
    const rows = jsonLines<AttemptFactRow>(await getText(api, path));
    return rows.length === count ? rows.sort((a, b) => a.operator.localeCompare(b.operator)) : undefined;
  });
}

/** One segment_facts row (`GET /reports/segments?format=json`). */
export interface SegmentFactRow {
  call_started_at: string;
  started_at: string;
  operator: string;
  talk_sec: number;
  hold_sec: number;
}

/** The segments of the calls started in the card's second, as ClickHouse has them (in order). */
export async function segmentFacts(api: LabApi, card: CallCard, count: number): Promise<SegmentFactRow[]> {
  const path = `/reports/segments?format=json&server=${card.server_id}&${periodOf(card)}`;
  return eventually(`${count} segments of call ${card.id} in ClickHouse`, 30_000, async () => {
    const rows = jsonLines<SegmentFactRow>(await getText(api, path));
    return rows.length === count ? rows.sort((a, b) => a.started_at.localeCompare(b.started_at)) : undefined;
  });
}

/** A parsed live event of one user's stream. */
export interface LiveEventData {
  type: string;
  call?: { id: number; serverId?: string; server_id?: string; linkedid?: string; endpoint?: string };
  [key: string]: unknown;
}

/** The events of `reader` about card `callId` (ringing, answered, …, ended), in arrival order. */
export function eventsOfCall(reader: SseReader, callId: number): LiveEventData[] {
  return reader.events
    .filter((e) => e.event !== 'ready' && e.data.startsWith('{'))
    .map((e) => ({ ...(JSON.parse(e.data) as LiveEventData), type: e.event }))
    .filter((e) => e.call?.id === callId);
}

/** Waits for `call.ended` of card `callId` on `reader` and returns the call's event types in order. */
export async function liveTypesOfCall(reader: SseReader, callId: number): Promise<string[]> {
  await reader.waitFor(
    (e) => e.event === 'call.ended' && (JSON.parse(e.data) as LiveEventData).call?.id === callId,
    `call.ended of call ${callId}`,
    30_000,
  );
  return eventsOfCall(reader, callId).map((e) => e.type);
}

/**
 * Asterisk has let go of everything: no channel left (`core show channels`) and no caller waiting
 * in `queues` (`queue show`). Waits a little: the last hangup may still be in flight.
 */
export async function expectAsteriskIdle(server: LabServer, queues: string[] = []): Promise<void> {
  await eventually(`no channel left on ${server.id}`, 15_000, async () => {
    const out = await server.cli('core show channels');
    return /^0 active channels/m.test(out) ? out : undefined;
  });
  for (const queue of queues)
    expect(await server.cli(`queue show ${queue}`)).toMatch(new RegExp(`^${queue} has 0 calls`, 'm'));
}
