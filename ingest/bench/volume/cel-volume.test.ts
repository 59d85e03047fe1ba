import { describe, expect, it } from 'vitest';
import { reconcile } from '../../src/reconcile/index.ts';
import type { Call, CelRow } from '../../src/reconcile/types.ts';
import {
  type CallEnd,
  type CallTemplate,
  CEL_COPY_COLUMNS,
  formatCelTime,
  generateCelVolume,
  loadCallTemplates,
  toCopyText,
  type VolumeCelRow,
  type VolumeItem,
} from './cel-volume.ts';

const OPERATORS = new Set(['101', '102', '103']);
const options = { isOperator: (_s: string, endpoint: string) => OPERATORS.has(endpoint) };
const START = Date.UTC(2027, 0, 11, 8, 0, 0);
const templates = loadCallTemplates();
const byName = new Map(templates.map((t) => [t.name, t]));

/** The template's own rows as CEL rows again (original ids, times from an arbitrary origin). */
const templateCel = (t: CallTemplate): CelRow[] =>
  t.rows.map(({ offsetUs, ...columns }, i) => ({
    ...columns,
    serverId: 'tpl',
    id: i + 1,
    eventTime: (START * 1000 + offsetUs) / 1000,
  }));

/** What each template reconciles to: the reference for its clones. */
const templateCalls = new Map<string, Call>(
  templates.map((t) => {
    const { calls } = reconcile(templateCel(t), [], options);
    expect(calls, t.name).toHaveLength(1);
    return [t.name, calls[0]!];
  }),
);

const collect = (iterable: Iterable<VolumeItem>, limit = Number.POSITIVE_INFINITY): VolumeItem[] => {
  const out: VolumeItem[] = [];
  for (const item of iterable) {
    out.push(item);
    if (out.length >= limit) break;
  }
  return out;
};

const hex8 = (n: number) => (n % 0x1_0000_0000).toString(16).padStart(8, '0');

describe('templates', () => {
  it('every captured call is one template; scenario 12 gives 20, scenario 10 one with two linkedids', () => {
    expect(templates.filter((t) => t.name.startsWith('12-'))).toHaveLength(20);
    const attended = templates.filter((t) => t.name.startsWith('10-'));
    expect(attended).toHaveLength(1);
    expect(attended[0]!.linkedIds).toHaveLength(2);
    expect(templates).toHaveLength(31);
    for (const t of templates) expect(t.rows[0]!.offsetUs, t.name).toBe(0);
  });
});

