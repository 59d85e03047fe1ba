import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { readCapture } from '../../src/replay/capture-files.ts';
import { replayCapture } from '../../src/replay/replay-capture.ts';
import { SCENARIOS_DIR } from '../fixtures.ts';
import { callFacts, storedCalls } from '../support/snapshots.ts';
import { type TestStores, useTestStores } from '../support/test-stores.ts';

/** Rows that arrive late, out of order, after an idle close, or broken: the calls still come out right. */

let stores: TestStores;
useTestStores((opened) => {
  stores = opened;
});

const capture = (name: string) => readCapture(join(SCENARIOS_DIR, name));
const insert = (cel: Record<string, string>[], cdr: Record<string, string>[] = []) =>
  replayCapture(
    stores.postgres.pool,
    stores.config.servers[0]!,
    { name: 'part', cel, cdr },
    { timing: 'fast' },
  );
const calls = () => storedCalls(stores);

describe('rows that arrive late or out of order', () => {
  it('holds a call open until its LINKEDID_END arrives in a later batch', async () => {
    const { cel, cdr } = capture('09-blind-transfer-refer');
    const cut = cel.findIndex((r) => r.eventtype === 'BLINDTRANSFER');
    await insert(cel.slice(0, cut));
    const collector = stores.collector();
    await collector.catchUp();
    expect(await calls()).toHaveLength(0);
    expect(collector.pendingCalls()).toEqual({ pbx1: 1 });

    await insert(cel.slice(cut), cdr);
    await collector.catchUp();
    const [call] = await calls();
    expect(call).toMatchObject({
      status: 'answered',
      operator_endpoint: '102',
      closed_by: 'linkedid_end',
      version: 1,
    });
    expect(call!.transfers).toEqual([{ kind: 'blind', from: '101', to: '102' }]);
  });

  it('survives a restart while a call is open (its rows stay above the watermark)', async () => {
    const { cel, cdr } = capture('11-hold-resume');
    const half = Math.floor(cel.length / 2);
    await insert(cel.slice(0, half));
    await stores.collector().catchUp();
    await insert(cel.slice(half), cdr);
    await stores.collector().catchUp(); // a new collector: nothing in memory
    const [call] = await calls();
    expect(call).toMatchObject({ status: 'answered', operator_endpoint: '101', version: 1 });
    expect(call!.hold_sec as number).toBeCloseTo(6.007, 2);
  });

  it('gives the same calls when calls arrive interleaved in another order', async () => {
    const { cel, cdr } = capture('12-burst-20-concurrent');
    await insert(cel, cdr);
    await stores.collector().catchUp();
    const inOrder = (await calls()).map(({ version: _v, ...c }) => c);
    await stores.reset();
    // Whole calls in reverse order of their first row: ids no longer follow the capture's time.
    const byCall = new Map<string, Record<string, string>[]>();
    for (const row of cel) byCall.set(row.linkedid!, [...(byCall.get(row.linkedid!) ?? []), row]);
    await insert([...byCall.values()].reverse().flat(), [...cdr].reverse());
    await stores.collector({ batchRows: 100 }).catchUp();
    expect((await calls()).map(({ version: _v, ...c }) => c)).toEqual(inOrder);
  });

  it('re-derives a call closed by the idle timeout when its missing rows arrive, without a duplicate', async () => {
    const first = capture('01-inbound-answered-caller-hangup');
    const tail = first.cel.findIndex((r) => r.eventtype === 'BRIDGE_EXIT');
    await insert(first.cel.slice(0, tail));
    // Ten minutes later on the server's clock another call arrives: call 01 has been silent too long.
    await insert(capture('14-ivr-abandon-before-queue').cel);
    const collector = stores.collector({ idleTimeoutSec: 60 });
    await collector.catchUp();
    const closed = (await calls()).find((c) => c.linkedid === '1795234908.0');
    expect(closed).toMatchObject({ closed_by: 'idle_timeout', version: 1 });

    await insert(first.cel.slice(tail), first.cdr);
    await collector.catchUp();
    const all = await calls();
    expect(all.filter((c) => c.linkedid === '1795234908.0')).toHaveLength(1);
    expect(all.find((c) => c.linkedid === '1795234908.0')).toMatchObject({
      closed_by: 'linkedid_end',
      version: 2,
      status: 'answered',
    });
    const facts = await callFacts(stores);
    expect(facts.filter((f) => f.linkedid === '1795234908.0')).toEqual([
      expect.objectContaining({ status: 'answered', version: '2' }),
    ]);
  });

  it('fills a recording from CDR that arrives after its call was written', async () => {
    const { cel, cdr } = capture('14-ivr-abandon-before-queue');
    // A site whose cel.conf does not track MixMonitor: the path is only in CDR(userfield).
    await insert(cel.filter((r) => r.appname !== 'MixMonitor'));
    const collector = stores.collector();
    await collector.catchUp();
    expect((await calls())[0]).toMatchObject({ recording_path: null, version: 1 });
    await insert([], cdr);
    await collector.catchUp();
    const all = await calls();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ recording_path: '20261121-043252-in-1795235572.99.wav', version: 2 });
  });
});

describe('malformed rows', () => {
  it('are quarantined with their reason while the rest flows, once', async () => {
    const { cel, cdr } = capture('01-inbound-answered-caller-hangup');
    // Three APP_START rows (read by the collector, not needed for this call's figures), damaged.
    const starts = cel.filter(
      (r) => r.eventtype === 'APP_START' && ['NoOp', 'Set', 'Gosub'].includes(r.appname!),
    );
    const broken = [
      { ...starts[0]!, uniqueid: '' },
      { ...starts[1]!, linkedid: '' },
      { ...starts[2]!, eventtype: '' },
    ];
    await insert([...cel.slice(0, 20), ...broken, ...cel.slice(20)], cdr);
    await stores.collector({ batchRows: 10 }).catchUp();
    const [call] = await calls();
    expect(call).toMatchObject({ status: 'answered', operator_endpoint: '101' });
    expect(call!.talk_sec as number).toBeCloseTo(9.99, 1);
    const quarantined = await sql<{ source: string; reason: string; raw: Record<string, string> }>`
      SELECT source, reason, raw FROM app.quarantine ORDER BY source_id`.execute(stores.postgres.db);
    expect(quarantined.rows.map((r) => [r.source, r.reason])).toEqual([
      ['cel', 'required-fields: uniqueid is empty'],
      ['cel', 'required-fields: linkedid is empty'],
      ['cel', 'required-fields: eventtype is empty'],
    ]);
    expect(quarantined.rows[0]!.raw.channame).toBe(starts[0]!.channame);
    // A restart re-reads nothing twice into the quarantine.
    await sql`UPDATE app.watermarks SET last_id = 0`.execute(stores.postgres.db);
    await stores.collector().catchUp();
    const again = await sql<{ n: number }>`SELECT count(*)::int AS n FROM app.quarantine`.execute(
      stores.postgres.db,
    );
    expect(again.rows[0]!.n).toBe(3);
    expect(await calls()).toHaveLength(1);
  });
});
