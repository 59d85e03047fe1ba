import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CALL_REPORT_COLUMNS, type FactFrame, frameFromArrow } from '@callcenter/analytics/aggregate';
import { factsQuery, type ReportScope } from '@callcenter/analytics/clickhouse';
import { type OpenedClickHouse, openClickHouseFromConfig } from '@callcenter/analytics/open-clickhouse';
import { expectedCalls, insertFacts } from '@callcenter/analytics/testing/fixture-facts';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frameFromIPC } from '../../src/reports/worker/decode-arrow.ts';

/**
 * The reports' lazy Arrow load (decode-arrow.ts: flechette views, columns decoded on first read)
 * against the apache-arrow decode the aggregation tests count by hand, on the facts of every real
 * capture read from chDB as the API streams them — once as one record batch, once cut into
 * batches of 7 rows (ClickHouse sends a dictionary per batch: the codes must be remapped).
 */

const ADMIN: ReportScope = { role: 'admin', serverId: 'pbx1', endpoint: null, queues: [] };
const period = { from: new Date('2026-11-16T00:00:00+03:00'), to: new Date('2026-11-30T00:00:00+03:00') };
const NAMES = [...CALL_REPORT_COLUMNS.text, ...CALL_REPORT_COLUMNS.numbers];

let dir: string;
let opened: OpenedClickHouse;

async function bytes(maxBlockSize: number): Promise<Uint8Array> {
  const built = factsQuery(ADMIN, period, NAMES);
  const result = await opened.client.exec({
    query: built.query,
    query_params: built.query_params,
    clickhouse_settings: { max_block_size: String(maxBlockSize) },
  });
  const chunks: Buffer[] = [];
  for await (const chunk of result.stream) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

/** Every column of a frame as plain values (text decoded, NaN as null). */
function plain(frame: FactFrame): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const name of NAMES) {
    const column = frame.columns.get(name)!;
    out[name] =
      column.kind === 'dict'
        ? Array.from(column.codes, (code) => column.dictionary[code])
        : Array.from(column.values, (v) => (Number.isNaN(v) ? null : v));
  }
  return out;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'decode-arrow-'));
  opened = await openClickHouseFromConfig({ chdbPath: join(dir, 'clickhouse') });
  await insertFacts(opened.client, await expectedCalls());
});

afterAll(async () => {
  await opened?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('frameFromIPC', () => {
  for (const blockSize of [65_536, 7]) {
    it(`reads the same values as the apache-arrow decode (record batches of ${blockSize} rows)`, async () => {
      const body = await bytes(blockSize);
      const eager = frameFromArrow(tableFromIPC(body), CALL_REPORT_COLUMNS);
      const lazy = frameFromIPC(body, CALL_REPORT_COLUMNS);
      expect(lazy.rows).toBe(eager.rows);
      expect(lazy.rows).toBeGreaterThan(10);
      expect(plain(lazy)).toEqual(plain(eager));
    });
  }

  it('decodes a column only when it is read, and names a missing column at once', async () => {
    const frame = frameFromIPC(await bytes(7), { text: ['status'], numbers: ['talk_sec'] });
    expect(frame.columns.size).toBe(2);
    expect(frame.columns.has('status')).toBe(true);
    expect([...frame.columns.keys()]).toEqual(['status', 'talk_sec']);
    const first = frame.columns.get('status');
    expect(frame.columns.get('status')).toBe(first); // decoded once, then kept
    expect(frame.columns.get('operator')).toBeUndefined();
    expect(() => frameFromIPC(new Uint8Array(0), { text: ['status'] })).toThrow();
    await expect(bytes(7).then((b) => frameFromIPC(b, { text: ['no_such_column'] }))).rejects.toThrow(
      /no column "no_such_column"/,
    );
  });
});
