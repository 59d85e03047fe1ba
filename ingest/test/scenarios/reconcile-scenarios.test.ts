import { describe, expect, it } from 'vitest';
import { reconcile } from '../../src/reconcile/index.ts';
import { fixtureOperators, loadScenario, scenarioNames } from '../fixtures.ts';
import { assertCall } from './assert-call.ts';
import type { ExpectedCall } from './expected/expected-call.ts';

/**
 * Every real capture through the pure reconciler, asserted field by field against calls written
 * by hand from the capture's description (ingest/test/scenarios/expected), not from our output.
 */

describe.each(scenarioNames())('capture %s', (name) => {
  it('reconciles to the hand-written calls', async () => {
    const { expected } = (await import(`./expected/${name}.ts`)) as { expected: ExpectedCall[] };
    const { cel, cdr } = loadScenario(name);
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
