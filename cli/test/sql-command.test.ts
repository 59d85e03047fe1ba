import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import {
  type OpenClickHouse,
  type OpenedClickHouse,
  openClickHouseFromConfig,
} from '@callcenter/analytics/open-clickhouse';
import { formatTable } from '@callcenter/analytics/result-format';
import { inspectSql } from '@callcenter/analytics/sql-text';
import { CommanderError } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlCommand } from '../src/commands/sql-command.ts';

/**
 * `callcenter sql` in-process over real chDB (one data directory for this file: chDB allows one
 * per process), output captured from injected streams.
 */

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const BIG_ID = '9007199254740993'; // 2^53 + 1: a JavaScript number would print …992

let dir: string;
let opened: OpenedClickHouse;
let opens = 0;
const shared: OpenClickHouse = async () => {
  opens++;
  return { client: opened.client, close: async () => {} };
};

function sink(onText: (text: string) => void): Writable {
  return new Writable({
    write(chunk, _encoding, done) {
      onText(String(chunk));
      done();
    },
  });
}

interface Run {
  code: number;
  errorCode?: string;
  stdout: string;
  stderr: string;
}

async function run(args: string[], options: { stdin?: string; open?: OpenClickHouse } = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const command = sqlCommand(options.open ?? shared, {
    stdin: Readable.from([options.stdin ?? '']),
    stdout: sink((t) => {
      stdout += t;
    }),
    stderr: sink((t) => {
      stderr += t;
    }),
  });
  try {
    await command.parseAsync(args, { from: 'user' });
    return { code: 0, stdout, stderr };
  } catch (error) {
    if (error instanceof CommanderError)
      return { code: error.exitCode, errorCode: error.code, stdout, stderr };
    throw error;
  }
}

function fact(callId: string, overrides: Record<string, unknown>) {
  return {
    server_id: 'pbx1',
    linkedid: `L${callId}`,
    call_id: callId,
    direction: 'inbound',
    status: 'answered',
    started_at: '2025-03-03T07:00:00.000Z',
    answered_at: null,
    ended_at: '2025-03-03T07:05:00.000Z',
    duration_sec: 300,
    wait_sec: 10,
    queue_wait_sec: null,
    talk_sec: 0,
    hold_sec: 0,
    src_number: '',
    dst_number: '',
    did: '',
    queue: '',
    operator: '',
    hung_up_by: '',
    attempts: 0,
    missed_attempts: 0,
    transfers: 0,
    has_recording: 0,
    closed_by: 'linkedid_end',
    purpose: '',
    category: '',
    subcategory: '',
    needs_callback: 0,
    resolved_first_call: null,
    card_completed: 0,
    reconciler_version: 'test',
    version: 1,
    is_deleted: 0,
    ...overrides,
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sql-command-'));
  opened = await openClickHouseFromConfig({ chdbPath: join(dir, 'clickhouse') });
  await opened.client.insert({
    table: 'call_facts',
    format: 'JSONEachRow',
    clickhouse_settings: { date_time_input_format: 'best_effort' },
    values: [
      fact('2', { status: 'abandoned', queue_wait_sec: 3 }),
      fact(BIG_ID, { operator: '101', talk_sec: 12.5, queue_wait_sec: 7, category: 'Запись, "первичная"' }),
    ],
  });
});

