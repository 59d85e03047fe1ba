import { describe, expect, it } from 'vitest';
import { reconcile } from '../../src/reconcile/index.ts';
import { fixtureOperators, loadScenario, SCENARIOS_22_DIR, scenarioNames } from '../fixtures.ts';
import { assertCall } from './assert-call.ts';
import type { ExpectedCall } from './expected/expected-call.ts';

/**
 * The captures from Debian's Asterisk 22.10.1 (fixtures/asterisk/scenarios-22, written by
 * `npm run pbx:capture`) through the pure reconciler, against calls written by hand from what
 * each scenario's SIP peers did and the capture's CEL times (ingest/test/scenarios/expected-22),
 * before the reconciler ran on them. Asterisk 22 writes the CEL events of 20; rows within one
 * millisecond may come in another order, and uniqueids carry the system name (`pbx1-…`).
 */

describe.each(scenarioNames(SCENARIOS_22_DIR))('Asterisk 22 capture %s', (name) => {
  it('reconciles to the hand-written calls', async () => {
    const { expected } = (await import(`./expected-22/${name}.ts`)) as { expected: ExpectedCall[] };
    const { cel, cdr } = loadScenario(name, 'pbx1', SCENARIOS_22_DIR);
    const result = reconcile(cel, cdr, { isOperator: fixtureOperators });
    expect(result.failures).toEqual([]);
    expect(result.pending).toEqual([]);
    expect(result.calls.map((c) => c.linkedid)).toEqual(expected.map((c) => c.linkedid));
    result.calls.forEach((call, i) => {
      assertCall(call, expected[i]!);
    });
    for (const call of result.calls) expect(call.closed_by).toBe('linkedid_end');
  });
});
