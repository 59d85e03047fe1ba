import { once } from 'node:events';
import { StringDecoder } from 'node:string_decoder';
import { ChdbLockedError, type OpenClickHouse } from '@callcenter/analytics/open-clickhouse';
import { formatCsv, formatTable, type ResultHeader } from '@callcenter/analytics/result-format';
import { inspectSql, SqlTextError, type StatementInfo } from '@callcenter/analytics/sql-text';
import { type ClickHouseClient, ClickHouseError, type ClickHouseSettings } from '@clickhouse/client';
import { Command, Option } from 'commander';

/**
 * `callcenter sql "SELECT …"`: one SQL statement against the facts (call_facts, attempt_facts), for
 * analysts on the embedded default where no clickhouse-client can reach the in-process engine
 * (sql/ANALYSTS.md). Read-only unless `--write`.
 *
 * Exit codes: 0 done; 2 refused statement, ClickHouse error (one line on stderr, no stack), the
 * embedded data directory held by another process, or a bad option/argument (commander's errors are
 * thrown as CommanderError and mapped to 2 by cli/src/program.ts).
 */

export const SQL_FORMATS = ['table', 'csv', 'json'] as const;
/** How `callcenter sql` prints results: a terminal table, CSV or JSON Lines. */
export type SqlFormat = (typeof SQL_FORMATS)[number];

/** Where the command reads `-` from and writes results/messages to (process streams by default). */
export interface SqlCommandIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/**
 * Settings for table/CSV: 64-bit integers, decimals and nan/inf arrive as JSON strings, so they print
 * with every digit (a JS number would round 2^53 + 1). Sent with every query: chDB keeps `SET`s for
 * the session, so nothing may be assumed from a previous query.
 */
const EXACT_TEXT_SETTINGS: ClickHouseSettings = {
  output_format_json_quote_64bit_integers: 1,
  output_format_json_quote_decimals: 1,
  output_format_json_quote_denormals: 1,
};

/**
 * Settings for JSON Lines: numbers stay JSON numbers. ClickHouse's own text is passed through
 * untouched, so a UInt64 keeps every digit (a JavaScript reader needs a big-number parse above 2^53;
 * cast with toString() in the query to get a string). nan/inf become null (valid JSON).
 */
const JSON_LINES_SETTINGS: ClickHouseSettings = {
  output_format_json_quote_64bit_integers: 0,
  output_format_json_quote_decimals: 0,
  output_format_json_quote_denormals: 0,
};

/** Thrown inside the command to stop with exit code 2 and a one-line message. */
class Refusal extends Error {}

function oneLine(text: string, max = 400): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * ClickHouse's typed error. Not only `instanceof`: chDB's connection `require`s its own instance of
 * @clickhouse/client-common, so its errors fail `instanceof` against the ESM import's class.
 */
function isClickHouseError(error: unknown): error is ClickHouseError {
  return (
    error instanceof ClickHouseError ||
    (error instanceof Error &&
      error.constructor.name === 'ClickHouseError' &&
      typeof (error as { code?: unknown }).code === 'string')
  );
}

/** One line for any failure of opening or querying: ClickHouse's code and type when it gave them. */
function describeFailure(error: unknown): string {
  if (isClickHouseError(error)) {
    const type = error.type ? ` ${error.type}` : '';
    return `ClickHouse error ${error.code}${type}: ${oneLine(error.message)}`;
  }
  if (error instanceof ChdbLockedError) return error.message;
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return oneLine(
      typeof code === 'string' && !error.message.includes(code) ? `${code}: ${error.message}` : error.message,
    );
  }
  return oneLine(String(error));
}

/** Writes with back-pressure; rejects when the reader went away (EPIPE of `| head`). */
async function writeOut(out: NodeJS.WritableStream, chunk: string | Uint8Array, failed: () => unknown) {
  const error = failed();
  if (error) throw error;
  if (!out.write(chunk)) await once(out as NodeJS.EventEmitter, 'drain');
}

async function readAll(input: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of input)
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  return text;
}

const HELP_AFTER = `
Reads by default: SELECT, WITH, SHOW, DESCRIBE, EXPLAIN. Anything else needs --write.
Read the facts with FINAL (sql/ANALYSTS.md explains why and has report queries).

Examples:
  $ npx callcenter sql "SELECT count() FROM call_facts FINAL"
  $ npx callcenter sql --format csv "SELECT * FROM call_facts FINAL LIMIT 10" > calls.csv
  $ npx callcenter sql - < report.sql          (the query from stdin)
  $ npx callcenter sql "SELECT 1 FORMAT Vertical"  (a FORMAT clause: ClickHouse's own output)`;

/**
 * The `sql` command. `openClient` is called once per run, after the statement passed the read-only
 * check, and closed before the command returns.
 *
 * Output (stdout): `table` (default) an aligned grid with a `(N rows)` footer, `csv` RFC 4180 with a
 * header line, `json` JSON Lines (one object per row, ClickHouse's JSONEachRow). A trailing
 * `FORMAT Name` clause in the query passes ClickHouse's own output through instead. Statements run
 * with --write print `ok` on stderr.
 */
