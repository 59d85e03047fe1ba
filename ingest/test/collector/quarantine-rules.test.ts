import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { readCapture } from '../../src/replay/capture-files.ts';
import { replayCapture } from '../../src/replay/replay-capture.ts';
import { SCENARIOS_DIR } from '../fixtures.ts';
import { callFacts, storedCalls } from '../support/snapshots.ts';
import { type TestStores, useTestStores } from '../support/test-stores.ts';

/**
 * The quarantine rules (docs/reconciliation.md, "Quarantine"; ingest/src/sources/cel-row-rules.ts):
 * each bad row is quarantined with a reason naming its rule, the calls around it come out exactly
 * as without it, and the watermark reaches the last row.
 */

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

/** Inserts one CEL row as given (SQL, so times like `infinity` or BC dates reach the table). */
async function insertRaw(row: Record<string, string>): Promise<void> {
  const columns = Object.keys(row);
  await stores.postgres.pool.query(
    `INSERT INTO asterisk.cel (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
    Object.values(row),
  );
}

const withoutVersion = (calls: Record<string, unknown>[]) => calls.map(({ version: _v, ...c }) => c);

const quarantined = async () =>
  (
    await sql<{ source_id: number; reason: string }>`
      SELECT source_id, reason FROM app.quarantine ORDER BY source_id`.execute(stores.postgres.db)
  ).rows;

async function watermarkAtEnd(): Promise<{ watermark: number; last: number }> {
  const w = await sql<{ watermark: number; last: number }>`
    SELECT (SELECT last_id FROM app.watermarks WHERE source = 'cel') AS watermark,
           (SELECT max(id) FROM asterisk.cel) AS last`.execute(stores.postgres.db);
  return w.rows[0]!;
}

describe('quarantine by rule', () => {
  it('a malformed copy of a row arriving after its call was written changes nothing in the call', async () => {
    const { cel, cdr } = capture('01-inbound-answered-caller-hangup');
    await insert(cel, cdr);
    const collector = stores.collector();
    await collector.catchUp();
    const good = await storedCalls(stores);
    expect(good[0]).toMatchObject({ status: 'answered', operator_endpoint: '101' });

    // The caller's CHAN_START copied into the finished call 1 s after its end, with a broken extra.
    const start = cel.find((r) => r.eventtype === 'CHAN_START')!;
    const { id: _id, ...copy } = start;
    await insertRaw({ ...copy, eventtime: '2026-11-21 04:22:02.975196', extra: '{"hangupcause":' });
    await collector.catchUp();
    await stores.collector().catchUp(); // and after a restart
    expect(await storedCalls(stores)).toEqual(good);
    expect((await quarantined()).map((q) => q.reason)).toEqual([
      'parsable-extra: extra "{"hangupcause":" is neither empty nor a JSON object',
    ]);
    const w = await watermarkAtEnd();
    expect(w.watermark).toBe(w.last);
  });

  it('quarantines rows no reading can make sense of, and the calls around them are as without them', async () => {
    const first = capture('01-inbound-answered-caller-hangup');
    const second = capture('13-internal-call-101-to-102');
    // The reference: the two calls alone.
    await insert([...first.cel, ...second.cel], [...first.cdr, ...second.cdr]);
    await stores.collector().catchUp();
    const reference = withoutVersion(await storedCalls(stores));
    expect(reference).toHaveLength(2);
    await stores.reset();

    const answer = first.cel.find((r) => r.eventtype === 'ANSWER')!;
    const hangup = first.cel.find((r) => r.eventtype === 'HANGUP')!;
    const strip = ({ id: _id, ...row }: Record<string, string>) => row;
    const beside = { ...strip(answer), uniqueid: '9999.1', linkedid: '9999.1' };
    const cut = 20;
    await insert(first.cel.slice(0, cut));
    const bad: [Record<string, string>, string][] = [
      [
        { ...strip(answer), eventtype: 'BOGUS_EVENT' },
        'known-event-type: "BOGUS_EVENT" is not a CEL event type',
      ],
      [{ ...strip(answer), eventtype: '' }, 'required-fields: eventtype is empty'],
      [
        { ...strip(hangup), extra: '{"hangupcause":16,' },
        'parsable-extra: extra "{"hangupcause":16," is neither empty nor a JSON object',
      ],
      [{ ...strip(answer), channame: '' }, 'channel-identity: channame is empty'],
      [
        { ...beside, eventtime: '4713-01-01 00:00:00 BC' },
        'plausible-time: eventtime "4713-01-01 00:00:00 BC" is not a timestamp',
      ],
      [{ ...beside, eventtime: 'infinity' }, 'plausible-time: eventtime "infinity" is not a timestamp'],
      [
        { ...beside, eventtime: '4713-01-01 00:00:00' },
        'plausible-time: eventtime 4713-01-01T00:00:00.000Z is outside 2000-01-01..2100-01-01',
      ],
      [
        { ...strip(answer), uniqueid: 'x'.repeat(151) },
        'field-size: uniqueid has 151 characters (at most 150)',
      ],
      [
        { ...strip(answer), appdata: 'y'.repeat(5000) },
        'field-size: a field of 5000 characters (at most 4096)',
      ],
    ];
    for (const [row] of bad) await insertRaw(row);
    await insert(first.cel.slice(cut), first.cdr);
    await insert(second.cel, second.cdr);
    await stores.collector({ batchRows: 25 }).catchUp();

    expect(withoutVersion(await storedCalls(stores))).toEqual(reference);
    expect((await quarantined()).map((q) => q.reason)).toEqual(bad.map(([, reason]) => reason));
    const w = await watermarkAtEnd();
    expect(w.watermark).toBe(w.last);
    expect((await callFacts(stores)).map((f) => f.linkedid).sort()).toEqual(
      reference.map((c) => c.linkedid as string).sort(),
    );
  });
});