afterAll(async () => {
  await opened?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const ROWS_QUERY =
  'SELECT call_id, operator, talk_sec, queue_wait_sec, category FROM call_facts FINAL ORDER BY call_id';

describe('output formats', () => {
  it('table (default): aligned columns, numbers right-aligned, 64-bit ids exact, NULL shown', async () => {
    const r = await run([ROWS_QUERY]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(
      [
        '          call_id | operator | talk_sec | queue_wait_sec | category',
        '------------------+----------+----------+----------------+---------------------',
        '                2 |          |        0 |              3 |',
        ` ${BIG_ID} | 101      |     12.5 |              7 | Запись, "первичная"`,
        '(2 rows)',
        '',
      ].join('\n'),
    );
  });

  it('csv: header, RFC 4180 quoting, NULL as an empty field, 64-bit ids exact', async () => {
    const r = await run(['--format', 'csv', `${ROWS_QUERY.replace('queue_wait_sec', 'answered_at')}`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'call_id,operator,talk_sec,answered_at,category',
        '2,,0,,',
        `${BIG_ID},101,12.5,,"Запись, ""первичная"""`,
        '',
      ].join('\n'),
    );
  });

  it('json: JSON Lines, one object per row, UInt64 as a number with every digit', async () => {
    const r = await run([
      '--format',
      'json',
      'SELECT call_id, operator, count() OVER () AS n FROM call_facts FINAL ORDER BY call_id',
    ]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toEqual([
      '{"call_id":2,"operator":"","n":2}',
      `{"call_id":${BIG_ID},"operator":"101","n":2}`,
    ]);
  });

  it('empty results: table header with (0 rows), csv header only, json nothing', async () => {
    const q = 'SELECT call_id FROM call_facts FINAL WHERE 0';
    expect((await run([q])).stdout).toBe(' call_id\n---------\n(0 rows)\n');
    expect((await run(['-f', 'csv', q])).stdout).toBe('call_id\n');
    expect((await run(['-f', 'json', q])).stdout).toBe('');
  });

  it('a FORMAT clause passes ClickHouse output through; with --format as well it is refused', async () => {
    expect((await run(['SELECT 1 AS x, 2 AS y FORMAT CSVWithNames;'])).stdout).toBe('"x","y"\n1,2\n');
    const both = await run(['--format', 'csv', 'SELECT 1 FORMAT TSV']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('not both');
  });

  it('reads the query from stdin with -', async () => {
    const r = await run(['-f', 'csv', '-'], {
      stdin: '-- report\nSELECT count() AS calls\nFROM call_facts FINAL;\n',
    });
    expect(r.stdout).toBe('calls\n2\n');
  });

  it('an invalid --format is commander usage error (exit 2 through cli/src/program.ts)', async () => {
    const r = await run(['--format', 'xml', 'SELECT 1']);
    expect(r).toMatchObject({ code: 1, errorCode: 'commander.invalidArgument' });
  });
});

describe('read-only guard', () => {
  it('refuses DELETE without --write, before opening ClickHouse', async () => {
    const before = opens;
    const r = await run(['DELETE FROM call_facts WHERE 1']);
    expect(r).toMatchObject({ code: 2, errorCode: 'callcenter.sql', stdout: '' });
    expect(r.stderr).toBe(
      'callcenter sql: refusing DELETE: only SELECT, WITH, SHOW, DESCRIBE and EXPLAIN run without --write ' +
        '(add --write if you mean to change data or schema)\n',
    );
    expect(opens).toBe(before);
    expect((await run(['-f', 'csv', 'SELECT count() FROM call_facts FINAL'])).stdout).toBe('count()\n2\n');
  });

  it.each([
    ['ALTER TABLE call_facts DELETE WHERE 1', 'ALTER'],
    ['  /* x */ -- y\n INSERT INTO call_facts SELECT * FROM call_facts', 'INSERT'],
    ['DROP TABLE call_facts', 'DROP'],
    ['OPTIMIZE TABLE call_facts FINAL', 'OPTIMIZE'],
  ])('refuses %j', async (query, keyword) => {
    const r = await run([query]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`refusing ${keyword}`);
  });

  it('refuses several statements and INTO OUTFILE', async () => {
    const several = await run(['SELECT 1; DROP TABLE call_facts']);
    expect(several).toMatchObject({ code: 2 });
    expect(several.stderr).toContain('one statement per call, found 2');
    const outfile = await run(["SELECT 1 INTO OUTFILE 'x.csv'"]);
    expect(outfile.code).toBe(2);
    expect(outfile.stderr).toContain('INTO OUTFILE');
    expect((await run(['-f', 'csv', 'EXISTS TABLE call_facts'])).code).toBe(2);
  });

  it('lets SHOW, DESCRIBE, EXPLAIN and WITH through', async () => {
    expect((await run(['-f', 'csv', 'SHOW TABLES'])).stdout).toContain('call_facts\n');
    expect((await run(['-f', 'csv', 'DESCRIBE TABLE attempt_facts'])).stdout).toContain(
      '\nring_sec,Float64,',
    );
    expect((await run(['EXPLAIN SELECT 1'])).code).toBe(0);
    expect((await run(['-f', 'csv', 'WITH 2 AS x SELECT x * 3 AS y'])).stdout).toBe('y\n6\n');
    // UNION ALL has no row order (ClickHouse runs the parts in parallel and may emit `2` first) and
    // ORDER BY cannot follow a parenthesised UNION: the header line, then both rows in any order.
    const union = await run(['-f', 'csv', '(SELECT 1 AS x) UNION ALL (SELECT 2)']);
    expect(union).toMatchObject({ code: 0, stderr: '' });
    const [header, ...rows] = union.stdout.split('\n');
    expect(header).toBe('x');
    expect(rows.sort()).toEqual(['', '1', '2']); // '' after the final newline
  });

  it('runs changes with --write', async () => {
    const create = await run(['--write', 'CREATE TABLE scratch (x UInt8) ENGINE = MergeTree ORDER BY x']);
    expect(create).toMatchObject({ code: 0, stdout: '', stderr: 'ok\n' });
    expect((await run(['--write', 'INSERT INTO scratch VALUES (1), (2)'])).code).toBe(0);
    expect((await run(['DELETE FROM scratch WHERE x = 1'])).code).toBe(2);
    expect((await run(['--write', 'DELETE FROM scratch WHERE x = 1'])).code).toBe(0);
    expect((await run(['-f', 'csv', 'SELECT x FROM scratch'])).stdout).toBe('x\n2\n');
    expect((await run(['--write', 'DROP TABLE scratch'])).code).toBe(0);
  });
});

describe('errors', () => {
  it('a syntax error: exit 2, one line naming the error, no stack trace', async () => {
    const r = await run(['SELECT FROM WHERE']);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(
      /^callcenter sql: ClickHouse error 62 SYNTAX_ERROR: Syntax error: failed at position \d+/,
    );
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).not.toContain('JSONCompactEachRow'); // no trace of the output format the command asked for
  });

  it('an unknown table: exit 2 with ClickHouse code and type', async () => {
    const r = await run(['SELECT * FROM no_such_table']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^callcenter sql: ClickHouse error 60 UNKNOWN_TABLE: .*no_such_table.*\n$/);
  });

  it('an unterminated string or an empty query is refused', async () => {
    expect((await run(["SELECT 'abc"])).stderr).toBe('callcenter sql: unterminated string\n');
    expect((await run(['  -- nothing\n'])).stderr).toBe('callcenter sql: empty query\n');
  });

  it('the opener failing (e.g. bad configuration) is a message and exit 2', async () => {
    const r = await run(['SELECT 1'], {
      open: async () => {
        throw new Error('invalid configuration:\n  CLICKHOUSE_URL: must start with http://');
      },
    });
    expect(r).toMatchObject({
      code: 2,
      stderr: 'callcenter sql: invalid configuration: CLICKHOUSE_URL: must start with http://\n',
    });
  });

  it('the data directory held by another process: says who and what to do', async () => {
    const held = mkdtempSync(join(tmpdir(), 'sql-command-held-'));
    let child: ChildProcess | undefined;
    try {
      // A second process opens chDB on `held` (this process may not: one data directory per process).
      child = spawn(
        process.execPath,
        [
          '-e',
          "new (require('chdb').Session)(process.argv[1]); console.log('ready'); setInterval(() => {}, 1000);",
          held,
        ],
        { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] },
      );
      await new Promise<void>((resolve, reject) => {
        child!.stdout!.on('data', (d) => String(d).includes('ready') && resolve());
        child!.on('exit', (code) => reject(new Error(`holder exited with ${code}`)));
      });
      const r = await run(['SELECT 1'], { open: () => openClickHouseFromConfig({ chdbPath: held }) });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`is in use by process ${child.pid}`);
      expect(r.stderr).toContain('callcenter start');
      expect(r.stderr).toContain('CLICKHOUSE_URL');
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    } finally {
      if (child?.pid && child.exitCode === null) {
        const exited = new Promise((resolve) => child!.once('exit', resolve));
        child.kill();
        await exited;
      }
      rmSync(held, { recursive: true, force: true });
    }
  });

  it('a reader that went away (EPIPE) ends quietly', async () => {
    const broken = new Writable({
      write(_chunk, _encoding, done) {
        done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const command = sqlCommand(shared, { stdout: broken, stderr: sink(() => {}) });
    await expect(
      command.parseAsync(['-f', 'csv', 'SELECT number FROM numbers(10)'], { from: 'user' }),
    ).resolves.toBeDefined();
  });
});

describe('inspectSql', () => {
  it.each([
    ['select 1', { keyword: 'SELECT', readOnly: true, statements: 1, text: 'select 1' }],
    ['-- c\n/* d */ SELECT 1; -- done\n', { keyword: 'SELECT', statements: 1, text: 'SELECT 1' }],
    ['SELECT \';DROP\', "a;b", `c;d` -- ;x\n', { statements: 1, readOnly: true }],
    ["SELECT 'it''s; \\' still' AS s", { statements: 1 }],
    ['SELECT 1;;; SELECT 2', { statements: 2 }],
    ['desc call_facts', { keyword: 'DESC', readOnly: true }],
    ['((SELECT 1))', { keyword: 'SELECT', readOnly: true }],
    ['"SELECT" 1', { keyword: '', readOnly: false }],
    ['SELECT 1 FORMAT PrettyCompact', { format: 'PrettyCompact' }],
    ['SELECT 1 FORMAT JSON SETTINGS max_threads = 1', { format: 'JSON' }],
    ['SELECT format, x FROM t', { format: null }],
    ["SELECT format('{}', x) FROM t", { format: null }],
    ['SELECT x AS format FROM t', { format: null }],
    ['SELECT (SELECT 1 FORMAT CSV)', { format: null }],
    ["SELECT 1 INTO OUTFILE 'f'", { intoOutfile: true }],
    ['SELECT $$;$$', { statements: 2 }], // heredocs unknown to the guard: refused, never let through
  ])('%j', (sql, expected) => {
    expect(inspectSql(sql)).toMatchObject(expected);
  });
});

describe('formatTable', () => {
  it('pads by display width (Cyrillic one column, CJK two) and escapes line breaks', () => {
    const text = formatTable({ names: ['name', 'n'], types: ['String', 'Nullable(UInt64)'] }, [
      ['Жалоба', '10'],
      ['電話', null],
      ['a\nb', '7'],
    ]);
    expect(text).toBe(
      [
        ' name   |    n',
        '--------+------',
        ' Жалоба |   10',
        ' 電話   | NULL',
        ' a\\nb   |    7',
        '(3 rows)',
        '',
      ].join('\n'),
    );
  });
});