export function sqlCommand(openClient: OpenClickHouse, io: Partial<SqlCommandIo> = {}): Command {
  const stdin = io.stdin ?? process.stdin;
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;

  const command = new Command('sql')
    .description('run one SQL statement against the call facts in ClickHouse (read-only unless --write)')
    .argument('<query>', 'the SQL statement (quote it for the shell), or - to read it from stdin')
    .addOption(new Option('-f, --format <format>', 'output format').choices(SQL_FORMATS).default('table'))
    .option('--write', 'allow statements that change data or schema (INSERT, ALTER, DELETE, DROP, …)', false)
    .addHelpText('after', HELP_AFTER)
    .exitOverride()
    .configureOutput({ writeOut: (s) => stdout.write(s), writeErr: (s) => stderr.write(s) });

  command.action(async (query: string, options: { format: SqlFormat; write: boolean }) => {
    const fail = (message: string): never =>
      command.error(`callcenter sql: ${message}`, { exitCode: 2, code: 'callcenter.sql' });

    let outputError: unknown = null;
    stdout.on('error', (error) => {
      outputError = error; // kept for the process's life: a late EPIPE must not crash with a stack
    });
    const emit = (chunk: string | Uint8Array) => writeOut(stdout, chunk, () => outputError);

    let failure: string | null = null;
    try {
      const text = query === '-' ? await readAll(stdin) : query;
      let info: StatementInfo;
      try {
        info = inspectSql(text);
      } catch (error) {
        throw new Refusal(error instanceof SqlTextError ? error.message : String(error));
      }
      if (info.statements === 0) throw new Refusal('empty query');
      if (info.statements > 1) {
        throw new Refusal(`one statement per call, found ${info.statements} separated by ";"`);
      }
      if (!info.readOnly && !options.write) {
        throw new Refusal(
          `refusing ${info.keyword || 'this statement'}: only SELECT, WITH, SHOW, DESCRIBE and EXPLAIN run ` +
            'without --write (add --write if you mean to change data or schema)',
        );
      }
      if (info.intoOutfile && !options.write) {
        throw new Refusal('INTO OUTFILE writes a file: use --format csv|json and a shell redirect instead');
      }
      if (info.format && command.getOptionValueSource('format') === 'cli') {
        throw new Refusal(
          `give the format either with --format or in the query (FORMAT ${info.format}), not both`,
        );
      }

      const opened = await openClient();
      try {
        await runStatement(opened.client, info, options.format, emit, stderr);
      } finally {
        await opened.close().catch(() => undefined);
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EPIPE' || error === outputError) return; // reader left
      failure = error instanceof Refusal ? error.message : describeFailure(error);
    }
    if (failure !== null) fail(failure);
  });
  return command;
}

/** Lines of a text stream, a batch per chunk received (JSON row formats escape newlines in values). */
async function* lineBatches(stream: AsyncIterable<unknown>): AsyncGenerator<string[]> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of stream) {
    const parts = (rest + (typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer))).split('\n');
    rest = parts.pop()!;
    if (parts.length > 0) yield parts;
  }
  rest += decoder.end();
  if (rest !== '') yield [rest];
}

/** One row of JSONCompactEachRowWithNamesAndTypes; a server error written mid-stream becomes an Error. */
function parseRow(line: string): unknown[] {
  try {
    const row: unknown = JSON.parse(line);
    if (Array.isArray(row)) return row;
  } catch {
    // fall through: not a row
  }
  throw new Error(oneLine(line));
}

/**
 * Runs one checked statement. Queries go through `exec` with `default_format` rather than `query`
 * (which appends `FORMAT …` to the text): ClickHouse's syntax errors then point into the analyst's
 * own text, and a FORMAT clause of theirs simply wins.
 */
async function runStatement(
  client: ClickHouseClient,
  info: StatementInfo,
  format: SqlFormat,
  emit: (chunk: string | Uint8Array) => Promise<void>,
  stderr: NodeJS.WritableStream,
): Promise<void> {
  if (!info.readOnly) {
    await client.command({ query: info.text });
    stderr.write('ok\n');
    return;
  }
  if (info.format || format === 'json') {
    const { stream } = await client.exec({
      query: info.text,
      clickhouse_settings: info.format ? {} : { default_format: 'JSONEachRow', ...JSON_LINES_SETTINGS },
    });
    for await (const chunk of stream) await emit(chunk as Uint8Array);
    return;
  }

  const { stream } = await client.exec({
    query: info.text,
    clickhouse_settings: { default_format: 'JSONCompactEachRowWithNamesAndTypes', ...EXACT_TEXT_SETTINGS },
  });
  const lead: string[][] = [];
  const rows: unknown[][] = [];
  for await (const lines of lineBatches(stream)) {
    const batch: unknown[][] = [];
    for (const line of lines) {
      if (lead.length < 2) {
        lead.push(parseRow(line) as string[]);
        if (lead.length === 2 && format === 'csv') await emit(formatCsv([], lead[0]));
      } else batch.push(parseRow(line));
    }
    if (format === 'table') rows.push(...batch);
    else if (batch.length > 0) await emit(formatCsv(batch));
  }
  const header: ResultHeader = { names: lead[0] ?? [], types: lead[1] ?? [] };
  if (format === 'table') await emit(formatTable(header, rows));
}
