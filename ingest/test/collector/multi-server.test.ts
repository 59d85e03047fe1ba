import { describe, expect, it } from 'vitest';
import { registerOperators } from '../../src/collector/operator-directory.ts';
import { callFacts, storedCalls } from '../support/snapshots.ts';
import { type TestStores, useTestStores } from '../support/test-stores.ts';

/**
 * Several Asterisk servers feed one system (docs/reconciliation.md#call-grouping): each writes its own
 * cel/cdr schema, ids and numbers repeat across servers, keys are (server_id, linkedid), each
 * server has its own clock zone and its own operators.
 */

let stores: TestStores;
useTestStores(
  (opened) => {
    stores = opened;
  },
  { ASTERISK_SERVERS: 'pbx1:asterisk:UTC,pbx2:asterisk_pbx2:Europe/Moscow' },
);

describe('two Asterisk servers', () => {
  it('keeps their calls apart though uniqueids, linkedids and numbers are the same', async () => {
    // On pbx2 only 101 and 102 are operators: 103's phone there is someone else's line.
    await registerOperators(stores.postgres.db, 'pbx2', ['101', '102']);
    await stores.replay('12-burst-20-concurrent', 'pbx1');
    await stores.replay('12-burst-20-concurrent', 'pbx2');
    await stores.collector().catchUp();

    const calls = await storedCalls(stores);
    expect(calls).toHaveLength(40);
    const pbx1 = calls.filter((c) => c.server_id === 'pbx1');
    const pbx2 = calls.filter((c) => c.server_id === 'pbx2');
    expect(pbx1.map((c) => c.linkedid).sort()).toEqual(pbx2.map((c) => c.linkedid).sort());

    // Same linkedid, two calls: pbx2's clock is Moscow time, so its call happened 3 h earlier in UTC.
    const one = pbx1.find((c) => c.linkedid === '1795235269.47')!;
    const two = pbx2.find((c) => c.linkedid === '1795235269.47')!;
    expect((one.started_at as Date).getTime() - (two.started_at as Date).getTime()).toBe(3 * 3600 * 1000);
    // 103 answered it: an operator on pbx1, an external party on pbx2.
    expect(one).toMatchObject({ status: 'answered', operator_endpoint: '103' });
    expect(two).toMatchObject({ status: 'answered', operator_endpoint: null });

    const facts = await callFacts(stores);
    expect(facts).toHaveLength(40);
  });
});
