import { describe, expect, it } from 'vitest';
import { reconcile } from '../../src/reconcile/index.ts';
import type { Call, CdrRow, CelRow, OperatorDirectory } from '../../src/reconcile/types.ts';
import {
  FIXTURE_OPERATORS,
  fixtureOperators,
  loadScenario,
  SCENARIOS_22_DIR,
  SCENARIOS_DIR,
  scenarioNames,
} from '../fixtures.ts';

/**
 * Properties every capture must keep (docs/reconciliation.md#input-rows): the same calls come out
 * when the rows lose what some installations never write (`bridge_id`/`peer`), when the phones'
 * endpoints are not extension numbers, when rows of one millisecond come in another `cel.id`
 * order (Asterisk 22 orders them differently from 20), when the rows arrive in several batches,
 * and when a second server's rows with the same ids and linkedids are interleaved.
 */

/** Deterministic PRNG (mulberry32) so a failing permutation can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], next: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const closeAll = (
  cel: readonly CelRow[],
  cdr: readonly CdrRow[],
  isOperator: OperatorDirectory = fixtureOperators,
) => reconcile(cel, cdr, { isOperator, closeAll: true });

/** `extra` without `bridge_id`, and no `peer`: cel_custom/cel_odbc set-ups and older releases. */
function withoutBridgeIds(rows: readonly CelRow[]): CelRow[] {
  return rows.map((r) => {
    let extra = r.extra;
    if (extra.startsWith('{')) {
      const parsed = JSON.parse(extra) as Record<string, unknown>;
      delete parsed.bridge_id;
      extra = JSON.stringify(parsed);
    }
    return { ...r, extra, peer: '' };
  });
}

/** The rows of each millisecond in another `cel.id` order (the ids are dealt out again). */
function shuffledWithinMillisecond(rows: readonly CelRow[], seed: number): CelRow[] {
  const next = random(seed);
  const byMs = new Map<number, CelRow[]>();
  for (const r of rows) {
    const ms = Math.floor(r.eventTime);
    byMs.set(ms, [...(byMs.get(ms) ?? []), r]);
  }
  const out: CelRow[] = [];
  for (const group of byMs.values()) {
    const ids = group.map((r) => r.id).sort((a, b) => a - b);
    for (const [i, r] of shuffle(group, next).entries()) out.push({ ...r, id: ids[i]! });
  }
  return shuffle(out, next);
}

const RENAMED: Record<string, string> = { '101': 'a1b2c3', '102': 'f00d42', '103': 'beef07' };
const BACK: Record<string, string> = Object.fromEntries(Object.entries(RENAMED).map(([k, v]) => [v, k]));
const PHONE = /(PJSIP|SIP)\/(10[123])-/g;
const renameText = (text: string): string =>
  text.replace(PHONE, (_m, tech, ext) => `${tech}/${RENAMED[ext]}-`);

/** Operators' phones registered as `PJSIP/a1b2c3` etc.: every channel name that carries one is renamed. */
function renamedEndpoints(cel: readonly CelRow[], cdr: readonly CdrRow[]): { cel: CelRow[]; cdr: CdrRow[] } {
  return {
    cel: cel.map((r) => ({
      ...r,
      chanName: renameText(r.chanName),
      peer: renameText(r.peer),
      extra: renameText(r.extra),
    })),
    cdr: cdr.map((r) => ({ ...r, channel: renameText(r.channel), dstChannel: renameText(r.dstChannel) })),
  };
}
const renamedOperators: OperatorDirectory = (_s, endpoint) => endpoint in BACK;
const back = (endpoint: string | null): string | null =>
  endpoint === null ? null : (BACK[endpoint] ?? endpoint);

/** A call of the renamed capture with the operators' endpoints mapped back to the extensions. */
function mappedBack(call: Call): Call {
  return {
    ...call,
    operator: back(call.operator),
    attempts: call.attempts.map((a) => ({ ...a, operator: back(a.operator)! })),
    transfers: call.transfers.map((t) => ({ ...t, from_operator: back(t.from_operator), to: back(t.to) })),
    segments: call.segments.map((s) => ({ ...s, operator: back(s.operator), party: back(s.party)! })),
    holds: call.holds.map((h) => ({ ...h, operator: back(h.operator) })),
  };
}

