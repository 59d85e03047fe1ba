import { createReadStream } from 'node:fs';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import type pg from 'pg';
import { errorMessage } from './archive-errors.ts';
import { type ArchiveLayout, dumpDate } from './archive-layout.ts';
import type { StepOutcome, StepReporter } from './archive-step.ts';
import { ensureFreeSpace, formatBytes } from './archive-target.ts';
import { verifyDump } from './dump-verifier.ts';
import { connectionEnv, findPgTool, runPgTool, serverMajor } from './pg-client-tools.ts';
import { writeChecksum, writeVerified } from './verified-write.ts';

/**
 * Step 1 of the nightly archive: `pg_dump --format=custom` of the whole application database
 * (the app schema and every server's asterisk.cel/cdr, the raw source a re-derivation needs),
 * streamed into postgres/daily/callcenter-<date>.dump through a SHA-256, read back and verified
 * (dump-verifier.ts), with a `.sha256` beside it. The first dump of a month is also copied
 * (verified) to postgres/monthly/ for the monthly retention.
 */

export interface PostgresDumpInput {
  pool: pg.Pool;
  databaseUrl: string;
  layout: ArchiveLayout;
  /** The night's date, `YYYY-MM-DD`. */
  date: string;
}

/** Size of the newest daily dump, or of the database when there is none: the space to expect. */
async function expectedDumpBytes(input: PostgresDumpInput): Promise<number> {
  const dir = input.layout.dumpDir('daily');
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => dumpDate(n)).sort();
  const last = names.at(-1);
  if (last) return (await stat(`${dir}/${last}`)).size;
  const size = await input.pool.query<{ n: string }>('SELECT pg_database_size(current_database()) AS n');
  // A compressed custom dump holds no indexes: a fraction of the database's size on disk.
  return Math.ceil(Number(size.rows[0]?.n ?? 0) / 4);
}

/** Runs the step; throws ArchiveError on any failure (tool missing, disk full, verification). */
export async function dumpPostgres(input: PostgresDumpInput, reporter: StepReporter): Promise<StepOutcome> {
  const major = await serverMajor(input.pool);
  const pgDump = await findPgTool('pg_dump', major);
  const pgRestore = await findPgTool('pg_restore', major);
  await ensureFreeSpace(input.layout.root, await expectedDumpBytes(input), 'the Postgres dump');

  const file = input.layout.dump('daily', input.date);
  const { dbname, env } = connectionEnv(input.databaseUrl);
  reporter.progress(`pg_dump ${major} → ${file}`);
  // The bytes land beside the night's file and replace it only once pg_dump exited 0: a failed
  // re-run of a night (pg_dump's stdout simply ends when it fails) must not put an empty or cut
  // dump in place of the good one already there.
  const pending = `${file}.pending`;
  let written: Awaited<ReturnType<typeof writeVerified>> | undefined;
  await runPgTool(pgDump, ['--format=custom', '--compress=6', `--dbname=${dbname}`], {
    env,
    stdout: async (stream) => {
      written = await writeVerified(stream, pending, (n) => reporter.progress(`dumping: ${formatBytes(n)}`));
    },
  }).catch(async (error) => {
    await rm(pending, { force: true }).catch(() => {});
    throw error instanceof Error && error.name === 'ArchiveError'
      ? error
      : new Error(`pg_dump failed: ${errorMessage(error)}`);
  });
  if (!written) throw new Error('pg_dump produced no output');
  await rename(pending, file);
  await writeChecksum(file, written.sha256);
  reporter.progress(`verifying ${formatBytes(written.bytes)} with pg_restore`);
  const check = await verifyDump(pgRestore, file, { expectedSha256: written.sha256 });

  let monthly: string | null = null;
  const monthDir = input.layout.dumpDir('monthly');
  const month = input.date.slice(0, 7);
  const haveMonth = (await readdir(monthDir).catch(() => [] as string[])).some((n) =>
    dumpDate(n)?.startsWith(month),
  );
  let bytes = written.bytes;
  if (!haveMonth) {
    monthly = input.layout.dump('monthly', input.date);
    reporter.progress(`copying the first dump of ${month} to ${monthly}`);
    const copy = await writeVerified(createReadStream(file), monthly);
    if (copy.sha256 !== written.sha256) throw new Error(`the monthly copy ${monthly} differs from ${file}`);
    await writeChecksum(monthly, copy.sha256);
    bytes += copy.bytes;
  }
  return {
    bytes,
    files: monthly ? 2 : 1,
    summary: `${file.split('/').pop()} ${formatBytes(written.bytes)}, ${check.entries} entries, ${check.tables.length} tables, verified${monthly ? ' (also kept as the monthly copy)' : ''}`,
    detail: {
      file,
      sha256: written.sha256,
      dump_bytes: written.bytes,
      entries: check.entries,
      tables: check.tables.length,
      pg_dump: pgDump,
      server_major: major,
      monthly_copy: monthly,
    },
  };
}