describe('generateCelVolume', () => {
  const CALLS = 300;
  const SPAN = 30 * 60_000; // ~10 calls in flight: rows of different calls interleave
  const items = collect(generateCelVolume({ calls: CALLS, startAt: START, spanMs: SPAN, seed: 42 }));
  const rows = items.map((i) => i.row);
  const ends = items.flatMap((i) => (i.endsCall ? [i.endsCall] : []));

  it('reconciles back into exactly the calls generated, each like its template', () => {
    const cel: CelRow[] = rows.map((row) => ({ ...row, serverId: 'pbx-bench' }));
    const result = reconcile(cel, [], options);
    expect(result.failures).toEqual([]);
    expect(result.pending).toEqual([]);
    expect(result.calls).toHaveLength(CALLS);
    expect(ends).toHaveLength(CALLS);
    expect(new Set(result.calls.map((c) => c.linkedid)).size).toBe(CALLS);

    const endByLinkedid = new Map<string, CallEnd>(ends.map((e) => [e.linkedid, e]));
    const mix = new Map<string, number>();
    const expectedMix = new Map<string, number>();
    const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
    for (const call of result.calls) {
      const end = endByLinkedid.get(call.linkedid);
      expect(end, `call ${call.linkedid} is announced by endsCall`).toBeDefined();
      const want = templateCalls.get(end!.template)!;
      const label = `${call.linkedid} (${end!.template})`;
      bump(mix, `${call.direction}/${call.status}`);
      bump(expectedMix, `${want.direction}/${want.status}`);
      expect(call.closed_by, label).toBe('linkedid_end');
      expect(call.linkedids.sort(), label).toEqual([...end!.linkedids].sort());
      expect(Math.abs(Date.parse(call.ended_at) - end!.endedAt), label).toBeLessThan(1);
      for (const field of [
        'direction',
        'status',
        'queue',
        'queues',
        'operator',
        'did',
        'hung_up_by',
      ] as const)
        expect(call[field], `${label} ${field}`).toEqual(want[field]);
      expect(call.flags, label).toEqual(want.flags);
      expect(
        call.attempts.map((a) => [a.operator, a.queue, a.outcome, a.hangup_cause]),
        label,
      ).toEqual(want.attempts.map((a) => [a.operator, a.queue, a.outcome, a.hangup_cause]));
      expect(
        call.transfers.map((t) => [t.kind, t.from_operator, t.to]),
        label,
      ).toEqual(want.transfers.map((t) => [t.kind, t.from_operator, t.to]));
      expect(call.segments.length, label).toBe(want.segments.length);
      for (const field of ['duration_sec', 'talk_sec', 'hold_sec', 'wait_sec'] as const)
        expect(Math.abs(call[field] - want[field]), `${label} ${field}`).toBeLessThanOrEqual(0.002);
      expect(call.recordings.length, label).toBe(want.recordings.length);
      if (call.recording_path) {
        // The recording name carries the new uniqueid and the shifted start time.
        expect(call.recording_path, label).toContain(`-${call.uniqueid}.wav`);
        expect(call.recording_path, label).toContain(call.started_at.slice(0, 10).replace(/-/g, ''));
      }
      if (want.direction === 'inbound' && want.src_number) {
        expect(call.src_number, label).toMatch(/^79\d{9}$/);
        expect(call.src_number, label).not.toBe(want.src_number);
      }
      const started = Date.parse(call.started_at);
      expect(started, label).toBeGreaterThanOrEqual(START);
      expect(started, label).toBeLessThan(START + SPAN + 1);
    }
    expect(mix).toEqual(expectedMix);
    // Every template appears: the whole real mix is cloned, not a favourite few.
    expect(new Set(ends.map((e) => e.template)).size).toBe(templates.length);
  });

  it('numbers ids 1..N and writes rows in event-time order (up to the captures’ own reorderings)', () => {
    expect(rows.map((row) => row.id)).toEqual(rows.map((_, i) => i + 1));
    // Asterisk's own insertion order inside a call steps back by at most this much.
    let tolerance = 0;
    for (const t of templates) {
      let max = 0;
      for (const r of t.rows) {
        tolerance = Math.max(tolerance, max - r.offsetUs);
        max = Math.max(max, r.offsetUs);
      }
    }
    expect(tolerance).toBeLessThan(1000); // < 1 ms in the captures
    let latest = Number.NEGATIVE_INFINITY;
    let interleaved = 0;
    for (let i = 0; i < rows.length; i++) {
      const us = Math.round(rows[i]!.eventTime * 1000);
      expect(us, `row ${rows[i]!.id}`).toBeGreaterThanOrEqual(latest - tolerance);
      latest = Math.max(latest, us);
      if (i > 0 && rows[i]!.linkedId !== rows[i - 1]!.linkedId) interleaved++;
    }
    expect(interleaved).toBeGreaterThan(2 * CALLS); // calls overlap, their rows interleave
  });

  it('rewrites every identifier: fresh, unique, Asterisk-shaped, nothing of the captures left', () => {
    const used = ends.map((e) => byName.get(e.template)!);
    const distinct = (t: CallTemplate, pick: (r: CallTemplate['rows'][number]) => string[]) =>
      new Set(t.rows.flatMap(pick).filter(Boolean)).size;
    const sum = (pick: (r: CallTemplate['rows'][number]) => string[]) =>
      used.reduce((n, t) => n + distinct(t, pick), 0);
    const bridges = (extra: string) =>
      extra.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g) ?? [];
    expect(new Set(rows.flatMap((r) => [r.uniqueId, r.linkedId])).size).toBe(
      sum((r) => [r.uniqueId, r.linkedId]),
    );
    expect(new Set(rows.map((r) => r.chanName)).size).toBe(sum((r) => [r.chanName]));
    expect(new Set(rows.flatMap((r) => bridges(r.extra))).size).toBe(sum((r) => bridges(r.extra)));

    // Uniqueids: `<epoch s of the channel's first row>.<sequence>`, sequence rising in insertion order;
    // the channel name's hex suffix is that sequence; the endpoint is kept.
    let lastSequence = -1;
    const seen = new Set<string>();
    for (const row of rows) {
      for (const uniqueid of [row.linkedId, row.uniqueId]) {
        if (seen.has(uniqueid)) continue;
        seen.add(uniqueid);
        const m = /^(\d+)\.(\d+)$/.exec(uniqueid);
        expect(m, uniqueid).not.toBeNull();
        expect(Number(m![1])).toBe(Math.floor(row.eventTime / 1000));
        expect(Number(m![2])).toBeGreaterThan(lastSequence);
        lastSequence = Number(m![2]);
      }
      if (row.eventType === 'CHAN_START') {
        expect(row.chanName).toMatch(/^PJSIP\/(101|102|103|trunk)-[0-9a-f]{8}$/);
        expect(row.chanName.endsWith(hex8(Number(row.uniqueId.split('.')[1])))).toBe(true);
      }
    }

    // No uniqueid, bridge id, number or time stamp of the captures survives anywhere, extra JSON
    // included (channel names may recur: their sequences restart at 0 like a fresh Asterisk).
    const original = new Set<string>();
    for (const t of templates) {
      for (const r of t.rows) {
        original.add(r.uniqueId).add(r.linkedId);
        for (const b of bridges(r.extra)) original.add(b);
        for (const n of `${r.cidNum} ${r.exten}`.match(/[78]9\d{9}/g) ?? []) original.add(n);
      }
    }
    const escaped = [...original].map((s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
    const leak = new RegExp(`(?<![0-9A-Za-z])(?:${escaped.join('|')}|20261121)(?![0-9A-Za-z])`);
    for (const row of rows) expect(toCopyText(row), `row ${row.id}`).not.toMatch(leak);

    // Operators, the DID and the caller number of a call stay consistent.
    for (const row of rows) {
      if (row.cidNum.startsWith('79')) expect(row.cidName).toBe(`Client ${row.cidNum}`);
      if (row.cidDnid && /^7495/.test(row.cidDnid)) expect(row.cidDnid).toBe('74951234567');
    }
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const lines = (seed: number) =>
      collect(generateCelVolume({ calls: 500, startAt: START, seed }), 1000).map((i) => toCopyText(i.row));
    const a = lines(7);
    expect(a).toHaveLength(1000);
    expect(lines(7)).toEqual(a);
    const b = lines(8);
    expect(b).not.toEqual(a);
    expect(b.filter((line, i) => line === a[i]).length).toBeLessThan(10);
  });

  it('streams: 20 000 calls (~900 000 rows) without holding them', () => {
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    let count = 0;
    let calls = 0;
    for (const item of generateCelVolume({ calls: 20_000, startAt: START, seed: 3 })) {
      toCopyText(item.row);
      if (item.endsCall) calls++;
      if (++count % 50_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    expect(calls).toBe(20_000);
    expect(count).toBeGreaterThan(20_000 * 30);
    expect(peak - before).toBeLessThan(200 * 1024 * 1024);
  });
});

describe('toCopyText', () => {
  const row: VolumeCelRow = {
    id: 17,
    eventType: 'APP_START',
    eventTime: Date.UTC(2027, 0, 2, 3, 4, 5, 123) + 0.456,
    userDefType: '',
    cidName: 'Client 79161234567',
    cidNum: '79161234567',
    cidAni: '',
    cidRdnis: '',
    cidDnid: '',
    exten: 's',
    context: 'x',
    chanName: 'PJSIP/101-0000002a',
    appName: 'Set',
    appData: 'a\tb\\c\nd\re',
    amaFlags: 3,
    accountCode: '',
    peerAccount: '',
    uniqueId: '1798859045.42',
    linkedId: '1798859045.42',
    userField: '',
    peer: '',
    extra: '{"k":"v"}',
  };

  it('writes one escaped, tab-separated line in column order with µs UTC time', () => {
    const line = toCopyText(row);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toMatch(/[\n\r]/);
    const fields = line.slice(0, -1).split('\t');
    expect(fields).toHaveLength(CEL_COPY_COLUMNS.length);
    const at = (column: (typeof CEL_COPY_COLUMNS)[number]) => fields[CEL_COPY_COLUMNS.indexOf(column)];
    expect(at('appdata')).toBe('a\\tb\\\\c\\nd\\re');
    expect(at('eventtime')).toBe('2027-01-02 03:04:05.123456');
    expect(at('id')).toBe('17');
    expect(at('amaflags')).toBe('3');
    expect(at('cid_dnid')).toBe('');
    expect(at('extra')).toBe('{"k":"v"}');
    expect(formatCelTime(Date.UTC(2026, 10, 21, 4, 21, 48) + 957.551)).toBe('2026-11-21 04:21:48.957551');
    expect(formatCelTime(Date.UTC(2026, 10, 21, 4, 21, 48) + 0.001)).toBe('2026-11-21 04:21:48.000001');
  });
});