/** The collector's way: reconcile each batch with what stayed pending from the previous ones. */
function inBatches(cel: readonly CelRow[], cdr: readonly CdrRow[], size: number): Call[] {
  const sorted = [...cel].sort((a, b) => a.id - b.id);
  const calls: Call[] = [];
  let pending: CelRow[] = [];
  let pendingCdr: CdrRow[] = [];
  for (let i = 0; i < sorted.length; i += size) {
    const last = i + size >= sorted.length;
    const result = reconcile(
      [...pending, ...sorted.slice(i, i + size)],
      [...pendingCdr, ...(i === 0 ? cdr : [])],
      {
        isOperator: fixtureOperators,
        closeAll: last,
      },
    );
    calls.push(...result.calls);
    pending = result.pending;
    pendingCdr = result.pendingCdr;
  }
  return calls.sort(
    (a, b) => a.started_at.localeCompare(b.started_at) || a.linkedid.localeCompare(b.linkedid),
  );
}

// Every capture: Asterisk 20 (fixtures/asterisk/scenarios) and Asterisk 22 (scenarios-22).
const CAPTURES = [
  ...scenarioNames().map((name) => ({ name, dir: SCENARIOS_DIR, release: '20' })),
  ...scenarioNames(SCENARIOS_22_DIR).map((name) => ({ name, dir: SCENARIOS_22_DIR, release: '22' })),
];

describe.each(CAPTURES)('Asterisk $release $name', ({ name, dir }) => {
  const { cel, cdr } = loadScenario(name, 'pbx1', dir);
  const reference = closeAll(cel, cdr).calls;

  it('reconciles to at least one call without failures', () => {
    const result = closeAll(cel, cdr);
    expect(result.failures).toEqual([]);
    expect(reference.length).toBeGreaterThan(0);
  });

  it('gives the same calls without bridge_id in extra and without peer', () => {
    expect(closeAll(withoutBridgeIds(cel), cdr).calls).toEqual(reference);
  });

  it('never contradicts its own attempts (an answered ring means an answered call)', () => {
    for (const calls of [reference, closeAll(withoutBridgeIds(cel), cdr).calls]) {
      for (const call of calls) {
        if (call.attempts.some((a) => a.outcome === 'answered'))
          expect(call.status, `${call.linkedid} status`).toBe('answered');
      }
    }
  });

  it('gives the same calls when the rows of each millisecond come in another id order', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      expect(closeAll(shuffledWithinMillisecond(cel, seed), cdr).calls, `seed ${seed}`).toEqual(reference);
    }
  });

  it('gives the same calls without bridge ids and with the rows of each millisecond in another order', () => {
    for (const seed of [6, 7, 8]) {
      expect(
        closeAll(shuffledWithinMillisecond(withoutBridgeIds(cel), seed), cdr).calls,
        `seed ${seed}`,
      ).toEqual(reference);
    }
  });

  it('gives the same calls when the phones are not named by extension (PJSIP/a1b2c3)', () => {
    const renamed = renamedEndpoints(cel, cdr);
    expect(FIXTURE_OPERATORS.size).toBe(Object.keys(RENAMED).length);
    expect(closeAll(renamed.cel, renamed.cdr, renamedOperators).calls.map(mappedBack)).toEqual(reference);
  });

  it('gives the same calls when the rows arrive in batches', () => {
    for (const size of [2, 7, 50]) expect(inBatches(cel, cdr, size), `batches of ${size}`).toEqual(reference);
  });

  it('keeps a second server with the same ids and linkedids apart', () => {
    const other = loadScenario(name, 'pbx2', dir);
    const both = closeAll([...other.cel, ...cel], [...other.cdr, ...cdr]).calls;
    expect(both.filter((c) => c.server_id === 'pbx1')).toEqual(reference);
    expect(both.filter((c) => c.server_id === 'pbx2').map((c) => ({ ...c, server_id: 'pbx1' }))).toEqual(
      reference,
    );
  });
});
