import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExpectedCall } from '@callcenter/ingest/testing/expected-call';
import { SCENARIOS_DIR, scenarioNames } from '@callcenter/ingest/testing/fixtures';
import type { Call } from '@callcenter/ingest/types';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `callcenter reconcile` end to end: the real CLI (node bin/callcenter.mjs, as `npx callcenter`
 * runs it) spawned on the real Asterisk captures and on small files derived from them
 * (cli/test/data, or written to a temp dir here), asserting the CLI contract of README.md "Commands":
 * JSON Lines on stdout, diagnostics with line numbers on stderr, exit 2 for unreadable input.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DATA = 'cli/test/data/';
const scenarioPath = (name: string, file: 'cel.csv' | 'cdr.csv') => join(SCENARIOS_DIR, name, file);
const BURST = '12-burst-20-concurrent';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['bin/callcenter.mjs', ...args],
      { cwd: ROOT, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        if (code === null) reject(error);
        else resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Runs `fn` over `items` with at most `limit` CLI processes at a time. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** stdout as calls: every line must be one JSON object, and stdout must end with a newline. */
function calls(run: Run): Call[] {
  if (run.stdout === '') return [];
  expect(run.stdout.endsWith('\n'), 'stdout ends with a newline').toBe(true);
  return run.stdout
    .slice(0, -1)
    .split('\n')
    .map((line) => {
      const value: unknown = JSON.parse(line);
      expect(value, line.slice(0, 80)).toBeTypeOf('object');
      return value as Call;
    });
}

const stderrLines = (run: Run): string[] => run.stderr.split('\n').filter(Boolean);

const expectedCalls = async (name: string): Promise<ExpectedCall[]> =>
  ((await import(`@callcenter/ingest/testing/expected/${name}.ts`)) as { expected: ExpectedCall[] }).expected;

/** The fields a dropped column or a time zone must not change (besides the times themselves). */
const outcome = (c: Call) => ({
  linkedid: c.linkedid,
  direction: c.direction,
  status: c.status,
  operator: c.operator,
  duration_sec: c.duration_sec,
  wait_sec: c.wait_sec,
  queue_wait_sec: c.queue_wait_sec,
  talk_sec: c.talk_sec,
  hold_sec: c.hold_sec,
  attempts: c.attempts.map((a) => [a.operator, a.queue, a.outcome, a.ring_sec]),
});

/** Every capture's rows in one export (ids and uniqueids are unique across them: one Asterisk). */
function concatenate(names: readonly string[], file: 'cel.csv' | 'cdr.csv', to: string): void {
  const texts = names.map((name) => readFileSync(scenarioPath(name, file), 'utf8').trimEnd().split('\n'));
  const header = texts[0]![0]!;
  for (const lines of texts) expect(lines[0], `${file} headers`).toBe(header);
  writeFileSync(to, `${[header, ...texts.flatMap((lines) => lines.slice(1))].join('\n')}\n`);
}

/** The same export with some columns dropped (id among them) and the others in reverse order. */
function subsetOfColumns(from: string, to: string): void {
  const records = parse(readFileSync(from, 'utf8'), { columns: true }) as Record<string, string>[];
  const dropped = new Set([
    'id',
    'cid_ani',
    'cid_rdnis',
    'peer',
    'accountcode',
    'peeraccount',
    'amaflags',
    'userfield',
  ]);
  const columns = Object.keys(records[0]!)
    .filter((c) => !dropped.has(c))
    .reverse();
  writeFileSync(to, stringify(records, { header: true, columns }));
}

const MALFORMED = `${DATA}malformed-and-user-events.cel.csv`;
const OPTION_CEL = scenarioPath('06-outbound-answered', 'cel.csv');

/** Every CLI run the tests assert on, by name (spawned together in beforeAll, a few at a time). */
const INVOCATIONS = {
  all: () => ['--cel', join(tmp, 'all-cel.csv'), '--cdr', join(tmp, 'all-cdr.csv')],
  allMoscow: () => [
    '--cel',
    join(tmp, 'all-cel.csv'),
    '--cdr',
    join(tmp, 'all-cdr.csv'),
    '--tz',
    'Europe/Moscow',
  ],
  allSubset: () => ['--cel', join(tmp, 'subset-cel.csv'), '--cdr', join(tmp, 'all-cdr.csv')],
  burst101102: () => [
    '--cel',
    scenarioPath(BURST, 'cel.csv'),
    '--cdr',
    scenarioPath(BURST, 'cdr.csv'),
    '--operators',
    '101,102',
  ],
  malformed: () => ['--cel', MALFORMED],
  missingFile: () => ['--cel', `${DATA}no-such-file.csv`],
  directory: () => ['--cel', DATA],
  notCsv: () => ['--cel', join(SCENARIOS_DIR, '06-outbound-answered', 'ari.jsonl')],
  noEventtype: () => ['--cel', `${DATA}no-eventtype.cel.csv`],
  missingCdr: () => ['--cel', OPTION_CEL, '--cdr', `${DATA}no-such-cdr.csv`],
  badTz: () => ['--cel', OPTION_CEL, '--tz', 'Mars/Olympus_Mons'],
  longServerId: () => ['--cel', OPTION_CEL, '--server-id', 'x'.repeat(65)],
  emptyOperators: () => ['--cel', OPTION_CEL, '--operators', ' , '],
  help: () => ['--help'],
  reconcileHelp: () => ['--help'],
} satisfies Record<string, () => string[]>;
type Invocation = keyof typeof INVOCATIONS;

let tmp = '';
const runs = new Map<Invocation, Run>();
const runOf = (name: Invocation): Run => runs.get(name)!;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'reconcile-cli-'));
  concatenate(scenarioNames(), 'cel.csv', join(tmp, 'all-cel.csv'));
  concatenate(scenarioNames(), 'cdr.csv', join(tmp, 'all-cdr.csv'));
  subsetOfColumns(join(tmp, 'all-cel.csv'), join(tmp, 'subset-cel.csv'));
  const names = Object.keys(INVOCATIONS) as Invocation[];
  const results = await mapLimit(names, 4, (name) => {
    const args = INVOCATIONS[name]();
    return name === 'help' ? cli(...args) : cli('reconcile', ...args);
  });
  for (const [i, name] of names.entries()) runs.set(name, results[i]!);
});

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('callcenter reconcile on every real capture (one export of all of them)', () => {
  it('exits 0 with nothing on stderr but the summary, one JSON line per call, ordered by started_at', async () => {
    const run = runOf('all');
    expect(run.code, run.stderr).toBe(0);
    const got = calls(run);
    let total = 0;
    for (const name of scenarioNames()) total += (await expectedCalls(name)).length;
    expect(got).toHaveLength(total);
    const starts = got.map((c) => Date.parse(c.started_at));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(stderrLines(run)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^reconciled ${total} calls from 1402 CEL rows and 59 CDR rows \\(0 malformed rows skipped\\)$`,
        ),
      ),
    ]);
  });

  it.each(scenarioNames())('%s: its expected calls, in order, each once', async (name) => {
    const want = await expectedCalls(name);
    const mine = new Set(want.map((c) => c.linkedid));
    const got = calls(runOf('all')).filter((c) => mine.has(c.linkedid));
    expect(got.map((c) => c.linkedid)).toEqual(want.map((c) => c.linkedid));
    expect(got.map((c) => c.status)).toEqual(want.map((c) => c.status));
    for (const call of got) {
      expect(call.server_id).toBe('pbx1');
      expect(call.closed_by).toBe('linkedid_end');
    }
  });
});

describe('--operators', () => {
  it('makes 103 external: no attempts or operator 103 in the burst, the other operators unchanged', async () => {
    const expectedBurst = await expectedCalls(BURST);
    const burstIds = new Set(expectedBurst.map((c) => c.linkedid));
    const all = calls(runOf('all')).filter((c) => burstIds.has(c.linkedid));
    expect(all).toHaveLength(20);
    expect(all.some((c) => c.attempts.some((a) => a.operator === '103'))).toBe(true);
    expect(all.filter((c) => c.operator === '103').map((c) => c.linkedid)).toEqual(['1795235269.47']);

    const run = runOf('burst101102');
    expect(run.code, run.stderr).toBe(0);
    const restricted = calls(run);
    expect(restricted.map((c) => c.linkedid)).toEqual(all.map((c) => c.linkedid));
    for (const [i, call] of restricted.entries()) {
      const before = all[i]!;
      expect(
        call.attempts.filter((a) => a.operator === '103'),
        call.linkedid,
      ).toEqual([]);
      expect(
        call.segments.filter((s) => s.operator === '103'),
        call.linkedid,
      ).toEqual([]);
      expect(call.operator, call.linkedid).toBe(before.operator === '103' ? null : before.operator);
      expect(call.attempts, call.linkedid).toEqual(before.attempts.filter((a) => a.operator !== '103'));
    }
  });
});

describe('input formats', () => {
  it('reads an export with a subset of the columns, in another order and without id', () => {
    expect(readFileSync(join(tmp, 'subset-cel.csv'), 'utf8').split('\n')[0]).not.toMatch(
      /\bid\b|cid_ani|peer|userfield|amaflags/,
    );
    const run = runOf('allSubset');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/\(0 malformed rows skipped\)/);
    const full = calls(runOf('all'));
    expect(full.length).toBeGreaterThan(30);
    expect(calls(run).map(outcome)).toEqual(full.map(outcome));
  });

  it('reads eventtime without an offset in --tz: Europe/Moscow is 3 h earlier than UTC', () => {
    const run = runOf('allMoscow');
    expect(run.code, run.stderr).toBe(0);
    const utc = calls(runOf('all'));
    const moscow = calls(run);
    expect(moscow.map((c) => c.linkedid)).toEqual(utc.map((c) => c.linkedid));
    const hours = (a: string, b: string) => (Date.parse(a) - Date.parse(b)) / 3_600_000;
    for (const [i, call] of moscow.entries()) {
      expect(hours(call.started_at, utc[i]!.started_at), call.linkedid).toBe(-3);
      expect(hours(call.ended_at, utc[i]!.ended_at), call.linkedid).toBe(-3);
      expect(outcome(call)).toEqual(outcome(utc[i]!));
    }
  });

  describe('an export with malformed rows and site-specific events (data/malformed-and-user-events.cel.csv)', () => {
    // Scenarios 06 + 07 + 13 with rows added: line 8 MYEVENT, 15 eventtime "garbage", 42 empty uniqueid,
    // 75 USER_DEFINED (userdeftype MYEVENT), 80 one column short.
    it('reports each malformed row with its line number on stderr and outputs every call', async () => {
      const run = runOf('malformed');
      expect(run.code, run.stderr).toBe(0);
      const reported = stderrLines(run).filter((l) => l.startsWith(`${MALFORMED}:`));
      expect(reported.map((l) => Number(l.split(':')[1]))).toEqual([8, 15, 42, 80]);
      expect(reported[0]).toContain('known-event-type: "MYEVENT" is not a CEL event type');
      expect(reported[1]).toContain('plausible-time: eventtime "garbage" is not a timestamp');
      expect(reported[2]).toContain('required-fields: uniqueid is empty');
      expect(reported[3]).toMatch(/22.*21/);
      expect(stderrLines(run).at(-1)).toMatch(
        /^reconciled 3 calls from 85 CEL rows \(4 malformed rows skipped/,
      );

      const want = [
        ...(await expectedCalls('06-outbound-answered')),
        ...(await expectedCalls('07-outbound-busy')),
        ...(await expectedCalls('13-internal-call-101-to-102')),
      ];
      const got = calls(run);
      expect(got.map((c) => [c.linkedid, c.status, c.operator])).toEqual(
        want.map((c) => [c.linkedid, c.status, c.operator]),
      );
      got.forEach((c, i) => {
        expect(Math.abs(c.duration_sec - want[i]!.duration_sec), c.linkedid).toBeLessThanOrEqual(0.05);
        expect(Math.abs(c.talk_sec - want[i]!.talk_sec), c.linkedid).toBeLessThanOrEqual(0.05);
      });
    });

    it('reports an unknown event type (rule known-event-type) and reads USER_DEFINED, without an error', () => {
      const run = runOf('malformed');
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(/:8: known-event-type/);
      expect(run.stderr).not.toMatch(/:75:/);
      expect(stderrLines(run).filter((l) => /error/i.test(l))).toEqual([]);
      expect(calls(run)).toHaveLength(3);
    });
  });
});

describe('unreadable input: exit 2 and a one-line message', () => {
  const cases: [Invocation, RegExp][] = [
    ['missingFile', /no-such-file\.csv.*no such file/],
    ['directory', /directory/],
    ['notCsv', /ari\.jsonl/],
    ['noEventtype', /no-eventtype\.cel\.csv.*eventtype/],
    ['missingCdr', /no-such-cdr\.csv/],
  ];
  it.each(cases)('%s', (name, message) => {
    const run = runOf(name);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(stderrLines(run)).toHaveLength(1);
    expect(run.stderr).toMatch(message);
  });
});

describe('options', () => {
  const cases: [Invocation, RegExp][] = [
    ['badTz', /unknown time zone "Mars\/Olympus_Mons"/],
    ['longServerId', /at most 64/],
    ['emptyOperators', /non-empty comma list/],
  ];
  it.each(cases)('rejects %s with exit 2', (name, message) => {
    const run = runOf(name);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
  });

  it('documents every option with an example in `--help` and `reconcile --help`', () => {
    expect(runOf('reconcileHelp').stdout).toMatch(/^Usage: callcenter reconcile /);
    for (const run of [runOf('help'), runOf('reconcileHelp')]) {
      expect(run.code).toBe(0);
      for (const flag of ['--cel', '--cdr', '--operators', '--tz', '--server-id'])
        expect(run.stdout).toContain(flag);
      expect(run.stdout).toMatch(/callcenter reconcile --cel \S+/);
    }
  });
});
describe('output', () => {
  it('stops quietly when the reader goes away (| head): no stack trace, exit 0', async () => {
    // 18 copies of the burst under other uniqueids (11952….45, …): 360 calls, ~330 KB of JSON Lines,
    // far more than a pipe buffer plus one read, so the CLI's later writes meet a closed pipe.
    const [header, ...rows] = readFileSync(scenarioPath(BURST, 'cel.csv'), 'utf8').trimEnd().split('\n');
    const copies = Array.from({ length: 18 }, (_, k) =>
      rows.map((row) => row.replace(/17952(\d{5}\.\d+)/g, `${k + 11}952$1`)),
    ).flat();
    const big = join(tmp, 'big-cel.csv');
    writeFileSync(big, `${header}\n${copies.join('\n')}\n`);

    const child = spawn(process.execPath, ['bin/callcenter.mjs', 'reconcile', '--cel', big], { cwd: ROOT });
    let stderr = '';
    let received = 0;
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
    });
    child.stdout.once('data', (chunk: Buffer) => {
      received = chunk.length;
      child.stdout.destroy();
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(received).toBeGreaterThan(0);
    expect(stderr).not.toMatch(/Error|\n\s+at /);
    expect(stderr).toMatch(/^reconciled 360 calls from 15210 CEL rows \(.*stdout closed early\)$/m);
    expect(code).toBe(0);
  });
});
